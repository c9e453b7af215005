"""Regenerates the tiny image fixtures of ImagesTests (needs Pillow). Run from this folder.

- rgb.jpg / gray.jpg: small JPEGs; rgb_pil.png / gray_pil.png hold Pillow's decode of them.
- palette.png: an 8-bit palette PNG with a transparent entry; palette_rgba.png is Pillow's RGBA.
- gray16.png / rgb16.png: 16-bit PNGs written by hand (zlib + chunks), values documented below.
"""
import struct, zlib
from PIL import Image

def gradient(w, h):
    img = Image.new("RGB", (w, h))
    img.putdata([((x * 255) // (w - 1), (y * 255) // (h - 1), ((x + y) * 20) % 256)
                 for y in range(h) for x in range(w)])
    return img

rgb = gradient(16, 12)
rgb.save("rgb.jpg", quality=90)
Image.open("rgb.jpg").convert("RGB").save("rgb_pil.png")
gray = rgb.convert("L")
gray.save("gray.jpg", quality=90)
Image.open("gray.jpg").save("gray_pil.png")

pal = Image.new("P", (4, 2))
pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
pal.putdata([0, 1, 2, 3, 3, 2, 1, 0])
pal.info["transparency"] = 3
pal.save("palette.png", transparency=3)
Image.open("palette.png").convert("RGBA").save("palette_rgba.png")

def png16(path, width, height, color_type, samples):
    """samples: row-major 16-bit values; color_type 0 = gray, 2 = RGB."""
    channels = 1 if color_type == 0 else 3
    raw = b""
    for y in range(height):
        row = samples[y * width * channels:(y + 1) * width * channels]
        raw += b"\x00" + b"".join(struct.pack(">H", v) for v in row)
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

png16("gray16.png", 3, 1, 0, [0, 0x1234, 0xFFFF])
png16("rgb16.png", 2, 1, 2, [0xFF00, 0x8000, 0x00FF, 0x0100, 0x7FFF, 0xABCD])
