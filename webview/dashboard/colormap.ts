/**
 * Colour maps for feature maps and Grad-CAM. Viridis goes dark-blue → yellow with rising lightness, so
 * tiles read the same on light and dark themes (no value disappears into the background), and it stays
 * readable for colour-blind users. 256-entry RGB lookup tables built once from key colours.
 */
const VIRIDIS_KEYS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84], [72, 35, 116], [64, 67, 135], [52, 94, 141], [41, 120, 142],
  [32, 144, 140], [34, 167, 132], [68, 190, 112], [121, 209, 81], [189, 222, 38], [253, 231, 37],
];

/** Inferno-like map for the Grad-CAM heat overlay (black → red → yellow). */
const HEAT_KEYS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164],
];

function buildLut(keys: ReadonlyArray<readonly [number, number, number]>): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  const segs = keys.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segs;
    const k = Math.min(segs - 1, Math.floor(t));
    const f = t - k;
    const a = keys[k]!;
    const b = keys[k + 1]!;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return lut;
}

export const VIRIDIS = buildLut(VIRIDIS_KEYS);
export const HEAT = buildLut(HEAT_KEYS);
