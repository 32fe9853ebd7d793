#!/usr/bin/env bash
# install-deps.sh installs what a fresh Debian machine with Go lacks to run
# `make test`, and nothing when it is all there already (it is cheap to run
# every time). It also downloads the Go modules of the main and tools modules
# so that the later steps fail on a network problem here, clearly, rather
# than in the middle of a compile.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Go: go.mod's `go` line names the minimum; the go command fetches a newer
# toolchain itself when allowed (GOTOOLCHAIN=auto), so only its presence is
# checked here.
if ! command -v go >/dev/null; then
	echo "install-deps: Go is not installed (https://go.dev/dl/); go.mod needs $(sed -n 's/^go //p' go.mod)" >&2
	exit 1
fi
missing_apt=()
if ! command -v git >/dev/null; then
	missing_apt+=(git) # the generated-code check compares with git
fi

# Debian packages the test suite needs. Each entry is "command:package".
# ---------------------------------------------------------------------------
# NEXT ISSUES ADD THEIR SYSTEM DEPENDENCIES HERE, e.g. the browser tests and
# the Redis session store:
#   "chromium:chromium"
#   "redis-server:redis-server"
# ---------------------------------------------------------------------------
needs=(
	"redis-server:redis-server" # the Redis session store's tests start one on loopback (issue 4)
	"chromium:chromium"         # the browser tests (cmd/web/browser_test.go) drive it headless (issue 7)
)
for need in "${needs[@]}"; do
	if ! command -v "${need%%:*}" >/dev/null; then
		missing_apt+=("${need#*:}")
	fi
done

if ((${#missing_apt[@]} > 0)); then
	echo "install-deps: installing ${missing_apt[*]}"
	sudo=()
	if [[ $(id -u) != 0 ]]; then
		sudo=(sudo)
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing_apt[@]}"
fi

go mod download
(cd tools && go mod download)
(cd tools/dockerlint && go mod download)
echo "install-deps: ok"
