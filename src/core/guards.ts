/**
 * The type guards every validator shares (protocol messages from webviews and the engine, quick fixes,
 * settings): one definition each, so "a string" or "a whole number" means the same at every boundary.
 */
import type { ParamValue } from './format';

export type UnknownRecord = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is UnknownRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
/** A non-empty string short enough to be a path, an id or a URI (messages from a page are bounded). */
export const isBoundedString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isInteger = (v: unknown): v is number => Number.isInteger(v);
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** A layer parameter's value: a scalar, a list of numbers, or a list of number pairs (padding). */
export function isParamValue(v: unknown): v is ParamValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (!Array.isArray(v)) return false;
  if (v.every(isFiniteNumber)) return true;
  return v.every((row) => Array.isArray(row) && row.every(isFiniteNumber));
}
