#!/usr/bin/env bash
# The tests on another Node than the machine's, e.g. production's:
#
#   scripts/testOnNode.sh 24                      # every project but system on Node 24
#   scripts/testOnNode.sh 24 e2e/reservations     # anything else `npx vitest run` takes
#
# That Node is the `node` package of the npm registry (cached by npx), put first on PATH, so the
# tests and every process they start run on it. Native addons built by node-gyp for the machine's
# Node are rebuilt for it first and back afterwards (the repository has none today: its embedded
# database, PGlite, is WebAssembly, and its other binaries are Node-API or standalone).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

major="${1:?usage: scripts/testOnNode.sh <node major> [vitest arguments]}"
shift
if [ "$#" -eq 0 ]; then set -- --project unit --project integration --project own-process; fi

bin="$(npx --yes --package "node@${major}" -- sh -c 'dirname "$(command -v node)"')"
version="$(PATH="${bin}:${PATH}" node --version)"
case "$version" in
  "v${major}."*) ;;
  *) echo "scripts/testOnNode.sh: asked for Node ${major}, npx gave ${version}" >&2; exit 1 ;;
esac
echo "scripts/testOnNode.sh: vitest run $* on Node ${version#v} (machine: $(node --version))"

# Packages with an addon node-gyp built (`build/Release/*.node`), once each.
rebuild() {
  echo "scripts/testOnNode.sh: npm rebuild $* on $(node --version)"
  npm rebuild "$@"
}
# Package names have no spaces: the list splits on them (bash 3.2, macOS's, has no mapfile).
addons="$(find node_modules -path '*/build/Release/*.node' 2>/dev/null |
  sed -E 's#/build/Release/.*##; s#.*node_modules/##' | sort -u | tr '\n' ' ')"
if [ -n "${addons// /}" ]; then
  # shellcheck disable=SC2086
  trap 'rebuild $addons' EXIT
  # shellcheck disable=SC2086
  PATH="${bin}:${PATH}" rebuild $addons
fi

# Workspace packages that tests start as processes run from dist/ (a cached build is seconds).
npx turbo run build --output-logs=errors-only
PATH="${bin}:${PATH}" npx vitest run "$@"
