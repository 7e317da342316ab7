# portier: the two commands of the README.
#   make run   install what is missing, build (Release), migrate, serve on :8080
#   make test  build and run every test tier (unit, contract, integration, browser)
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps test-deps build run test test-unit test-contract test-integration test-e2e bench clean

deps:
	@./scripts/install-deps.sh

test-deps:
	@./scripts/install-deps.sh --test
	@[ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund

$(BUILD)/build.ninja $(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/portier migrate
	$(BUILD)/portier serve

test: test-deps build
	$(MAKE) --no-print-directory test-unit test-contract test-integration test-e2e

test-unit:
	$(BUILD)/unit_tests --gtest_brief=1

test-contract:
	$(BUILD)/contract_tests --gtest_brief=1

test-integration:
	node --test --test-concurrency=1 tests/integration/

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

bench: build
	./bench/run.sh

clean:
	rm -rf $(BUILD)
