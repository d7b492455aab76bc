# The two set-up commands: `make run` and `make test`. Each installs what is missing
# (Debian packages for the system libraries, a pinned Python virtual environment for the
# test peers), then builds.

SHELL        := /bin/bash
SWIFT        ?= swift
BUILD_DIR    ?= .build
VENV         := $(BUILD_DIR)/venv
PYTHON       := $(VENV)/bin/python
REQUIREMENTS := Tests/Peers/requirements.txt
VENV_STAMP   := $(VENV)/.installed
TEST_LOG     := $(BUILD_DIR)/test-output.log

# Debian packages the build and the tests need, each with a file that proves it is there.
APT_PACKAGES := libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h \
                libsqlite3-dev:/usr/include/sqlite3.h \
                libssl-dev:/usr/include/openssl/ssl.h \
                pkg-config:/usr/bin/pkg-config \
                curl:/usr/bin/curl

.PHONY: all build run test test-swift bench fuzz deps venv clean format-lint

all: build

## deps: install the Debian packages that are missing (needs root or sudo).
deps:
	@missing=""; \
	for entry in $(APT_PACKAGES); do \
	  pkg=$${entry%%:*}; file=$${entry#*:}; \
	  if [ ! -e "$$file" ] && ! dpkg -s "$$pkg" >/dev/null 2>&1; then missing="$$missing $$pkg"; fi; \
	done; \
	if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing="$$missing python3 python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## venv: the pinned Python environment for test peers, inside the build folder.
venv: $(VENV_STAMP)

$(VENV_STAMP): $(REQUIREMENTS) | deps
	@mkdir -p $(BUILD_DIR)
	@[ -x $(PYTHON) ] || python3 -m venv $(VENV)
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r $(REQUIREMENTS)
	@touch $@

build: deps
	$(SWIFT) build

## run: build in release mode and start gatewayd.
run: deps
	$(SWIFT) build -c release
	@if [ -x $(BUILD_DIR)/release/gatewayd ]; then \
	  exec $(BUILD_DIR)/release/gatewayd serve --config Examples/quickstart.json; \
	else \
	  echo "The libraries are built (MCPCore, MCPCrypto, MCPStore). gatewayd is not part of this build yet."; \
	  exit 1; \
	fi

## test: every test, Swift and Python, then one summary line.
test: deps venv
	@mkdir -p $(BUILD_DIR)
	@set -o pipefail; MCP_TEST_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test 2>&1 | tee $(TEST_LOG); \
	status=$$?; \
	scripts/test-summary $(TEST_LOG); \
	exit $$status

format-lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf $(BUILD_DIR)
