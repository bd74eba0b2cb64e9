/**
 * The one rule for node ids, and readable ids (`conv1`, `pool2`, `dense1`) for new nodes.
 *
 * A node id becomes the tfjs layer name and the prefix of its weight names (`conv1/kernel`), and tfjs
 * only accepts tensor names that start with a letter or digit; ids also become Python attribute names in
 * the exported code, which cannot start with a digit. So: a letter first, then letters, digits, `_`, `.`
 * or `-`, at most 64 characters. The schema, the loader's diagnostics, model edits, the designer
 * protocol and the inspector all check through this module (the architecture test keeps it that way).
 */
import { getLayerSpec } from './catalogue';

/** The longest id the designer and the schema accept (long ids make unreadable graphs and summaries). */
export const NODE_ID_MAX_LENGTH = 64;

/** The rule as a JSON Schema / RegExp source. */
export const NODE_ID_PATTERN = `^[A-Za-z][A-Za-z0-9_.-]{0,${NODE_ID_MAX_LENGTH - 1}}$`;

const NODE_ID_REGEXP = new RegExp(NODE_ID_PATTERN);

/** The rule in words, for messages: "…: <rule>." */
export const NODE_ID_RULE = `start with a letter, then use only letters, digits, _ . or -, at most ${NODE_ID_MAX_LENGTH} characters`;

/** True when `id` follows the id rule. */
export function isValidNodeId(id: string): boolean {
  return NODE_ID_REGEXP.test(id);
}

/** A valid id made from `text` (`conv 1` → `conv_1`), or '' when nothing usable is left. */
export function suggestNodeId(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, NODE_ID_MAX_LENGTH);
}

/** The id prefix for a layer type, e.g. `conv` for Conv2D; unknown types get a lower-cased, cleaned name. */
export function idPrefixForType(type: string): string {
  const known = getLayerSpec(type)?.idPrefix;
  if (known) return known;
  const cleaned = type.toLowerCase().replace(/[^a-z0-9_]/g, '');
  return /^[a-z]/.test(cleaned) ? cleaned : `layer${cleaned}`;
}

/** The first of `prefix1`, `prefix2`, … not in `taken`. */
export function uniqueNodeId(type: string, taken: ReadonlySet<string>): string {
  const prefix = idPrefixForType(type);
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`;
    if (!taken.has(id)) return id;
  }
}
