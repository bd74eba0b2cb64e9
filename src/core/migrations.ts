/**
 * Migrations of the model file from one format version to the next, as a table: the loader applies
 * `k → k+1` steps until the document reaches `CURRENT_FORMAT_VERSION`. Each step works on plain JSON
 * (`unknown`), must never throw, and leaves what it does not understand for the schema check to report.
 *
 * Version 0 is the early draft format: a linear `layers` array without ids, the input shape at the top
 * level, and training settings flat beside it:
 *
 * ```json
 * { "format": "cnn-studio-model", "formatVersion": 0, "name": "small",
 *   "inputShape": [28, 28, 1],
 *   "layers": [{ "type": "Conv2D", "config": { "filters": 8, "kernelSize": 5 } }, { "type": "Flatten" }],
 *   "optimizer": "adam", "learningRate": 0.001, "loss": "sparseCategoricalCrossentropy",
 *   "epochs": 5, "batchSize": 32 }
 * ```
 */
import { LAYER_CATALOGUE } from './catalogue';
import { uniqueNodeId } from './nodeIds';

export type JsonObject = { [key: string]: unknown };

export interface Migration {
  from: number;
  to: number;
  /** One line for the user, e.g. shown as an info diagnostic after loading an old file. */
  description: string;
  migrate(doc: JsonObject): JsonObject;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function own(o: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** v0 allowed `kernelSize: 3` where v1 stores `[3, 3]` (and the same for every pair param). */
function migrateParamsV0(type: string, config: JsonObject): JsonObject {
  const spec = LAYER_CATALOGUE.get(type);
  const entries = Object.entries(config).map(([name, value]): [string, unknown] => {
    const p = spec && Object.prototype.hasOwnProperty.call(spec.params, name) ? spec.params[name] : undefined;
    if (p?.kind === 'pair' && typeof value === 'number') return [name, [value, value]];
    if (p?.kind === 'pair2' && typeof value === 'number') return [name, [[value, value], [value, value]]];
    return [name, value];
  });
  // fromEntries defines own properties, so a `__proto__` key stays data and never becomes a prototype.
  return Object.fromEntries(entries);
}

const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: 'Converted the draft (version 0) layer list into a graph of nodes with ids.',
  migrate(doc) {
    const layers = own(doc, 'layers');
    if (!Array.isArray(layers)) return { ...doc, formatVersion: 1 };
    const taken = new Set<string>();
    const nodes: JsonObject[] = [];
    const inputShape = own(doc, 'inputShape');
    if (inputShape !== undefined) {
      taken.add('input');
      nodes.push({ id: 'input', type: 'Input', params: { shape: inputShape }, inputs: [] });
    }
    for (const layer of layers) {
      if (!isJsonObject(layer)) {
        nodes.push(layer as JsonObject); // the schema check reports it with its path
        continue;
      }
      const type = own(layer, 'type');
      const name = own(layer, 'name');
      const typeName = typeof type === 'string' ? type : 'Layer';
      const id = typeof name === 'string' && name !== '' && !taken.has(name) ? name : uniqueNodeId(typeName, taken);
      taken.add(id);
      const config = own(layer, 'config');
      const prev = nodes.length > 0 ? nodes[nodes.length - 1] : undefined;
      const prevId = prev && isJsonObject(prev) && typeof prev['id'] === 'string' ? prev['id'] : undefined;
      nodes.push({
        id,
        type,
        params: isJsonObject(config) ? migrateParamsV0(typeName, config) : {},
        inputs: prevId === undefined ? [] : [prevId],
      });
    }
    const compile: JsonObject = {};
    for (const k of ['optimizer', 'learningRate', 'loss', 'metrics']) if (own(doc, k) !== undefined) compile[k] = own(doc, k);
    const training: JsonObject = {};
    for (const k of ['epochs', 'batchSize', 'validationSplit', 'shuffle', 'seed']) if (own(doc, k) !== undefined) training[k] = own(doc, k);
    const out: JsonObject = { format: own(doc, 'format'), formatVersion: 1, name: own(doc, 'name') ?? 'model' };
    if (own(doc, 'description') !== undefined) out['description'] = own(doc, 'description');
    out['nodes'] = nodes;
    out['compile'] = isJsonObject(own(doc, 'compile')) ? own(doc, 'compile') : compile;
    out['training'] = isJsonObject(own(doc, 'training')) ? own(doc, 'training') : training;
    if (own(doc, 'dataset') !== undefined) out['dataset'] = own(doc, 'dataset');
    return out;
  },
};

/** `MIGRATIONS[k]` takes a version-k document to version k+1. */
export const MIGRATIONS: readonly Migration[] = [v0ToV1];

/** Applies every step from `fromVersion` to the current version; returns the steps' descriptions. */
export function migrateToCurrent(doc: JsonObject, fromVersion: number): { doc: JsonObject; applied: string[] } {
  let current = doc;
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (m.from < fromVersion) continue;
    current = m.migrate(current);
    applied.push(m.description);
  }
  return { doc: current, applied };
}
