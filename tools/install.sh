#!/usr/bin/env bash
# Builds the real consumers obskit's tests hand artifacts to, at exact versions (tools/pins.ts, which takes the
# deployed ones from src/spec/versions.ts):
#   otelcol                 the OpenTelemetry Collector, built by the official builder from tools/otelcol/builder-config.yaml
#   promtool, prometheus    from the Prometheus Go module of the pinned release
#   amtool, alertmanager    from the Alertmanager Go module of the pinned release
#   kube-score              the Kubernetes manifest policy checker
#   etcd, kube-apiserver, kubectl   the real Kubernetes API server CI dry-runs every manifest against
#   prometheus-operator-crds   the Prometheus Operator's CRDs (YAML, copied from its Go module; nothing is built)
#   blackbox_exporter       the Prometheus project's prober, which the stack runs for service health endpoints
#   thanos                  Thanos (Receive, Query) from its Go module, for the ha profile's live scale test
#   compose-check           Docker Compose's own loader (compose-go): schema validation and consistency checks
# Every version is exact (no bare `go get`, no @latest), and each binary is checked to report its pinned release
# right after it is built: a build that produced anything else fails here, naming the tool, and is not linked.
# Grafana, Loki and Tempo are AGPL modules and are never built here (their configs are checked against documents).
# Needs Go. Results are cached outside the repo in $OBSKIT_TOOLS_DIR (default ~/.cache/obskit/tools), keyed by
# version (and manifest hash), so a second run takes seconds. Tests find them there (test/support/tools.ts).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tools_dir="${OBSKIT_TOOLS_DIR:-$HOME/.cache/obskit/tools}"
mkdir -p "$tools_dir/bin"
command -v go >/dev/null || { echo "tools/install.sh: Go is needed to build the test tools (https://go.dev/dl/)" >&2; exit 1; }
eval "$(cd "$repo" && npx --no-install tsx tools/print-versions.ts)"
# Modules come only at the versions named here: never let a build step pick a newer one.
export GOTOOLCHAIN=local

only="${*:-}"
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

# Checks a freshly built binary reports its pinned release, then links it where the tests look.
verify_and_link() {
  local tool="$1" path="$2"
  (cd "$repo" && npx --no-install tsx tools/verify-tool.ts "$tool" "$path")
  ln -sf "$path" "$tools_dir/bin/$tool"
  echo "  $tool -> $path"
}

# Enters a fresh scratch Go module at $1: the other modules' commands are built as its dependencies.
enter_scratch_module() { rm -rf "$1" && mkdir -p "$1" && cd "$1" && go mod init obskit.local/tools >/dev/null 2>&1; }

# A field (GoMod, Dir, ...) of `go mod download -json <module@version>`.
module_field() { go mod download -json "$1" | sed -n "s/.*\"$2\": \"\(.*\)\".*/\1/p"; }

build_collector() {
  local manifest="$repo/tools/otelcol/builder-config.yaml"
  local hash; hash="$(sha256sum "$manifest" | cut -c1-12)"
  local out="$tools_dir/otelcol-$COLLECTOR_VERSION-$hash"
  if [ ! -x "$out/otelcol-obskit" ]; then
    echo "building the OpenTelemetry Collector $COLLECTOR_VERSION with the official builder..."
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    GOBIN="$out.tmp/bin" go install "go.opentelemetry.io/collector/cmd/builder@$COLLECTOR_VERSION"
    sed "s#output_path: .*#output_path: $out.tmp/build#" "$manifest" > "$out.tmp/builder-config.yaml"
    "$out.tmp/bin/builder" --config "$out.tmp/builder-config.yaml"
    mkdir -p "$out" && mv "$out.tmp/build/otelcol-obskit" "$out/" && rm -rf "$out.tmp"
  fi
  verify_and_link otelcol "$out/otelcol-obskit"
}

