// The extension's 128×128 PNG icon (the Marketplace and Open VSX need a PNG), made from the activity-bar
// SVG so there is one drawing: white strokes on a rounded dark-blue tile, rendered by sharp (librsvg).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export const ICON_SIZE = 128;
/** Also the gallery banner's colour in package.json, so icon and banner match. */
const TILE_COLOR = '#1d3b5e';

/** Writes `dist/icon.png` from `media/cnn-studio.svg` unless the PNG is already newer than the SVG. */
export async function renderIcon(root) {
  const svgPath = join(root, 'media/cnn-studio.svg');
  const pngPath = join(root, 'dist/icon.png');
  if (existsSync(pngPath) && statSync(pngPath).mtimeMs >= statSync(svgPath).mtimeMs) return pngPath;
  // The drawing is 24×24 with stroke="currentColor" (the activity bar tints it): nest it as a 96×96
  // inner <svg> with a 16 px margin, and give its strokes a fixed colour.
  const drawing = readFileSync(svgPath, 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\bwidth="24" height="24"/, 'x="16" y="16" width="96" height="96"')
    .replaceAll('currentColor', '#ffffff');
  if (!drawing.includes('width="96"')) throw new Error('media/cnn-studio.svg no longer has width="24" height="24": update scripts/icon.mjs');
  const tile = `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="0 0 ${ICON_SIZE} ${ICON_SIZE}">
  <rect width="${ICON_SIZE}" height="${ICON_SIZE}" rx="24" fill="${TILE_COLOR}"/>
  ${drawing}
</svg>`;
  mkdirSync(dirname(pngPath), { recursive: true });
  await sharp(Buffer.from(tile)).png({ compressionLevel: 9 }).toFile(pngPath);
  return pngPath;
}
