# portier: the two commands of the README.
#   make run   install what is missing, build (Release), migrate, serve on :8080
#   make test  build and run every test tier (unit, contract, integration, browser)
#              and a short run of each fuzz target
#   make fuzz  run each fuzz target (tests/fuzz) for FUZZ_SECONDS (default 60)
BUILD ?= build
JOBS ?= $(shell nproc)
# libFuzzer targets: a clang build folder of their own (tests/fuzz/CMakeLists.txt).
FUZZ_BUILD ?= build-fuzz
FUZZ_CXX ?= clang++
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 8

.PHONY: deps test-deps assets build build-server run screenshots test test-unit test-contract test-integration test-integration-sqlite \
	test-integration-postgres test-e2e test-e2e-postgres bench clean \
	fuzz fuzz-build test-fuzz

deps:
	@./scripts/install-deps.sh

test-deps: node_modules/.package-lock.json
	@./scripts/install-deps.sh --test

# npm packages from the committed lockfile: reinstalled only when node_modules
# is missing or older than package-lock.json (npm writes this hidden lockfile).
node_modules/.package-lock.json: package-lock.json | deps
	npm ci --no-audit --no-fund
	@touch $@

# Browser-side files served from /static/vendor/ (the ALTCHA widget's
# CSP-friendly build: script, style sheet, worker). Copied from node_modules,
# never committed (static/vendor/ is ignored).
VENDOR_FILES := $(addprefix static/vendor/,altcha.js altcha.css worker.js)
static/vendor/%: node_modules/.package-lock.json
	@mkdir -p static/vendor
	cp node_modules/altcha/dist_external/$* $@

assets: $(VENDOR_FILES)

$(BUILD)/build.ninja $(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

# `make run` builds the server alone: the test programs and benchmarks are for
# `make test` and `make bench`.
build-server: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS) --target portier

run: build-server assets
	$(BUILD)/portier migrate
	$(BUILD)/portier serve

test: test-deps build assets
	$(MAKE) --no-print-directory test-unit test-contract test-integration test-e2e test-fuzz

test-unit:
	$(BUILD)/unit_tests --gtest_brief=1

# The contract tier runs every backend: SQLite in memory, and PostgreSQL in a
# throwaway cluster that scripts/with-postgres.sh starts and removes.
test-contract:
	./scripts/with-postgres.sh $(BUILD)/contract_tests --gtest_brief=1

# The integration tier runs on both backends, one after the other (about two
# minutes each): SQLite in each server's data folder, then PostgreSQL, one
# database per server in a throwaway cluster (tests/support/portier.js reads
# PORTIER_TEST_BACKEND). `make test-integration-sqlite` or
# `make test-integration-postgres` runs one of them. The files about several
# nodes on one database (nodes.test.js) need the cluster: they run in the
# PostgreSQL run and are skipped, saying why, in the SQLite one.
test-integration: test-integration-sqlite test-integration-postgres

test-integration-sqlite:
	@echo "== integration tier on SQLite"
	PORTIER_TEST_BACKEND=sqlite node --test --test-concurrency=1 tests/integration/

test-integration-postgres:
	@echo "== integration tier on PostgreSQL"
	./scripts/with-postgres.sh env PORTIER_TEST_BACKEND=postgres node --test --test-concurrency=1 tests/integration/

# The browser tier runs on SQLite in `make test`: its journeys go through the
# server code the integration tier covers on PostgreSQL, and a second run
# would add about six minutes. `make test-e2e-postgres` runs it there on demand.
test-e2e:
	node --test --test-concurrency=1 tests/e2e/

test-e2e-postgres:
	./scripts/with-postgres.sh env PORTIER_TEST_BACKEND=postgres node --test --test-concurrency=1 tests/e2e/

# Browser journeys write their screenshots to tests/e2e/screenshots/ (ignored);
# this deliberate run also refreshes the committed ones in docs/screenshots/.
screenshots: test-deps build assets
	PORTIER_DOCS_SCREENSHOTS=1 node --test --test-concurrency=1 tests/e2e/

$(FUZZ_BUILD)/Makefile:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTIER_FUZZ=ON

fuzz-build: $(FUZZ_BUILD)/Makefile
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Each parser for FUZZ_SECONDS; new inputs stay in $(FUZZ_BUILD)/corpus,
# findings in $(FUZZ_BUILD)/crashes (docs/security.md, "Parsers are fuzzed").
fuzz: fuzz-build
	./scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BUILD)

# The short run of `make test`: the committed seeds, then FUZZ_TEST_SECONDS each.
test-fuzz: fuzz-build
	./scripts/fuzz.sh $(FUZZ_TEST_SECONDS) $(FUZZ_BUILD)

bench: build
	./bench/run.sh

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
