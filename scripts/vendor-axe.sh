#!/usr/bin/env bash
# vendor-axe.sh re-downloads axe-core, the accessibility rules engine the
# browser tests run in every page (cmd/web/browser_*_test.go), at the version
# pinned below, with `npm pack` (no node_modules, no install scripts), and
# copies its minified build and licence into cmd/web/testdata/. It is test
# data only: nothing in the console's binary embeds or serves it. It prints
# the sha256 of the files it wrote.
#
# To upgrade: change the pin, run this script, update axeFile in
# cmd/web/browser_helpers_test.go, run the browser tests, review new
# violations.
set -euo pipefail

AXE_VERSION=4.14.1 # npm axe-core; latest on 2026-11-26 (`npm view axe-core version`)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/cmd/web/testdata"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >name)
mkdir -p "$tmp/axe"
tar -xzf "$tmp/$(tail -n1 "$tmp/name")" -C "$tmp/axe" --strip-components=1

mkdir -p "$dest"
find "$dest" -maxdepth 1 -name 'axe-core-*' ! -name "axe-core-$AXE_VERSION.*" -delete
install -m 0644 "$tmp/axe/axe.min.js" "$dest/axe-core-$AXE_VERSION.min.js"
install -m 0644 "$tmp/axe/LICENSE" "$dest/axe-core-$AXE_VERSION.LICENSE"

cd "$root"
sha256sum "cmd/web/testdata/axe-core-$AXE_VERSION.min.js" "cmd/web/testdata/axe-core-$AXE_VERSION.LICENSE"
