// Cairo's C API; the include path comes from pkg-config (cairo.pc).
#include <cairo.h>
#include <stdlib.h>
#include <string.h>

// PNG bytes in and out of Cairo through in-memory streams, so Swift never passes closures as C
// function pointers. Buffers returned here are malloc'd; release them with wb_cairo_free.

typedef struct {
  const unsigned char *data;
  size_t size;
  size_t offset;
} wb_cairo_reader;

typedef struct {
  unsigned char *data;
  size_t size;
  size_t capacity;
} wb_cairo_writer;

static inline cairo_status_t wb_cairo_read(void *closure, unsigned char *out, unsigned int length) {
  wb_cairo_reader *reader = (wb_cairo_reader *)closure;
  if (reader->offset + length > reader->size) return CAIRO_STATUS_READ_ERROR;
  memcpy(out, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static inline cairo_status_t wb_cairo_write(void *closure, const unsigned char *data, unsigned int length) {
  wb_cairo_writer *writer = (wb_cairo_writer *)closure;
  if (writer->size + length > writer->capacity) {
    size_t capacity = writer->capacity ? writer->capacity * 2 : 65536;
    while (capacity < writer->size + length) capacity *= 2;
    unsigned char *grown = (unsigned char *)realloc(writer->data, capacity);
    if (!grown) return CAIRO_STATUS_NO_MEMORY;
    writer->data = grown;
    writer->capacity = capacity;
  }
  memcpy(writer->data + writer->size, data, length);
  writer->size += length;
  return CAIRO_STATUS_SUCCESS;
}

/// Decodes PNG bytes into an image surface; check the result with cairo_surface_status.
static inline cairo_surface_t *wb_cairo_surface_from_png(const unsigned char *data, size_t size) {
  wb_cairo_reader reader = {data, size, 0};
  return cairo_image_surface_create_from_png_stream(wb_cairo_read, &reader);
}

/// Encodes a surface as PNG into a malloc'd buffer. Returns a cairo status (0 on success).
static inline int wb_cairo_surface_to_png(cairo_surface_t *surface, unsigned char **output, size_t *size) {
  wb_cairo_writer writer = {NULL, 0, 0};
  cairo_status_t status = cairo_surface_write_to_png_stream(surface, wb_cairo_write, &writer);
  if (status != CAIRO_STATUS_SUCCESS) {
    free(writer.data);
    *output = NULL;
    *size = 0;
    return (int)status;
  }
  *output = writer.data;
  *size = writer.size;
  return 0;
}

static inline void wb_cairo_free(void *pointer) { free(pointer); }
