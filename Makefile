# Workbench's commands. `make test` is what CI runs (.ci/run) and what the README documents.
SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: bootstrap build test bench run clean

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(SWIFT_FLAGS)

## Installs what is missing, builds, and runs every test.
test: bootstrap
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

## Performance benchmarks (release build): ratios against references measured in the same run.
bench: bootstrap
	$(SWIFT) build -c release --product WorkbenchBench
	$(SWIFT) run -c release --skip-build WorkbenchBench

clean:
	rm -rf .build
