#!/usr/bin/env bash
# Installs what Workbench needs on a Debian/Ubuntu machine. Idempotent: only missing packages
# are installed, so a second run does nothing. Needs root (or sudo) for apt.
set -euo pipefail

APT_PACKAGES=(pkg-config libopenblas-dev libhdf5-dev hdf5-tools libpng-dev libjpeg-dev libcairo2-dev)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "bootstrap: system packages present"
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: no Swift toolchain on PATH. Install Swift 6.x (https://www.swift.org/install/linux/) and re-run." >&2
  exit 1
fi

# Optional reference tools for cross-check tests (skipped with a message when absent).
if [ "${WORKBENCH_SKIP_PYTHON:-0}" != "1" ] && command -v python3 >/dev/null 2>&1; then
  python3 - <<'PY' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check numpy pycocotools scikit-learn h5py >/dev/null 2>&1 || echo "bootstrap: optional Python cross-check tools not installed (tests that need them will skip)"
import numpy, pycocotools, sklearn, h5py
PY
fi
# ONNX and ONNX Runtime for the ONNX export checks (onnx.checker, Runtime parity); optional too.
if [ "${WORKBENCH_SKIP_PYTHON:-0}" != "1" ] && command -v python3 >/dev/null 2>&1; then
  python3 -c "import onnx, onnxruntime" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check onnx onnxruntime >/dev/null 2>&1 || echo "bootstrap: onnx/onnxruntime not installed (the ONNX cross-checks will skip)"
fi
# PyTorch for the gradient-parity test and the benchmark's ratio: only from a local wheel
# (PIP_FIND_LINKS, e.g. /opt/wheels), never a large download; skipped otherwise.
if [ "${WORKBENCH_SKIP_PYTHON:-0}" != "1" ] && command -v python3 >/dev/null 2>&1 && ! python3 -c "import torch" 2>/dev/null; then
  for dir in ${PIP_FIND_LINKS:-} /opt/wheels; do
    wheel=$(ls "$dir"/torch-*.whl 2>/dev/null | head -1 || true)
    if [ -n "$wheel" ]; then
      python3 -m pip install -q --disable-pip-version-check "$wheel" >/dev/null 2>&1 && echo "bootstrap: installed PyTorch from $wheel" || echo "bootstrap: PyTorch wheel $wheel did not install (parity tests will skip)"
      break
    fi
  done
fi
# nncase 1.9 (the K210 cross-check, k210.md §13): its wheel needs Python 3.10, kept in a venv
# at .workbench/nncase-venv (about 1.5 minutes, once); `make test` points the test at it.
if [ "${WORKBENCH_SKIP_PYTHON:-0}" != "1" ] && [ ! -x .workbench/nncase-venv/bin/python ]; then
  py310=""
  for candidate in $(command -v python3.10 2>/dev/null) ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.10*/bin/python3.10; do
    if [ -x "$candidate" ] && "$candidate" -c "import sys" 2>/dev/null; then py310=$candidate; break; fi
  done
  if [ -n "$py310" ]; then
    mkdir -p .workbench
    { "$py310" -m venv .workbench/nncase-venv \
      && .workbench/nncase-venv/bin/pip install -q --disable-pip-version-check "nncase==1.9.0.20230322" "onnx==1.14.1" "numpy<2" "onnxruntime==1.16.3"; } >/dev/null 2>&1 \
      && echo "bootstrap: nncase 1.9 installed in .workbench/nncase-venv" \
      || { rm -rf .workbench/nncase-venv; echo "bootstrap: nncase 1.9 not installed (the nncase cross-check will skip)"; }
  else
    echo "bootstrap: no Python 3.10 for nncase 1.9 (the nncase cross-check will skip)"
  fi
fi
echo "bootstrap: ready"
