#!/usr/bin/env bash
# Proves the tests belong to obskit, not to one spec: copies the committed tree to a temporary folder, puts a
# different spec (test/fixtures/specs/other-stack.ts) in place of src/stack.ts and runs the unit suite there.
# Left out: test/synth (it compares the committed outputs with a fresh synth of src/stack.ts, so must differ
# here) and test/live (slow; the main run covers it). Extra jest arguments are passed on.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git -C "$repo" archive HEAD | tar -x -C "$tmp"
ln -s "$repo/node_modules" "$tmp/node_modules"
printf "export { stack } from '../test/fixtures/specs/other-stack';\n" >"$tmp/src/stack.ts"
cd "$tmp"
# The swapped spec must itself synthesise cleanly.
npx tsx src/main.ts --out "$tmp/synth-out" >/dev/null
npx jest --testPathIgnorePatterns '<rootDir>/test/live' '<rootDir>/test/synth/' "$@"
