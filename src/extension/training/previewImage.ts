/** Reads an image file's bytes for the dashboard to decode (thumbnails, the predicted image). */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { PreviewImage } from '../../protocol/dashboard';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
};

/** Files above this are not sent (a thumbnail of a huge photo is not worth megabytes of messages). */
const MAX_BYTES = 512 * 1024;

export function readPreviewImage(path: string): PreviewImage | null {
  const mime = MIME[extname(path).toLowerCase()];
  if (!mime) return null;
  try {
    if (statSync(path).size > MAX_BYTES) return null;
    return { kind: 'file', mime, bytes: new Uint8Array(readFileSync(path)) };
  } catch {
    return null;
  }
}
