// OpenBLAS's CBLAS declarations; the include path comes from pkg-config (openblas.pc).
// The library is not linked at build time: Tensors loads it with dlopen after choosing the
// kernel set (OPENBLAS_CORETYPE), because OpenBLAS picks its kernels once, when it is loaded,
// and 0.3.21 falls back to generic SSE3 kernels on CPUs it does not know (see BLASLoader.swift).
#include <cblas.h>
