/** Number formatting shared by the webviews: exact counts with separators, compact magnitudes, bytes. */

const grouped = new Intl.NumberFormat('en-US');

/** `124810` → `124,810`. */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** `1234567` → `1.23M`; below 1000 the number itself. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const v = n / size;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${suffix}`;
    }
  }
  return String(n);
}

/** `3145728` → `3.0 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** `[32, 32, 3]` → `32×32×3`. */
export function formatShape(shape: readonly number[] | null): string {
  return shape === null ? '?' : shape.length === 0 ? 'scalar' : shape.join('×');
}
