#!/usr/bin/env bash
# The whole test suite, with what it needs installed first.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need from the system: xmllint (sitemap schema), Chromium
# (browser tests), a Java runtime (the Nu HTML Checker), Node.js and npm.
missing=()
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} for the tests..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo test --all-targets "$@"

# Browser tests: the example site in real Chromium (navigation, axe-core in
# light and dark), and the Nu HTML Checker over every page.
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo build --quiet --bin attache
ATTACHE="$PWD/target/debug/attache" node tests/browser/run.mjs
