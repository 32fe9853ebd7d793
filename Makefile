# The project's commands. `make test` is THE test command; CI (.ci/run) runs
# exactly that. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# The steps of `make test` run in order, each one only if the previous passed.
.NOTPARALLEL:

GO          ?= go
GOLANGCI    := $(GO) tool -modfile=tools/go.mod golangci-lint
DOCKERLINT  := bin/dockerlint
EMU_ADDR    ?= 127.0.0.1:9001
# The standalone emulator's demo application (ovhemu.DemoAppKey and
# DemoAppSecret; cmd/web's tests check these two lines still match).
EMU_APP_KEY    := emuDemoAppKey001
EMU_APP_SECRET := emuDemoAppSecret0000000000000001

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

## ---- the test command -------------------------------------------------------

.PHONY: test
test: deps fmt-check vet lint check-generated test-go lint-docker ## Install what is missing, then every check and test (CI runs this)
	@echo "make test: all checks passed"

.PHONY: deps
deps: ## Install what a fresh Debian machine with Go lacks (cheap when all is there)
	./scripts/install-deps.sh

.PHONY: fmt-check
fmt-check: ## Fail if any Go file is not gofmt-formatted
	@out="$$(gofmt -l .)"; if [[ -n "$$out" ]]; then echo "gofmt: these files need formatting (make fmt):"; echo "$$out"; exit 1; fi

.PHONY: vet
vet: ## go vet
	$(GO) vet ./...

.PHONY: lint
lint: ## golangci-lint (pinned in tools/go.mod; the first run compiles it, ~2-3 min)
	$(GOLANGCI) run ./...

.PHONY: check-generated
check-generated: generate ## Fail if templ output is stale or not committed
	@out="$$(git status --porcelain --untracked-files=all -- '*_templ.go')"; \
	if [[ -n "$$out" ]]; then echo "generated templ code differs from git (run make generate and commit):"; echo "$$out"; git --no-pager diff --stat -- '*_templ.go'; exit 1; fi

.PHONY: test-go
test-go: ## go test -race, every package
	$(GO) test -race -count=1 ./...

.PHONY: lint-docker
lint-docker: $(DOCKERLINT) ## Lint the Dockerfile offline with BuildKit's rules
	$(DOCKERLINT) Dockerfile
	@# The linter must still catch a known-bad Dockerfile, or a broken linter would pass.
	@if $(DOCKERLINT) tools/dockerlint/testdata/bad.Dockerfile >/dev/null; then echo "dockerlint accepted tools/dockerlint/testdata/bad.Dockerfile"; exit 1; fi

# Rebuilt every time; the Go build cache makes that instant when nothing changed.
.PHONY: $(DOCKERLINT)
$(DOCKERLINT):
	cd tools/dockerlint && $(GO) build -o ../../$(DOCKERLINT) .

## ---- everyday -----------------------------------------------------------------

.PHONY: test-short
test-short: ## Quick tests: no race detector, -short
	$(GO) test -short -count=1 ./...

.PHONY: run
run: ## The console on http://127.0.0.1:8080 in demo mode (built-in emulator)
	$(GO) run ./cmd/web

.PHONY: run-emu
run-emu: ## The OVH API emulator alone, on 127.0.0.1:9001 (EMU_ADDR=host:port to change)
	$(GO) run ./cmd/ovhemu -addr $(EMU_ADDR)

.PHONY: run-against-emu
run-against-emu: ## The console against a separately started emulator (make run-emu)
	@# Outside demo mode SESSION_KEYS is required; a fresh random key per run
	@# (sessions do not survive a restart of this development target).
	OVH_ENDPOINT=http://$(EMU_ADDR)/1.0 OVH_APPLICATION_KEY=$(EMU_APP_KEY) OVH_APPLICATION_SECRET=$(EMU_APP_SECRET) \
	SESSION_KEYS=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n') $(GO) run ./cmd/web

.PHONY: build
build: ## Build bin/web
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/web ./cmd/web

.PHONY: generate
generate: ## Regenerate templ code (views/**/*_templ.go)
	$(GO) tool templ generate

.PHONY: fmt
fmt: ## Format Go and templ files
	gofmt -w .
	$(GO) tool templ fmt views

.PHONY: screenshots
screenshots: ## Refresh docs/screenshots/ from the browser tests (headless Chromium; about 2 min)
	rm -f docs/screenshots/*.png
	UPDATE_SCREENSHOTS=1 $(GO) test -count=1 -run 'TestBrowser' ./cmd/web

.PHONY: vendor-static
vendor-static: ## Re-download htmx and Pico CSS at the versions pinned in the script (needs npm)
	./scripts/vendor-static.sh
