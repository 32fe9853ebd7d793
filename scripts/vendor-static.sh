#!/usr/bin/env bash
# vendor-static.sh re-downloads the third-party front-end files we embed, at the
# versions pinned below, with `npm pack` (no node_modules, no install scripts),
# and copies them into static/ with the version in the file name, next to
# their licence. It prints the sha256 of every file it wrote.
#
# To upgrade: change a pin, run `make vendor-static`, review the diff (the old
# files are removed and the constants in static/static.go are rewritten), run
# `make test`. htmx stays on the 2.x line on purpose: htmx 4 changes
# inheritance and error swapping (see README, "Front end").
set -euo pipefail

HTMX_VERSION=2.0.11 # npm htmx.org; latest 2.0.* on 2026-11-26 (`npm view htmx.org@2 version`)
PICO_VERSION=2.1.1  # npm @picocss/pico

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
static="$root/static"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # fetch <npm spec> <dir>: unpack the package tarball into <dir>
	local spec="$1" dir="$2"
	mkdir -p "$dir"
	(cd "$tmp" && npm pack --silent "$spec" >"$dir.name")
	tar -xzf "$tmp/$(tail -n1 "$dir.name")" -C "$dir" --strip-components=1
}

fetch "htmx.org@$HTMX_VERSION" "$tmp/htmx"
fetch "@picocss/pico@$PICO_VERSION" "$tmp/pico"

# Remove the files of other versions so that only the pinned ones are embedded.
find "$static/js" -maxdepth 1 -name 'htmx-*' ! -name "htmx-$HTMX_VERSION.*" -delete
find "$static/css" -maxdepth 1 -name 'pico-*' ! -name "pico-$PICO_VERSION.*" -delete

install -m 0644 "$tmp/htmx/dist/htmx.min.js" "$static/js/htmx-$HTMX_VERSION.min.js"
install -m 0644 "$tmp/htmx/LICENSE" "$static/js/htmx-$HTMX_VERSION.LICENSE"
install -m 0644 "$tmp/pico/css/pico.min.css" "$static/css/pico-$PICO_VERSION.min.css"
install -m 0644 "$tmp/pico/LICENSE.md" "$static/css/pico-$PICO_VERSION.LICENSE.md"

# The layout links the files through these constants; keep them in step.
sed -i -E \
	-e "s|^(\tHTMXFile = \"js/htmx-)[^\"]*(\.min\.js\")|\1$HTMX_VERSION\2|" \
	-e "s|^(\tPicoFile = \"css/pico-)[^\"]*(\.min\.css\")|\1$PICO_VERSION\2|" \
	"$static/static.go"

cd "$root"
sha256sum "static/js/htmx-$HTMX_VERSION.min.js" "static/js/htmx-$HTMX_VERSION.LICENSE" \
	"static/css/pico-$PICO_VERSION.min.css" "static/css/pico-$PICO_VERSION.LICENSE.md"
grep -E '^\t(HTMXFile|PicoFile) = ' static/static.go
