// libhdf5's C API; the include path comes from pkg-config (hdf5.pc).
#include <hdf5.h>
#include <string.h>

// Swift cannot import HDF5's function-like macros (H5T_NATIVE_*, H5P_DEFAULT, ...), so these
// helpers return them as plain values. They are static inline: no separate C target is needed.

static inline hid_t wb_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t wb_h5s_all(void) { return H5S_ALL; }
static inline hid_t wb_h5e_default(void) { return H5E_DEFAULT; }
static inline unsigned wb_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned wb_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned wb_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned wb_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hid_t wb_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t wb_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t wb_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t wb_h5p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t wb_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline size_t wb_h5t_variable(void) { return H5T_VARIABLE; }

static inline hid_t wb_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t wb_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t wb_h5t_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t wb_h5t_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t wb_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t wb_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t wb_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t wb_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t wb_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t wb_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t wb_h5t_c_s1(void) { return H5T_C_S1; }

/// Turns off HDF5's printing of its error stack to stderr for the calling thread (the setting is
/// per thread in thread-safe builds); Swift reports errors instead.
static inline void wb_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

typedef struct { char *buffer; size_t capacity; } wb_h5_error_sink;

static inline herr_t wb_h5_error_walker(unsigned n, const H5E_error2_t *e, void *data) {
  wb_h5_error_sink *sink = (wb_h5_error_sink *)data;
  // The innermost entry (n == 0) is usually the most specific: keep its description.
  if (n == 0 && e->desc != NULL) {
    strncpy(sink->buffer, e->desc, sink->capacity - 1);
    sink->buffer[sink->capacity - 1] = '\0';
  }
  return 0;
}

/// Copies the most specific message of the current thread's HDF5 error stack into `buffer`
/// (empty when there is none) and clears the stack.
static inline void wb_h5_last_error(char *buffer, size_t capacity) {
  if (capacity == 0) return;
  buffer[0] = '\0';
  wb_h5_error_sink sink = { buffer, capacity };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, wb_h5_error_walker, &sink);
  H5Eclear2(H5E_DEFAULT);
}

/// Frees the memory HDF5 allocated while reading variable-length data into `buffer`.
static inline herr_t wb_h5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
  return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}
