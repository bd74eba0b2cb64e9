/**
 * The one shape of every protocol validator: `parseXToHost` / `parseHostToX` take what arrived over
 * postMessage and give either a fresh typed message or the reason it was refused (for the log).
 */
import { isRecord } from '../core/guards';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const accept = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const refuse = <T>(error: string): ParseResult<T> => ({ ok: false, error });

/** A checker's answer (`null` = refused) as a ParseResult whose reason names the message's type. */
export function resultOf<T>(value: T | null, raw: unknown, from: string): ParseResult<T> {
  if (value !== null) return accept(value);
  if (!isRecord(raw)) return refuse(`a message from the ${from} that is not an object`);
  if (typeof raw.type !== 'string') return refuse(`a message from the ${from} without a string 'type'`);
  return refuse(`an unknown or malformed '${raw.type.slice(0, 40)}' message from the ${from}`);
}

/** The accepted message, or `null` when it was refused (for callers that only drop refused ones). */
export function valueOrNull<T>(result: ParseResult<T>): T | null {
  return result.ok ? result.value : null;
}
