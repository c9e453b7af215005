// libjpeg(-turbo)'s C API. jpeglib.h needs stdio.h and stddef.h first.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// libjpeg's default error handler calls exit(); ours longjmps back into wb_jpeg_decode, which is
// C, so no Swift frame is ever jumped over. A premature end of data (a libjpeg warning that would
// otherwise silently fill the image with gray) is treated as an error.

typedef struct {
  struct jpeg_error_mgr manager;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} wb_jpeg_error;

static inline void wb_jpeg_error_exit(j_common_ptr info) {
  wb_jpeg_error *error = (wb_jpeg_error *)info->err;
  (*info->err->format_message)(info, error->message);
  longjmp(error->jump, 1);
}

static inline void wb_jpeg_emit_message(j_common_ptr info, int level) {
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) wb_jpeg_error_exit(info);
  // Other warnings (e.g. extraneous bytes) and trace messages are ignored, like most decoders.
}

static inline void wb_jpeg_free(void *pointer) { free(pointer); }

/// Decodes a baseline or progressive JPEG to 8-bit interleaved gray (1 channel) or RGB (3).
/// Returns 1 with a malloc'd buffer, or 0 with `message` filled.
static inline int wb_jpeg_decode(const unsigned char *data, size_t size, unsigned char **pixels,
                                 unsigned *width, unsigned *height, unsigned *channels,
                                 char *message, size_t capacity) {
  struct jpeg_decompress_struct info;
  wb_jpeg_error error;
  unsigned char *volatile buffer = NULL;
  *pixels = NULL;
  memset(&info, 0, sizeof info);
  memset(&error, 0, sizeof error);
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = wb_jpeg_error_exit;
  error.manager.emit_message = wb_jpeg_emit_message;
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&info);
    free(buffer);
    strncpy(message, error.message, capacity - 1);
    message[capacity - 1] = '\0';
    return 0;
  }
  jpeg_create_decompress(&info);
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) {
    strcpy(error.message, "not a JPEG file (bad signature)");
    longjmp(error.jump, 1);
  }
  jpeg_mem_src(&info, data, (unsigned long)size);
  jpeg_read_header(&info, TRUE);
  info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  size_t rowBytes = (size_t)info.output_width * info.output_components;
  buffer = (unsigned char *)malloc(rowBytes * info.output_height + 1);
  if (!buffer) {
    strcpy(error.message, "out of memory");
    longjmp(error.jump, 1);
  }
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = buffer + (size_t)info.output_scanline * rowBytes;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  *width = info.output_width;
  *height = info.output_height;
  *channels = (unsigned)info.output_components;
  jpeg_destroy_decompress(&info);
  *pixels = buffer;
  return 1;
}
