/** Real dataset files for tests: MNIST IDX (plain or gzipped) and CIFAR-10 binary batches, written byte by byte. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

export function writeMnist(dir: string, n: number, gz: boolean): void {
  mkdirSync(dir, { recursive: true });
  const images = new Uint8Array(n * 28 * 28).map((_, i) => i % 251);
  const labels = new Uint8Array(n).map((_, i) => i % 10);
  const suffix = gz ? '.gz' : '';
  const pack = (b: Buffer) => (gz ? gzipSync(b) : b);
  writeFileSync(join(dir, `train-images-idx3-ubyte${suffix}`), pack(idx([n, 28, 28], images)));
  writeFileSync(join(dir, `train-labels-idx1-ubyte${suffix}`), pack(idx([n], labels)));
  writeFileSync(join(dir, `t10k-images-idx3-ubyte${suffix}`), pack(idx([10, 28, 28], images.subarray(0, 10 * 784))));
  writeFileSync(join(dir, `t10k-labels-idx1-ubyte${suffix}`), pack(idx([10], labels.subarray(0, 10))));
}

/** CIFAR records whose R plane is the label, G the record number, B 200. */
export function cifarBatch(n: number, first: number): Buffer {
  const rec = 3073;
  const buf = Buffer.alloc(n * rec);
  for (let r = 0; r < n; r++) {
    const label = (first + r) % 10;
    buf[r * rec] = label;
    buf.fill(label, r * rec + 1, r * rec + 1 + 1024);
    buf.fill((first + r) % 256, r * rec + 1 + 1024, r * rec + 1 + 2048);
    buf.fill(200, r * rec + 1 + 2048, r * rec + 1 + 3072);
  }
  return buf;
}

