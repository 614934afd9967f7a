#!/usr/bin/env bash
# Builds the real consumers obskit's tests hand artifacts to, at the versions pinned in src/spec/versions.ts:
#   otelcol   the OpenTelemetry Collector, built by the official builder from tools/otelcol/builder-config.yaml
#   promtool, prometheus    from the Prometheus Go module of the pinned release
#   amtool, alertmanager    from the Alertmanager Go module of the pinned release
#   loki      from the Loki Go module of the pinned release (its replace directives carried over)
#   kube-score  the Kubernetes manifest policy checker (tools/install-kube-score.sh)
#   compose-check  Docker Compose's own loader (compose-go): schema validation and consistency checks
# Needs Go. Results are cached outside the repo in $OBSKIT_TOOLS_DIR (default ~/.cache/obskit/tools), keyed by
# version and manifest hash, so a second run is instant. Tests find them there (see test/support/tools.ts).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tools_dir="${OBSKIT_TOOLS_DIR:-$HOME/.cache/obskit/tools}"
mkdir -p "$tools_dir/bin"
eval "$(cd "$repo" && npx --no-install tsx tools/print-versions.ts)"

command -v go >/dev/null || { echo "tools/install.sh: Go is needed to build the test tools (https://go.dev/dl/)" >&2; exit 1; }

link() { ln -sf "$1" "$tools_dir/bin/$2"; echo "  $2 -> $1"; }

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
    GOBIN="$out.tmp/bin" go install "go.opentelemetry.io/collector/cmd/builder@v$COLLECTOR_VERSION"
    sed "s#output_path: .*#output_path: $out.tmp/build#" "$manifest" > "$out.tmp/builder-config.yaml"
    "$out.tmp/bin/builder" --config "$out.tmp/builder-config.yaml"
    mkdir -p "$out" && mv "$out.tmp/build/otelcol-obskit" "$out/" && rm -rf "$out.tmp"
  fi
  link "$out/otelcol-obskit" otelcol
}

# Builds cmd/<name> of a Go module at a version, in a scratch module (a dependent build ignores the
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
  for cmd in "$@"; do link "$out/$cmd" "$cmd"; done
}

# Loki's go.mod pins forks through replace directives, which a dependent build would ignore (and then fail
# to compile): carry them over into the scratch module, except the one pointing inside Loki's own tree.
build_loki() {
  local version="v$LOKI_VERSION"
  local out="$tools_dir/loki-$version"
  if [ ! -x "$out/loki" ]; then
    echo "building Loki $version from its Go module..."
    local work="$out.tmp"
    enter_scratch_module "$work"
    go get "github.com/grafana/loki/v3/cmd/loki@$version"
    local gomod; gomod="$(module_field "github.com/grafana/loki/v3@$version" GoMod)"
    grep -E '^(replace|exclude) ' "$gomod" | grep -v '=> \./' >> go.mod
    go get "github.com/grafana/loki/v3/cmd/loki@$version"
    mkdir -p "$out"
    go build -trimpath -o "$out/loki" github.com/grafana/loki/v3/cmd/loki
    cd "$repo" && rm -rf "$work"
  fi
  link "$out/loki" loki
}

build_compose_check() {
  local src="$repo/tools/compose-check"
  local hash; hash="$(cat "$src/main.go" "$src/go.sum" | sha256sum | cut -c1-12)"
  local out="$tools_dir/compose-check-$hash"
  if [ ! -x "$out/compose-check" ]; then
    echo "building compose-check (compose-go)..."
    mkdir -p "$out" && (cd "$src" && go build -trimpath -o "$out/compose-check" .)
  fi
  link "$out/compose-check" compose-check
}

# The Alertmanager server embeds its web UI (ui/app/dist), which is built by npm in Alertmanager's release
# process and so is not in the Go module. Tests never use the UI: build from a copy of the module source with
# a one-page placeholder in its place.
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
    go get github.com/prometheus/alertmanager/cmd/alertmanager
    mkdir -p "$out"
    go build -trimpath -o "$out/alertmanager" github.com/prometheus/alertmanager/cmd/alertmanager
    cd "$repo" && rm -rf "$work"
  fi
  link "$out/alertmanager" alertmanager
}

build_collector
build_compose_check
build_loki
build_go_commands github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION" promtool prometheus
build_go_commands github.com/prometheus/alertmanager "$ALERTMANAGER_VERSION" amtool
build_alertmanager
OBSKIT_TOOLS_DIR="$tools_dir" bash "$repo/tools/install-kube-score.sh"
echo "test tools ready in $tools_dir/bin"
