# Sluice: the two commands are `make run` (start the main job) and `make test` (build and pass every test).
JOBS ?= $(shell nproc)
BUILD_DIR := build/release

.PHONY: all bootstrap build debug asan test test-asan run bench fuzz clean format

all: build

bootstrap:
	@bash scripts/bootstrap

build:
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

debug:
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

asan:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# Every test: unit tests of every module, the differential test against graphql-js, conformance tests.
test: bootstrap build
	@ctest --preset release -j $(JOBS)

# The unit tests under AddressSanitizer and UBSan.
test-asan: bootstrap asan
	@ctest --preset asan -j $(JOBS) -L "unit|integration"

# The main job: the demo application on http://127.0.0.1:4000/graphql (SLUICE_PORT, SLUICE_HOST, ... change it).
run: bootstrap build
	@echo "Point a GraphQL client at http://$${SLUICE_HOST:-127.0.0.1}:$${SLUICE_PORT:-4000}/graphql, for example:"
	@echo "  curl -s http://$${SLUICE_HOST:-127.0.0.1}:$${SLUICE_PORT:-4000}/graphql -H 'content-type: application/json' -d '{\"query\":\"{ hello }\"}'"
	@echo "Stop it with Ctrl-C."
	@$(BUILD_DIR)/sluice serve --demo

bench: bootstrap build
	@bash bench/run.sh

# Runs the parser, WebSocket-protocol and WebSocket-frame fuzzers for FUZZ_SECONDS each (default 60).
fuzz: bootstrap asan
	@mkdir -p build/fuzz-corpus build/fuzz-corpus-ws
	@build/asan/fuzz/fuzz_parser -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 -artifact_prefix=build/fuzz- build/fuzz-corpus fuzz/seeds
	@build/asan/fuzz/fuzz_ws_protocol -max_total_time=$${FUZZ_SECONDS:-60} -artifact_prefix=build/fuzz-ws- build/fuzz-corpus-ws
	@mkdir -p build/fuzz-corpus-frames
	@build/asan/fuzz/fuzz_ws_frames -max_total_time=$${FUZZ_SECONDS:-60} -artifact_prefix=build/fuzz-frames- build/fuzz-corpus-frames

clean:
	@rm -rf build

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')
