import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Reads a file, gunzipping it when it starts with the gzip magic (so `x.gz` and plain files both work). */
export function readFileMaybeGz(path: string): Buffer {
  const raw = readFileSync(path);
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}
