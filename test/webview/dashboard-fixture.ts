/**
 * The recorded dashboard stream (test/fixtures/dashboard/*.json): the exact messages the host's
 * TrainingSession posted during real training runs, with typed arrays stored as `{ "$u8": base64 }`.
 * Written by scripts/record-dashboard-fixture.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToDashboard } from '../../src/protocol/dashboard';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'dashboard');

export interface DashboardFixture {
  /** How it was made (command, model, dataset, backend, date). */
  readonly recordedWith: Record<string, string>;
  /** The live run from `hydrate` to its end, in the order posted. */
  readonly training: unknown[];
  /** After training: the evaluation of that run. */
  readonly evaluation: unknown[];
  /** A prediction of one image. */
  readonly prediction: unknown[];
  /** The two runs compared. */
  readonly compare: unknown[];
}

export function encodeTypedArrays(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $u8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Float32Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(encodeTypedArrays);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeTypedArrays(v)]));
  return value;
}

export function loadFixture(name = 'mnist-small-shapes.json'): DashboardFixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as DashboardFixture;
}

/** The message types in a list (handy in assertions). */
export function typesOf(messages: readonly unknown[]): HostToDashboard['type'][] {
  return messages.map((m) => (m as { type: HostToDashboard['type'] }).type);
}
