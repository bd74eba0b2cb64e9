/**
 * A fast path for the commonest dataset file: a small 8-bit, non-interlaced PNG that already has the
 * model's input size. sharp costs ~0.7 ms per call on such files (pipeline set-up dominates), which
 * caps loading near 1,500 images/s on 2 cores; inflating with zlib and unfiltering here is ~10x faster.
 * Anything else (other sizes, palettes, 16-bit, interlaced, JPEG, WebP) returns null and goes to sharp.
 * Colour conversion matches sharp's (libvips: luminance in linear light, then back to sRGB).
 */
import { inflateSync } from 'node:zlib';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS_OF_COLOUR_TYPE: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

const SRGB_TO_LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  SRGB_TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
/** Linear luminance 0..1 quantised to 4096 steps → sRGB byte. */
const LINEAR_TO_SRGB = new Uint8Array(4097);
for (let i = 0; i <= 4096; i++) {
  const l = i / 4096;
  const s = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
  LINEAR_TO_SRGB[i] = Math.round(Math.min(1, Math.max(0, s)) * 255);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The PNG's width and height from its header, or null when `buf` is not a PNG. */
export function pngSize(buf: Uint8Array): { width: number; height: number } | null {
  if (buf.length < 33 || PNG_SIGNATURE.some((b, i) => buf[i] !== b)) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/**
 * Decodes `buf` into `out` (h*w*channels bytes, channels 1 or 3) when the fast path applies; returns
 * false when it does not (the caller then uses sharp). Throws on a corrupt PNG of the supported kind.
 */
export function decodeSmallPng(buf: Uint8Array, height: number, width: number, channels: 1 | 3, out: Uint8Array): boolean {
  const size = pngSize(buf);
  if (!size || size.width !== width || size.height !== height) return false;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bitDepth = buf[24];
  const colourType = buf[25]!;
  const interlace = buf[28];
  const srcChannels = CHANNELS_OF_COLOUR_TYPE[colourType];
  if (bitDepth !== 8 || interlace !== 0 || srcChannels === undefined) return false;
  const idat: Uint8Array[] = [];
  let offset = 8;
  let sawEnd = false;
  while (offset + 8 <= buf.length) {
    const len = dv.getUint32(offset);
    const type = String.fromCharCode(buf[offset + 4]!, buf[offset + 5]!, buf[offset + 6]!, buf[offset + 7]!);
    if (offset + 12 + len > buf.length) throw new Error(`PNG chunk '${type}' runs past the end of the file (truncated)`);
    if (type === 'IDAT') idat.push(buf.subarray(offset + 8, offset + 8 + len));
    else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    offset += 12 + len;
  }
  if (!sawEnd || idat.length === 0) throw new Error('PNG is truncated (no image data end)');
  const stride = width * srcChannels;
  // The image needs exactly this much: stop inflating past it, so a few-kilobyte file that inflates to
  // gigabytes (a decompression bomb) costs nothing.
  const expected = height * (stride + 1);
  let raw: Buffer;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
    throw new Error(
      `its image data inflates to more than the ${expected.toLocaleString('en-US')} bytes a ${width}×${height} PNG holds (a decompression bomb or a corrupt file); it was not decoded. Re-save it with an image editor or remove it from the data.`,
    );
  }
  if (raw.length < height * (stride + 1)) throw new Error('PNG image data is shorter than its size says');
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= srcChannels ? rows[dst + i - srcChannels]! : 0;
      const b = y > 0 ? rows[dst - stride + i]! : 0;
      const c = y > 0 && i >= srcChannels ? rows[dst - stride + i - srcChannels]! : 0;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: throw new Error(`PNG row ${y} has unknown filter ${filter}`);
      }
      rows[dst + i] = v & 0xff;
    }
  }
  const pixels = width * height;
  const hasColour = srcChannels >= 3;
  for (let p = 0; p < pixels; p++) {
    const s = p * srcChannels;
    if (channels === 3) {
      if (hasColour) {
        out[3 * p] = rows[s]!;
        out[3 * p + 1] = rows[s + 1]!;
        out[3 * p + 2] = rows[s + 2]!;
      } else {
        out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = rows[s]!;
      }
    } else if (hasColour) {
      const l = 0.2126 * SRGB_TO_LINEAR[rows[s]!]! + 0.7152 * SRGB_TO_LINEAR[rows[s + 1]!]! + 0.0722 * SRGB_TO_LINEAR[rows[s + 2]!]!;
      out[p] = LINEAR_TO_SRGB[Math.round(l * 4096)]!;
    } else {
      out[p] = rows[s]!;
    }
  }
  return true;
}
