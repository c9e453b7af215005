# Workbench's commands. `make test` is what CI runs (.ci/run) and what the README documents.
SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: bootstrap build release test test-slurm lint bench run clean check-report onnx-proto
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
	WORKBENCH_NNCASE_PYTHON=$${WORKBENCH_NNCASE_PYTHON:-$$( [ -x .workbench/nncase-venv/bin/python ] && echo $(CURDIR)/.workbench/nncase-venv/bin/python )} \
	  $(SWIFT) test --skip-build $(SWIFT_FLAGS)

## The sweep's Slurm tests on a real single-node cluster: installs munge + slurm if missing (apt,
## as root), starts the daemons (scripts/slurm-single-node.sh), runs the tests, stops the daemons
## it started. Prints why it skipped when the cluster cannot start.
test-slurm: bootstrap
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	WORKBENCH_SLURM=1 $(SWIFT) test --skip-build --filter 'SlurmSweepTests|SlurmLauncherTests' $(SWIFT_FLAGS)

## Checks formatting and style against .swift-format (swift-format ships with the toolchain);
## `swift format --in-place --recursive Sources Tests Benchmarks Package.swift` fixes what it can.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

## Performance benchmarks (release build): ratios against PyTorch measured in the same run, one
## process per side and round, withheld when other processes loaded the machine. BENCH_STRICT=1
## makes an unreliable ratio fail the target; BENCH_ONLY=reference,kernels,growth,memory selects
## WorkbenchBench's sections (more settings: Benchmarks/BenchProtocol/BenchOptions.swift).
BENCH_STRICT ?=
BENCH_ONLY ?=
bench: export WORKBENCH_BENCH_STRICT := $(or $(BENCH_STRICT),$(WORKBENCH_BENCH_STRICT))
bench: export WORKBENCH_BENCH_ONLY := $(or $(BENCH_ONLY),$(WORKBENCH_BENCH_ONLY))
bench: bootstrap
	$(SWIFT) build -c release --product WorkbenchBench
	$(SWIFT) build -c release --product MetricsBench
	$(SWIFT) build -c release --product DataBench
	$(SWIFT) build -c release --product TrainingBench
	$(SWIFT) build -c release --product HashBench
	$(SWIFT) build -c release --product ONNXBench
	$(SWIFT) build -c release --product KModelBench
	@# Every bench runs; with BENCH_STRICT=1 the target fails at the end if any of them withheld a
	@# ratio (exit 3) or failed.
	@status=0; \
	for b in WorkbenchBench TrainingBench MetricsBench DataBench HashBench ONNXBench; do \
	  .build/release/$$b || status=$$?; \
	done; \
	WORKBENCH_NNCASE_PYTHON=$${WORKBENCH_NNCASE_PYTHON:-$$( [ -x .workbench/nncase-venv/bin/python ] && echo $(CURDIR)/.workbench/nncase-venv/bin/python )} \
	  .build/release/KModelBench || status=$$?; \
	exit $$status

CHECK_REPORT_DIR ?= .build/check-report
## Runs a small real experiment and the quick sweep, renders their reports and the run index in
## headless Chromium (fails on console messages or images that do not load) and saves
## screenshots. CI runs it.
check-report: build
	rm -rf $(CHECK_REPORT_DIR)
	.build/debug/workbench run experiments/quick.json --reports $(CHECK_REPORT_DIR)/Reports || [ $$? -eq 3 ]
	.build/debug/workbench report $(CHECK_REPORT_DIR)/Reports/quick/latest
	bash scripts/check-report.sh $(CHECK_REPORT_DIR)/Reports/quick/latest/report.html $(CHECK_REPORT_DIR)/report.png
	bash scripts/check-report.sh $(CHECK_REPORT_DIR)/Reports/index.html $(CHECK_REPORT_DIR)/index.png
	.build/debug/workbench sweep Experiments/quick-sweep.json --reports $(CHECK_REPORT_DIR)/Reports
	bash scripts/check-report.sh $$(ls $(CHECK_REPORT_DIR)/Reports/quick-sweep/*/report.html) $(CHECK_REPORT_DIR)/sweep.png

## Regenerates the ONNX protobuf messages (Sources/ONNX/Generated/onnx.pb.swift, committed) from
## Protos/onnx.proto (the schema shipped in the `onnx` wheel, onnx/onnx.proto) with Debian's
## `protobuf-compiler` and swift-protobuf's plugin, built once outside the package, e.g.
##   git clone https://github.com/apple/swift-protobuf && cd swift-protobuf && git checkout 1.39.0
##   swift build -c release --product protoc-gen-swift
## then `make onnx-proto PROTOC_GEN_SWIFT=/path/to/.build/release/protoc-gen-swift`.
PROTOC ?= protoc
PROTOC_GEN_SWIFT ?= protoc-gen-swift
onnx-proto:
	$(PROTOC) --plugin=protoc-gen-swift=$(PROTOC_GEN_SWIFT) --swift_opt=Visibility=Internal \
		--swift_out=Sources/ONNX/Generated -I Protos Protos/onnx.proto

clean:
	rm -rf .build
