/**
 * CSV: one sample per row, a label column (named `label` or `class`, else the first column) and one
 * column per pixel value (0–255, or 0–1 which is scaled up), HWC order, as in the Kaggle MNIST CSVs.
 * Rows that cannot be parsed are reported as `file:line` and skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { SkippedFile } from '../../protocol/engine';
import type { ImageSet, ImageShape, RawDataset } from './dataset';
import { sampleBytes } from './dataset';
import { DatasetError } from './errors';

interface ParsedCsv {
  labels: string[];
  pixels: Uint8Array;
  skipped: SkippedFile[];
}

function parseCsv(path: string, shape: ImageShape): ParsedCsv {
  if (!existsSync(path)) throw new DatasetError(`The CSV file '${path}' does not exist. Point the dataset path (or --data) at a .csv file.`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const width = sampleBytes(shape);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  if (first >= lines.length) throw new DatasetError(`The CSV file '${path}' is empty. Add a label column and ${width} pixel columns per row.`);
  const head = lines[first]!.split(',').map((s) => s.trim());
  const hasHeader = head.slice(1).some((v) => v !== '' && !Number.isFinite(Number(v))) || /^(label|class)$/i.test(head[0] ?? '');
  let labelCol = 0;
  if (hasHeader) {
    const named = head.findIndex((h) => /^(label|class|target|y)$/i.test(h));
    if (named >= 0) labelCol = named;
  }
  const columns = hasHeader ? head.length : lines[first]!.split(',').length;
  if (columns - 1 !== width) {
    throw new DatasetError(
      `'${path}' has ${columns - 1} pixel columns per row, but the model's input [${shape.join(', ')}] needs ${width}. ` +
        `Change the Input layer's shape to match the CSV, or use a CSV with ${width} pixel columns.`,
      'shape-mismatch',
    );
  }
  const labels: string[] = [];
  const rows: Float32Array[] = [];
  const skipped: SkippedFile[] = [];
  let maxValue = 0;
  for (let li = first + (hasHeader ? 1 : 0); li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const where = `${path}:${li + 1}`;
    if (cells.length !== columns) {
      skipped.push({ path: where, reason: `${cells.length} columns, expected ${columns}` });
      continue;
    }
    const row = new Float32Array(width);
    let bad = -1;
    for (let c = 0, p = 0; c < cells.length; c++) {
      if (c === labelCol) continue;
      const v = Number(cells[c]);
      if (!Number.isFinite(v) || cells[c]!.trim() === '') {
        bad = c;
        break;
      }
      row[p++] = v;
      if (v > maxValue) maxValue = v;
    }
    const label = cells[labelCol]!.trim();
    if (bad >= 0 || label === '') {
      skipped.push({ path: where, reason: bad >= 0 ? `column ${bad + 1} ('${cells[bad]!.trim()}') is not a number` : 'empty label' });
      continue;
    }
    labels.push(label);
    rows.push(row);
  }
  // Values in 0..1 are taken as already normalised.
  const scale = maxValue <= 1 ? 255 : 1;
  const pixels = new Uint8Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let p = 0; p < width; p++) pixels[i * width + p] = Math.max(0, Math.min(255, Math.round(r[p]! * scale)));
  });
  return { labels, pixels, skipped };
}

/** Integer labels sort numerically (`2` before `10`), others alphabetically. */
function orderClasses(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  const numeric = unique.every((l) => /^-?\d+$/.test(l));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort((a, b) => a.localeCompare(b));
}

function toSet(parsed: ParsedCsv, classNames: readonly string[], shape: ImageShape, path: string): ImageSet {
  const labels = new Int32Array(parsed.labels.length);
  parsed.labels.forEach((l, i) => {
    const k = classNames.indexOf(l);
    if (k < 0) throw new DatasetError(`'${path}' has label '${l}', which the training data does not have (${classNames.join(', ')}). Use the same labels in both files.`);
    labels[i] = k;
  });
  return { shape, pixels: parsed.pixels, labels, count: labels.length, paths: null };
}

/** A CSV read with the classes of a trained run (a held-out test file): a label the run does not know is an error. */
export function loadCsvWithClasses(path: string, shape: ImageShape, classNames: readonly string[]): { set: ImageSet; skipped: SkippedFile[] } {
  const parsed = parseCsv(path, shape);
  if (parsed.labels.length === 0) throw new DatasetError(`'${path}' has no usable rows (see the skipped rows). Each row needs a label and ${sampleBytes(shape)} numbers.`);
  return { set: toSet(parsed, classNames, shape, path), skipped: parsed.skipped };
}

export function loadCsv(path: string, shape: ImageShape, validationPath?: string): RawDataset {
  const train = parseCsv(path, shape);
  if (train.labels.length === 0) throw new DatasetError(`'${path}' has no usable rows (see the skipped rows). Each row needs a label and ${sampleBytes(shape)} numbers.`);
  const classNames = orderClasses(train.labels);
  if (classNames.length < 2) throw new DatasetError(`'${path}' has only one label ('${classNames[0]}'). A classifier needs at least two classes.`);
  const skipped = [...train.skipped];
  let validation: ImageSet | null = null;
  if (validationPath) {
    const v = parseCsv(validationPath, shape);
    skipped.push(...v.skipped);
    validation = toSet(v, classNames, shape, validationPath);
  }
  return { kind: 'csv', path, classNames, train: toSet(train, classNames, shape, path), validation, skipped };
}