# Builds cmd/<name> of a Go module at an exact version, in a scratch module (a dependent build ignores the
# module's replace directives, which Prometheus and amtool do not need).
build_go_commands() {
  local module="$1" version="$2"; shift 2
  local out="$tools_dir/$(basename "$module")-$version"
  local missing=0
  for cmd in "$@"; do [ -x "$out/$cmd" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    echo "building $* from $module@$version..."
    local work="$out.tmp"
    enter_scratch_module "$work"
    local pkgs=(); for cmd in "$@"; do pkgs+=("$module/cmd/$cmd@$version"); done
    go get "${pkgs[@]}"
    mkdir -p "$out"
    for cmd in "$@"; do go build -trimpath -o "$out/$cmd" "$module/cmd/$cmd"; done
    cd "$repo" && rm -rf "$work"
  fi
  for cmd in "$@"; do verify_and_link "$cmd" "$out/$cmd"; done
}

# blackbox_exporter's main package is its module root: build it as a dependency of a scratch module, with the
# version stamped in so `--version` names the release (a plain build prints an empty version).
build_blackbox_exporter() {
  local version="$BLACKBOX_EXPORTER_VERSION"
  local out="$tools_dir/blackbox_exporter-$version"
  if [ ! -x "$out/blackbox_exporter" ]; then
    echo "building blackbox_exporter $version..."
    local work="$out.tmp"
    enter_scratch_module "$work"
    go get "github.com/prometheus/blackbox_exporter@$version"
    mkdir -p "$out"
    go build -trimpath -ldflags "-X github.com/prometheus/common/version.Version=${version#v}" \
      -o "$out/blackbox_exporter" github.com/prometheus/blackbox_exporter
    cd "$repo" && rm -rf "$work"
  fi
  verify_and_link blackbox_exporter "$out/blackbox_exporter"
}

build_compose_check() {
  local src="$repo/tools/compose-check"
  local hash; hash="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)"
  local out="$tools_dir/compose-check-$hash"
  if [ ! -x "$out/compose-check" ]; then
    echo "building compose-check (compose-go)..."
    mkdir -p "$out" && (cd "$src" && go build -trimpath -o "$out/compose-check" .)
  fi
  ln -sf "$out/compose-check" "$tools_dir/bin/compose-check"
  echo "  compose-check -> $out/compose-check"
}

# The Alertmanager server embeds its web UI (ui/app/dist), which is built by npm in Alertmanager's release
# process and so is not in the Go module. Tests never use the UI: build from a copy of the module source at the
# pinned version with a one-page placeholder in its place.
build_alertmanager() {
  local version="$ALERTMANAGER_VERSION"
  local out="$tools_dir/alertmanager-$version"
  if [ ! -x "$out/alertmanager" ]; then
    echo "building alertmanager $version (without its web UI)..."
    local work="$out.src.tmp"
    enter_scratch_module "$work"
    local src; src="$(module_field "github.com/prometheus/alertmanager@$version" Dir)"
    cp -r "$src" alertmanager-src && chmod -R u+w alertmanager-src
    mkdir -p alertmanager-src/ui/app/dist
    echo '<!doctype html><title>Alertmanager</title><p>Test build without the web UI.</p>' > alertmanager-src/ui/app/dist/index.html
    go mod edit -require="github.com/prometheus/alertmanager@$version" -replace=github.com/prometheus/alertmanager=./alertmanager-src
    go get "github.com/prometheus/alertmanager/cmd/alertmanager@$version"
    mkdir -p "$out"
    go build -trimpath -o "$out/alertmanager" github.com/prometheus/alertmanager/cmd/alertmanager
    cd "$repo" && rm -rf "$work"
  fi
  verify_and_link alertmanager "$out/alertmanager"
}

build_kube_score() {
  local out="$tools_dir/kube-score-$KUBE_SCORE_VERSION"
  if [ ! -x "$out/kube-score" ]; then
    echo "building kube-score $KUBE_SCORE_VERSION..."
    rm -rf "$out.tmp"
    # -X main.version: `kube-score version` then names the release (a plain go install prints "development").
    GOBIN="$out.tmp" go install -trimpath -ldflags "-X main.version=$KUBE_SCORE_VERSION" \
      "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
    mv "$out.tmp" "$out"
  fi
  verify_and_link kube-score "$out/kube-score"
}

# etcd's main package is the root of go.etcd.io/etcd/server/v3, whose go.mod replaces its sibling modules by
# path, so `go install …@version` is refused: require the five etcd modules at one release in a scratch module.
build_etcd() {
  local version="$ETCD_VERSION"
  local out="$tools_dir/etcd-$version"
  if [ ! -x "$out/etcd" ]; then
    echo "building etcd $version..."
    local work="$out.tmp"
    enter_scratch_module "$work"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
    for m in server/v3 api/v3 client/pkg/v3 client/v3 pkg/v3; do go mod edit -require="go.etcd.io/etcd/$m@$version"; done
    go mod tidy
    mkdir -p "$out"
    go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
    cd "$repo" && rm -rf "$work"
  fi
  verify_and_link etcd "$out/etcd"
}

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them by path; a dependent build must
# replace each with its published v0.<minor>.<patch> release. kubectl is built from the same module, so client
# and server are one release.
KUBE_STAGING="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
  cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client
  cri-streaming csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator
  kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
  sample-apiserver streaming"
build_kubernetes() {
  local version="$KUBERNETES_VERSION"
  local out="$tools_dir/kubernetes-$version"
  if [ ! -x "$out/kube-apiserver" ] || [ ! -x "$out/kubectl" ]; then
    echo "building kube-apiserver and kubectl $version (the first build takes 10-25 minutes on 2 cores)..."
    local work="$out.tmp"
    enter_scratch_module "$work"
    local staging="v0.${version#v1.}"
    printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kubectl"\n)\n' > tools.go
    go mod edit -require="k8s.io/kubernetes@$version"
    for m in $KUBE_STAGING; do go mod edit -replace="k8s.io/$m=k8s.io/$m@$staging"; done
    go mod tidy
    local minor="${version#v1.}"; minor="${minor%%.*}"
    local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$version -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
    mkdir -p "$out"
    go build -trimpath -ldflags "$ldflags" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    go build -trimpath -ldflags "$ldflags" -o "$out/kubectl" k8s.io/kubernetes/cmd/kubectl
    cd "$repo" && rm -rf "$work"
  fi
  verify_and_link kube-apiserver "$out/kube-apiserver"
  verify_and_link kubectl "$out/kubectl"
}

# Thanos's go.mod replaces several dependencies, which a dependent build would ignore: build cmd/thanos inside a
# copy of the module source at the pinned release, as the main module, so its go.mod and go.sum apply as released.
# Its go.mod asks for a newer Go than the machine's; the one approved newer toolchain (THANOS_GO_TOOLCHAIN, served
# by the Go module proxy) is used for this build alone. Built as Thanos's release is (.promu.yml): tags netgo and
# slicelabels (Thanos reads Prometheus label sets as slices; without the tag its gRPC server panics on the first
# Info call), the version stamped.
build_thanos() {
  local version="$THANOS_VERSION"
  local out="$tools_dir/thanos-$version-slicelabels"
  if [ ! -x "$out/thanos" ]; then
    echo "building thanos $version with $THANOS_GO_TOOLCHAIN (the first build takes several minutes on 2 cores)..."
    local work="$out.src.tmp"
    rm -rf "$work" && mkdir -p "$work"
    local src; src="$(GOTOOLCHAIN="$THANOS_GO_TOOLCHAIN" module_field "github.com/thanos-io/thanos@$version" Dir)"
    [ -f "$src/go.mod" ] || { echo "tools/install.sh: thanos: the Go module proxy gave no source for $version" >&2; exit 1; }
    cp -r "$src/." "$work/" && chmod -R u+w "$work"
    mkdir -p "$out.tmp"
    (cd "$work" && GOTOOLCHAIN="$THANOS_GO_TOOLCHAIN" go build -trimpath -tags netgo,slicelabels \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=${version#v} -X github.com/prometheus/common/version.Branch=release" \
      -o "$out.tmp/thanos" ./cmd/thanos)
    rm -rf "$out" && mv "$out.tmp" "$out" && rm -rf "$work"
  fi
  verify_and_link thanos "$out/thanos"
}

# The CRDs operator mode's resources are dry-run against: copied from the Operator's Go module at the pinned version.
copy_prometheus_operator_crds() {
  local out="$tools_dir/prometheus-operator-crds-$PROMETHEUS_OPERATOR_VERSION"
  if [ ! -f "$out/monitoring.coreos.com_prometheuses.yaml" ]; then
    local dir; dir="$(module_field "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" Dir)"
    [ -d "$dir/example/prometheus-operator-crd" ] || { echo "no CRDs in the Prometheus Operator module at $dir" >&2; exit 1; }
    rm -rf "$out.tmp" && mkdir -p "$out.tmp" && cp "$dir"/example/prometheus-operator-crd/*.yaml "$out.tmp/" && mv "$out.tmp" "$out"
  fi
  echo "  prometheus-operator CRDs -> $out"
}

step() { local name="$1"; shift; wanted "$name" || return 0; local t0=$SECONDS; "$@"; echo "  ($name: $((SECONDS - t0)) s)"; }
step otelcol build_collector
step compose-check build_compose_check
step prometheus build_go_commands github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" promtool prometheus
step blackbox_exporter build_blackbox_exporter
step amtool build_go_commands github.com/prometheus/alertmanager "$ALERTMANAGER_VERSION" amtool
step alertmanager build_alertmanager
step thanos build_thanos
step kube-score build_kube_score
step etcd build_etcd
step kubernetes build_kubernetes
step prometheus-operator-crds copy_prometheus_operator_crds
echo "test tools ready in $tools_dir/bin"
