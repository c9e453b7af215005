// OpenBLAS's CBLAS interface; the include path comes from pkg-config (openblas.pc).
#include <cblas.h>
