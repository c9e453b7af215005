#!/usr/bin/env bash
# Regenerates the run folders ReportingTests read, from real runs of the built workbench (debug
# build: `swift build` first), keeping only the files a report reads (RunFormat's RunLayout):
#   run               experiments/quick.json (detection; a gate that passes)
#   run-failed        quick.json with a learning rate that makes the loss non-finite: fails at train
#   run-verification  a tiny faceid.json (identity data, LFW-protocol verification)
# The runs are deterministic except for run ids, times and host; re-record the snapshots after
# running this (WORKBENCH_RECORD_SNAPSHOTS=1 swift test --filter SnapshotTests) and review them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
wb="$root/.build/debug/workbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WORKBENCH_CACHE="$tmp/cache"

keep() {  # keep SRC_RUN DEST: copy the files a report reads
  local src dst f
  src=$(cd "$1" && pwd -P); dst="$here/$2"
  rm -rf "$dst"; mkdir -p "$dst"
  for f in experiment.json manifest.json overrides.json metrics.json \
    stages/data/summary.json stages/data/samples.png stages/model/cost.json stages/model/graph.mmd \
    stages/train/history.json stages/train/volatile/history.json \
    stages/evaluate-float/detection.json stages/evaluate-float/verification.json \
    stages/evaluate-float/verification_distances.json stages/evaluate-float/samples.png; do
    if [ -f "$src/$f" ]; then mkdir -p "$dst/$(dirname "$f")"; cp "$src/$f" "$dst/$f"; fi
  done
}

"$wb" run "$root/Experiments/quick.json" --reports "$tmp/reports"
keep "$tmp/reports/quick/latest" run

"$wb" run "$root/Experiments/quick.json" --set train.optimizer.lr=1e30 --set train.grad_clip=0 --reports "$tmp/failed" && exit 1 || true
keep "$tmp/failed/quick/latest" run-failed

"$wb" run "$root/Experiments/faceid.json" --reports "$tmp/faceid" \
  --set data.image_size=32 --set data.identities=8 --set data.images_per_identity=4 --set data.test_identities=20 \
  --set data.test_images_per_identity=2 --set data.pairs_per_fold=2 --set train.epochs=2 --set train.batch_size=16 \
  --set model.width=0.25 --set evaluate.gates={} || [ $? -eq 3 ]
keep "$tmp/faceid/faceid/latest" run-verification
echo "fixtures written to $here"
