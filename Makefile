# Workbench's commands. `make test` is what CI runs (.ci/run) and what the README documents.
SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: bootstrap build release test bench run clean
EXPERIMENT ?= experiments/yolo.json

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(SWIFT_FLAGS)

release: bootstrap
	$(SWIFT) build -c release --product workbench $(SWIFT_FLAGS)

## Installs what is missing, builds (release) and runs the main experiment on the built-in data.
run: release
	.build/release/workbench run $(EXPERIMENT)

## Installs what is missing, builds, and runs every test.
test: bootstrap
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

## Performance benchmarks (release build): ratios against references measured in the same run.
bench: bootstrap
	$(SWIFT) build -c release --product WorkbenchBench
	$(SWIFT) build -c release --product MetricsBench
	$(SWIFT) build -c release --product DataBench
	.build/release/WorkbenchBench
	.build/release/MetricsBench
	.build/release/DataBench

clean:
	rm -rf .build
