/**
 * Draws uint8 tiles onto canvases at an integer zoom (nearest neighbour, so pixels stay crisp): a grid of
 * one layer's channels through a colour map, filters in grey or RGB, and an input with a heat overlay.
 */
import type { PreviewImage } from '../../src/protocol/dashboard';
import { HEAT, VIRIDIS } from './colormap';

const GAP = 2;

function zoomFor(size: number, target: number): number {
  return Math.max(1, Math.floor(target / size));
}

function gridDims(count: number, maxCols: number): { cols: number; rows: number } {
  const cols = Math.min(maxCols, Math.max(1, Math.ceil(Math.sqrt(count * 2))));
  return { cols, rows: Math.ceil(count / cols) };
}

interface Grid {
  readonly ctx: CanvasRenderingContext2D;
  readonly img: ImageData;
  readonly cols: number;
}

/** Sizes `canvas` for `count` tiles of `tw`×`th` CSS pixels and returns a blank image to fill. */
function startGrid(canvas: HTMLCanvasElement, count: number, maxCols: number, tw: number, th: number): Grid | null {
  const { cols, rows } = gridDims(count, maxCols);
  canvas.width = cols * (tw + GAP) - GAP;
  canvas.height = rows * (th + GAP) - GAP;
  const ctx = canvas.getContext('2d');
  return ctx ? { ctx, img: ctx.createImageData(canvas.width, canvas.height), cols } : null;
}

/** A channel grid: channel k at (k % cols, k / cols), each through viridis. */
export function drawChannelGrid(canvas: HTMLCanvasElement, shape: readonly [number, number, number], data: Uint8Array, targetTile = 56): void {
  const [h, w, c] = shape;
  const z = zoomFor(Math.max(h, w), targetTile);
  const tw = w * z;
  const th = h * z;
  const g = startGrid(canvas, c, 16, tw, th);
  if (!g) return;
  const { ctx, img, cols } = g;
  const px = img.data;
  for (let k = 0; k < c; k++) {
    const ox = (k % cols) * (tw + GAP);
    const oy = Math.floor(k / cols) * (th + GAP);
    const base = k * h * w;
    for (let y = 0; y < th; y++) {
      const sy = Math.floor(y / z);
      let o = ((oy + y) * canvas.width + ox) * 4;
      for (let x = 0; x < tw; x++, o += 4) {
        const v = data[base + sy * w + Math.floor(x / z)] ?? 0;
        px[o] = VIRIDIS[v * 3]!;
        px[o + 1] = VIRIDIS[v * 3 + 1]!;
        px[o + 2] = VIRIDIS[v * 3 + 2]!;
        px[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** Filters `[kh, kw, ch, count]` in HWC per filter; ch 3 in colour, otherwise grey. */
export function drawFilters(canvas: HTMLCanvasElement, shape: readonly [number, number, number, number], data: Uint8Array): void {
  const [kh, kw, ch, count] = shape;
  const z = zoomFor(Math.max(kh, kw), 36);
  const tw = kw * z;
  const th = kh * z;
  const g = startGrid(canvas, count, 8, tw, th);
  if (!g) return;
  const { ctx, img, cols } = g;
  const px = img.data;
  const per = kh * kw * ch;
  for (let f = 0; f < count; f++) {
    const ox = (f % cols) * (tw + GAP);
    const oy = Math.floor(f / cols) * (th + GAP);
    for (let y = 0; y < th; y++) {
      const sy = Math.floor(y / z);
      let o = ((oy + y) * canvas.width + ox) * 4;
      for (let x = 0; x < tw; x++, o += 4) {
        const i = f * per + (sy * kw + Math.floor(x / z)) * ch;
        const r = data[i] ?? 0;
        px[o] = r;
        px[o + 1] = ch === 3 ? (data[i + 1] ?? 0) : r;
        px[o + 2] = ch === 3 ? (data[i + 2] ?? 0) : r;
        px[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** An input image `[h, w, c]` (c 1 or 3), optionally under a heat map `[h, w]` of the same size. */
export function drawImage(
  canvas: HTMLCanvasElement,
  shape: readonly [number, number, number],
  data: Uint8Array,
  target: number,
  heat?: { shape: readonly [number, number]; data: Uint8Array } | null,
): void {
  const [h, w, c] = shape;
  const z = zoomFor(Math.max(h, w), target);
  canvas.width = w * z;
  canvas.height = h * z;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(canvas.width, canvas.height);
  const px = img.data;
  const heatOk = heat && heat.shape[0] === h && heat.shape[1] === w;
  for (let y = 0; y < canvas.height; y++) {
    const sy = Math.floor(y / z);
    for (let x = 0; x < canvas.width; x++) {
      const sx = Math.floor(x / z);
      const i = (sy * w + sx) * c;
      let r = data[i] ?? 0;
      let g = c === 3 ? (data[i + 1] ?? 0) : r;
      let b = c === 3 ? (data[i + 2] ?? 0) : r;
      if (heatOk) {
        const v = heat.data[sy * w + sx] ?? 0;
        // Weak activations leave the image visible; strong ones take over with the heat colour.
        const a = 0.15 + 0.6 * (v / 255);
        r = r * (1 - a) + HEAT[v * 3]! * a;
        g = g * (1 - a) + HEAT[v * 3 + 1]! * a;
        b = b * (1 - a) + HEAT[v * 3 + 2]! * a;
      }
      const o = (y * canvas.width + x) * 4;
      px[o] = r;
      px[o + 1] = g;
      px[o + 2] = b;
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** A preview image: engine pixels are drawn at once; a file's bytes are decoded by the browser first. */
export function drawPreview(canvas: HTMLCanvasElement, image: PreviewImage, target: number): void {
  if (image.kind === 'pixels') {
    drawImage(canvas, image.tile.shape, image.tile.data, target);
    return;
  }
  createImageBitmap(new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mime })).then(
    (bmp) => {
      const z = Math.max(1, Math.floor(target / Math.max(bmp.width, bmp.height)));
      canvas.width = bmp.width * z;
      canvas.height = bmp.height * z;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(bmp, 0, 0, canvas.width, canvas.height);
      bmp.close();
    },
    () => {
      canvas.dataset['error'] = 'undecodable image';
    },
  );
}
