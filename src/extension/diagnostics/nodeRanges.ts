/**
 * Where each node is in a model file's text, so a diagnostic about node "conv2" underlines that node's
 * `"id": "conv2"` in the Problems panel. Uses the JSON tokens' offsets from jsonc-parser (the same
 * parser VS Code's JSON support uses; its ESM build, because esbuild cannot bundle the UMD one's dynamic
 * requires), so odd formatting, comments or an id string that also appears
 * elsewhere in the file do not confuse it. Pure (no vscode).
 */
import { parseTree, findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser/lib/esm/main.js';

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** Node id → the range of its `"id": "…"` property; ids that occur twice map to the first. */
export function nodeIdRanges(text: string): Map<string, OffsetRange> {
  const ranges = new Map<string, OffsetRange>();
  const root = parseTree(text);
  const nodes = root ? findNodeAtLocation(root, ['nodes']) : undefined;
  if (!nodes || nodes.type !== 'array') return ranges;
  for (const element of nodes.children ?? []) {
    const idProperty = propertyNamed(element, 'id');
    const value = idProperty?.children?.[1];
    if (!idProperty || !value || typeof value.value !== 'string' || ranges.has(value.value)) continue;
    ranges.set(value.value, { start: idProperty.offset, end: value.offset + value.length });
  }
  return ranges;
}

/** The range of a param inside a node (`"units": 10`), for edits that target it; undefined when absent. */
export function nodePropertyRange(text: string, nodeId: string, path: readonly string[]): OffsetRange | undefined {
  const root = parseTree(text);
  const nodes = root ? findNodeAtLocation(root, ['nodes']) : undefined;
  for (const element of nodes?.children ?? []) {
    const id = propertyNamed(element, 'id')?.children?.[1]?.value;
    if (id !== nodeId) continue;
    const target = findNodeAtLocation(element, [...path]);
    return target?.parent ? { start: target.parent.offset, end: target.parent.offset + target.parent.length } : undefined;
  }
  return undefined;
}

function propertyNamed(object: JsonNode, name: string): JsonNode | undefined {
  if (object.type !== 'object') return undefined;
  return object.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === name);
}

/** The id of the node whose object in `nodes` contains `offset` (the cursor), if any. */
export function nodeIdAtOffset(text: string, offset: number): string | undefined {
  const root = parseTree(text);
  const nodes = root ? findNodeAtLocation(root, ['nodes']) : undefined;
  const element = nodes?.children?.find((n) => n.offset <= offset && offset <= n.offset + n.length);
  const id = element ? propertyNamed(element, 'id')?.children?.[1]?.value : undefined;
  return typeof id === 'string' ? id : undefined;
}
