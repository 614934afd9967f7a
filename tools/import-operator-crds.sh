#!/usr/bin/env bash
# Regenerates src/charts/operator/imports/ (the classes that type operator mode's resources) from the Prometheus
# Operator's CRDs at the pinned version (PROMETHEUS_OPERATOR_VERSION in src/charts/operator/resources.ts), with
# cdk8s-cli's `import`. Run `npm run tools` first (it copies the CRDs out of the Operator's Go module); needs npm.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tools_dir="${OBSKIT_TOOLS_DIR:-$HOME/.cache/obskit/tools}"
eval "$(cd "$repo" && npx --no-install tsx tools/print-versions.ts)"
crds="$tools_dir/prometheus-operator-crds-$PROMETHEUS_OPERATOR_VERSION"
[ -d "$crds" ] || { echo "no CRDs in $crds: run npm run tools" >&2; exit 1; }
CDK8S_CLI_VERSION=2.207.60

out="$repo/src/charts/operator/imports"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for kind in prometheuses servicemonitors prometheusrules; do
  (cd "$work" && npx --yes "cdk8s-cli@$CDK8S_CLI_VERSION" import "$kind:=$crds/monitoring.coreos.com_$kind.yaml" \
    --language typescript --output imports >/dev/null)
  mv "$work/imports/$kind-monitoring.coreos.com.ts" "$out/$kind.ts"
done
echo "regenerated $out from the Prometheus Operator $PROMETHEUS_OPERATOR_VERSION CRDs"
