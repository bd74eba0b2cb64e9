/**
 * How deeply JSON text nests, found before parsing. A model file nests about 6 levels; a value nested
 * 100,000 levels deep parses (V8's JSON.parse is iterative) but then overflows the stack of every
 * recursive walk after it (schema check, migrations, copies). The loader refuses such text up front.
 */

/** Deeper than this is not a model file (model files need 6; imported metadata and notes leave room). */
export const MAX_MODEL_JSON_DEPTH = 64;

/** The offset of the first `[` or `{` that opens level `limit + 1`, or -1 when the text stays within `limit`. */
export function offsetBeyondDepth(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return -1;
}
