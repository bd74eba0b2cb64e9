/** Byte counts for messages: `367 KB`, `1.2 GB` (binary units, as `df -h` and the OS monitors show them). */
export function formatByteSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
