#!/usr/bin/env bash
# The whole test suite, with what it needs installed first.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# The sitemap test validates against the sitemaps.org schema with xmllint.
if ! command -v xmllint >/dev/null 2>&1; then
  echo "Installing libxml2-utils (xmllint) for the sitemap schema test..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq libxml2-utils >/dev/null
fi

cargo test --all-targets "$@"
