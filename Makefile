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
	@ctest --preset asan -j $(JOBS) -L unit

# The main job. For now: run the example query through `sluice exec` (the server comes with `sluice serve`).
run: bootstrap build
	@$(BUILD_DIR)/sluice exec --schema examples/exec/schema.graphql --root examples/exec/root.json \
	  --variables examples/exec/variables.json examples/exec/query.graphql

bench: bootstrap build
	@bash bench/run.sh

# Runs the parser fuzzer for FUZZ_SECONDS (default 60).
fuzz: bootstrap asan
	@mkdir -p build/fuzz-corpus
	@build/asan/fuzz/fuzz_parser -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 -artifact_prefix=build/fuzz- build/fuzz-corpus fuzz/seeds

clean:
	@rm -rf build

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')
