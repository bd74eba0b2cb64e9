/**
 * Writes a model as deterministic text: a fixed key order (top level, nodes: id, type, trainable, params, inputs,
 * position; params in catalogue order), 2-space indentation, short number/string lists on one line and
 * a trailing newline. One param or one layer change is then a one-hunk git diff.
 */
import { LAYER_CATALOGUE } from './catalogue';
import type { ModelFile } from './format';

const TOP_LEVEL_ORDER = ['format', 'formatVersion', 'name', 'description', 'dataset', 'compile', 'training', 'nodes'];
const NODE_ORDER = ['id', 'type', 'trainable', 'params', 'inputs', 'position'];
const NESTED_ORDER: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  compile: ['optimizer', 'learningRate', 'loss', 'metrics'],
  training: ['epochs', 'batchSize', 'validationSplit', 'shuffle', 'seed', 'earlyStopping', 'learningRateSchedule', 'augmentation'],
  earlyStopping: ['enabled', 'monitor', 'patience', 'restoreBestWeights'],
  learningRateSchedule: ['kind', 'stepEpochs', 'factor', 'patience', 'minLearningRate'],
  augmentation: ['horizontalFlip', 'translate', 'brightness'],
  dataset: ['kind', 'path', 'validationPath', 'imageSize', 'colorMode'],
  position: ['x', 'y'],
}));

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json | undefined };

/** Known keys in the given order, then any others alphabetically, so nothing is dropped. */
function orderedKeys(obj: object, order: readonly string[]): string[] {
  const keys = Object.keys(obj);
  const known = order.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !order.includes(k)).sort();
  return [...known, ...rest];
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** Lists of primitives (or of such lists, like `[[1, 1], [1, 1]]`) stay on one line. */
function isInlineArray(v: readonly unknown[]): boolean {
  return v.every((e) => isPrimitive(e) || (Array.isArray(e) && e.every(isPrimitive)));
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v) ?? 'null';
}

function print(v: unknown, indent: string, keyOrder: (key: string, obj: object) => readonly string[], parentKey: string): string {
  if (isPrimitive(v)) return JSON.stringify(v) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0 || isInlineArray(v)) return inline(v);
    return `[\n${v.map((e) => inner + print(e, inner, keyOrder, parentKey)).join(',\n')}\n${indent}]`;
  }
  const obj = v as { [k: string]: unknown };
  const keys = orderedKeys(obj, keyOrder(parentKey, obj)).filter((k) => obj[k] !== undefined);
  if (keys.length === 0) return '{}';
  if (parentKey === 'position') return `{ ${keys.map((k) => `${JSON.stringify(k)}: ${inline(obj[k])}`).join(', ')} }`;
  const lines = keys.map((k) => `${inner}${JSON.stringify(k)}: ${print(obj[k], inner, keyOrder, k)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function serializeModel(model: ModelFile): string {
  // Each node's params follow its layer type's catalogue order; `print` learns the type from the node.
  const keyOrder = (key: string, obj: object): readonly string[] => {
    if (key === '') return TOP_LEVEL_ORDER;
    if (key === 'nodes') return NODE_ORDER;
    if (key === 'params') return paramOrderStack.length > 0 ? paramOrderStack[paramOrderStack.length - 1]! : [];
    return NESTED_ORDER.get(key) ?? Object.keys(obj).sort();
  };
  const paramOrderStack: (readonly string[])[] = [];
  const nodesText = model.nodes.map((node) => {
    const spec = LAYER_CATALOGUE.get(node.type);
    paramOrderStack.push(spec ? Object.keys(spec.params) : []);
    const text = print(node as unknown as Json, '    ', keyOrder, 'nodes');
    paramOrderStack.pop();
    return `    ${text}`;
  });
  const top = model as unknown as { [k: string]: unknown };
  const lines = orderedKeys(top, TOP_LEVEL_ORDER)
    .filter((k) => top[k] !== undefined)
    .map((k) => {
      if (k === 'nodes') return `  "nodes": ${nodesText.length === 0 ? '[]' : `[\n${nodesText.join(',\n')}\n  ]`}`;
      return `  ${JSON.stringify(k)}: ${print(top[k], '  ', keyOrder, k)}`;
    });
  return `{\n${lines.join(',\n')}\n}\n`;
}
