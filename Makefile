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
                sqlite3:/usr/bin/sqlite3 \
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

## run: build in release mode and start gatewayd in front of the example server and the
## reference time server (from the pinned virtual environment).
run: deps venv
	$(SWIFT) build -c release --product gatewayd
	$(SWIFT) build -c release --product mcp-example-server
	@echo
	@echo "MCP endpoint: http://127.0.0.1:8080/mcp  (tools example__echo, example__add, ..., time__get_current_time, ...)"
	@echo "Try it from another terminal (one stateless 2026-07-28 request, no session needed):"
	@echo "  curl -s http://127.0.0.1:8080/mcp -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\"
	@echo "    -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/call' -H 'Mcp-Name: time__get_current_time' \\"
	@echo "    -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"time__get_current_time\",\"arguments\":{\"timezone\":\"Europe/Paris\"}}}'"
	@echo "Metrics: curl -s http://127.0.0.1:8080/metrics"
	@echo
	exec $(BUILD_DIR)/release/gatewayd serve --config Examples/quickstart.json

## test: every test, Swift and Python, then one summary line.
test: deps venv
	@mkdir -p $(BUILD_DIR)
	@set -o pipefail; MCP_TEST_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test 2>&1 | tee $(TEST_LOG); \
	status=$$?; \
	scripts/test-summary $(TEST_LOG); \
	exit $$status

## bench: build the benchmarks in release mode and print their figures (never asserts).
BENCH_BUILD := .build-bench

bench: deps
	@missing=""; for tool in wrk:wrk nginx:nginx-light; do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || [ -x /usr/sbin/$${tool%%:*} ] || missing="$$missing $${tool#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	$(SWIFT) build -c release --product gatewayd
	$(SWIFT) build -c release --product mcp-example-server
	$(SWIFT) build -c release --package-path Benchmarks --scratch-path $(BENCH_BUILD)
	$(BENCH_BUILD)/release/mcp-bench $(BENCH_FILTER)

## fuzz: build the libFuzzer targets and run each for FUZZ_SECONDS (default 60); fails on
## any crash or broken invariant, whose input is kept under .build-fuzz/artifacts.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := JSONParser Envelope HTTPParser SSEParser InspectScanner
FUZZ_BUILD   := .build-fuzz

fuzz: deps
	@for target in $(FUZZ_TARGETS); do \
	  $(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) --product Fuzz$$target --sanitize=fuzzer || exit 1; \
	done
	@status=0; for target in $(FUZZ_TARGETS); do \
	  corpus=$(FUZZ_BUILD)/corpus/$$target; artifacts=$(FUZZ_BUILD)/artifacts/$$target/; log=$(FUZZ_BUILD)/$$target.log; \
	  mkdir -p $$corpus $$artifacts; \
	  echo "== Fuzz$$target for $(FUZZ_SECONDS) s"; \
	  if ! SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/debug/Fuzz$$target -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	       -artifact_prefix=$$artifacts -print_final_stats=1 $$corpus Fuzz/Corpus/$$target > $$log 2>&1; then \
	    status=1; echo "   FAILED: see $$log and $$artifacts"; grep -E 'ERROR|Fatal error|SUMMARY' $$log | head -5; \
	  fi; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' $$log | tail -1; \
	done; exit $$status

format-lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf $(BUILD_DIR)
