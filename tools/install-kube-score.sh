#!/usr/bin/env bash
# Installs kube-score (https://github.com/zegl/kube-score), the policy checker CI runs over dist/k8s, at the pinned
# version (KUBE_SCORE_VERSION in src/charts/policy-exceptions.ts; a test keeps the two equal) into
# "${OBSKIT_TOOLS_DIR:-$HOME/.cache/obskit/tools}/bin/kube-score", where the tests find it (test/support/tools.ts;
# OBSKIT_KUBE_SCORE overrides). Needs Go. Does nothing when that version is already there.
set -euo pipefail

KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-v1.20.0}"
tools_dir="${OBSKIT_TOOLS_DIR:-$HOME/.cache/obskit/tools}"
out="$tools_dir/kube-score-$KUBE_SCORE_VERSION"
mkdir -p "$tools_dir/bin"

if [ ! -x "$out/kube-score" ]; then
  command -v go >/dev/null || { echo "tools/install-kube-score.sh: Go is needed to build kube-score (https://go.dev/dl/)" >&2; exit 1; }
  echo "building kube-score $KUBE_SCORE_VERSION..."
  rm -rf "$out.tmp"
  # -X main.version: `kube-score version` then names the release (a plain go install prints "development").
  GOBIN="$out.tmp" go install -trimpath -ldflags "-X main.version=$KUBE_SCORE_VERSION" \
    "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  mv "$out.tmp" "$out"
fi
ln -sf "$out/kube-score" "$tools_dir/bin/kube-score"
echo "  kube-score -> $out/kube-score"
