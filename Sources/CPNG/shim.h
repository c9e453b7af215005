// libpng's C API; the include path comes from pkg-config (libpng.pc).
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// libpng reports errors by longjmp. Swift frames must never be jumped over, so decoding and
// encoding happen entirely in these C helpers: they setjmp, run libpng, and return 0 with a
// message on failure. Buffers they return are malloc'd; release them with wb_png_free.

typedef struct {
  jmp_buf jump;
  char message[256];
  const unsigned char *data;  // decoding: the input bytes
  size_t size;
  size_t offset;
  unsigned char *output;      // encoding: the growing output buffer
  size_t outputSize;
  size_t outputCapacity;
} wb_png_state;

static inline void wb_png_on_error(png_structp png, png_const_charp message) {
  wb_png_state *state = (wb_png_state *)png_get_error_ptr(png);
  strncpy(state->message, message ? message : "unknown libpng error", sizeof state->message - 1);
  state->message[sizeof state->message - 1] = '\0';
  longjmp(state->jump, 1);
}

static inline void wb_png_on_warning(png_structp png, png_const_charp message) {
  (void)png; (void)message;  // warnings (e.g. unknown chunks) do not stop decoding
}

static inline void wb_png_read_bytes(png_structp png, png_bytep out, size_t count) {
  wb_png_state *state = (wb_png_state *)png_get_io_ptr(png);
  if (state->offset + count > state->size) png_error(png, "unexpected end of data (the file is truncated)");
  memcpy(out, state->data + state->offset, count);
  state->offset += count;
}

static inline void wb_png_write_bytes(png_structp png, png_bytep data, size_t count) {
  wb_png_state *state = (wb_png_state *)png_get_io_ptr(png);
  if (state->outputSize + count > state->outputCapacity) {
    size_t capacity = state->outputCapacity ? state->outputCapacity * 2 : 4096;
    while (capacity < state->outputSize + count) capacity *= 2;
    unsigned char *grown = (unsigned char *)realloc(state->output, capacity);
    if (!grown) png_error(png, "out of memory");
    state->output = grown;
    state->outputCapacity = capacity;
  }
  memcpy(state->output + state->outputSize, data, count);
  state->outputSize += count;
}

static inline void wb_png_flush(png_structp png) { (void)png; }

static inline void wb_png_free(void *pointer) { free(pointer); }

/// Decodes a PNG of any colour type and bit depth to 8-bit interleaved pixels: gray (1 channel),
/// gray+alpha (2), RGB (3, also for palettes) or RGBA (4, also when tRNS is present).
/// 16-bit samples keep their high byte. Returns 1 on success, 0 with `message` filled on failure.
static inline int wb_png_decode(const unsigned char *data, size_t size, unsigned char **pixels,
                                unsigned *width, unsigned *height, unsigned *channels,
                                char *message, size_t capacity) {
  wb_png_state state;
  memset(&state, 0, sizeof state);
  state.data = data;
  state.size = size;
  *pixels = NULL;
  if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
    strncpy(message, "not a PNG file (bad signature)", capacity - 1);
    message[capacity - 1] = '\0';
    return 0;
  }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, wb_png_on_error, wb_png_on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  unsigned char *volatile buffer = NULL;
  png_bytep *volatile rows = NULL;
  if (!png || !info || setjmp(state.jump)) {
    if (!png || !info) strcpy(state.message, "out of memory");
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    free(buffer);
    free(rows);
    strncpy(message, state.message, capacity - 1);
    message[capacity - 1] = '\0';
    return 0;
  }
  png_set_read_fn(png, &state, wb_png_read_bytes);
  png_set_user_limits(png, 1u << 15, 1u << 15);
  png_read_info(png, info);
  int colorType = png_get_color_type(png, info);
  int bitDepth = png_get_bit_depth(png, info);
  if (colorType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (colorType == PNG_COLOR_TYPE_GRAY && bitDepth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (bitDepth == 16) png_set_strip_16(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  unsigned w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  unsigned c = png_get_channels(png, info);
  size_t rowBytes = png_get_rowbytes(png, info);
  if (rowBytes != (size_t)w * c) png_error(png, "unsupported pixel layout");
  buffer = (unsigned char *)malloc(rowBytes * h + 1);
  rows = (png_bytep *)malloc(sizeof(png_bytep) * (h + 1));
  if (!buffer || !rows) png_error(png, "out of memory");
  for (unsigned y = 0; y < h; y++) rows[y] = buffer + (size_t)y * rowBytes;
  png_read_image(png, rows);
  png_destroy_read_struct(&png, &info, NULL);
  free(rows);
  *pixels = buffer;
  *width = w;
  *height = h;
  *channels = c;
  return 1;
}

/// Encodes 8-bit interleaved pixels (1 = gray, 2 = gray+alpha, 3 = RGB, 4 = RGBA channels) as a
/// PNG without timestamps, so equal pixels give equal bytes. Returns 1 and a malloc'd buffer.
static inline int wb_png_encode(const unsigned char *pixels, unsigned width, unsigned height,
                                unsigned channels, unsigned char **output, size_t *outputSize,
                                char *message, size_t capacity) {
  static const int colorTypes[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                    PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
  wb_png_state state;
  memset(&state, 0, sizeof state);
  *output = NULL;
  *outputSize = 0;
  if (channels < 1 || channels > 4 || width == 0 || height == 0) {
    strncpy(message, "PNG needs 1 to 4 channels and a non-empty image", capacity - 1);
    message[capacity - 1] = '\0';
    return 0;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, wb_png_on_error, wb_png_on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info || setjmp(state.jump)) {
    if (!png || !info) strcpy(state.message, "out of memory");
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(state.output);
    strncpy(message, state.message, capacity - 1);
    message[capacity - 1] = '\0';
    return 0;
  }
  png_set_write_fn(png, &state, wb_png_write_bytes, wb_png_flush);
  png_set_IHDR(png, info, width, height, 8, colorTypes[channels], PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (unsigned y = 0; y < height; y++)
    png_write_row(png, (png_const_bytep)(pixels + (size_t)y * width * channels));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  *output = state.output;
  *outputSize = state.outputSize;
  return 1;
}
