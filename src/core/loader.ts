/**
 * Reads a model file's text into a `ModelFile`: JSON syntax, format tag, format version (migrating
 * older files), missing compile/training settings filled with defaults, and a JSON Schema check.
 *
 * Never throws: every problem becomes a diagnostic that names the fix. Problems inside a node's
 * `params` (and unknown layer types) do not stop loading; `analyzeModel` reports them on the node, so
 * the designer can still show the rest of the model. Other schema errors return `model: null`.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostics';
import {
  CURRENT_FORMAT_VERSION,
  DEFAULT_COMPILE,
  DEFAULT_TRAINING,
  MODEL_FORMAT_TAG,
  type ModelFile,
  type ModelNode,
} from './format';
import { MAX_MODEL_JSON_DEPTH, offsetBeyondDepth } from './jsonDepth';
import { jsonErrorOffset } from './jsonErrorOffset';
import { isJsonObject, migrateToCurrent, type JsonObject } from './migrations';
import { describeValue, schemaMessage, valueAt } from './schemaMessages';
// Compiled ahead of time from buildModelSchema() (scripts/gen-schema.ts): no code generation at run time.
import { validate as validateModelSchema } from './generated/modelSchemaValidator';

export { serializeModel } from './serialize';

export interface ParseResult {
  model: ModelFile | null;
  diagnostics: Diagnostic[];
}

function own(o: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** ` at line 4, column 7`: where the JSON first goes wrong. */
function locate(text: string, offset = jsonErrorOffset(text)): string {
  if (offset < 0) return '';
  const pos = Math.min(offset, text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Copies defaults into missing fields (never over present ones, so wrong values still reach the schema check). */
function fillDefaults(target: JsonObject, defaults: object): void {
  for (const [k, dv] of Object.entries(defaults)) {
    const cur = own(target, k);
    if (cur === undefined) {
      target[k] = structuredClone(dv);
    } else if (isJsonObject(cur) && isJsonObject(dv) && k !== 'learningRateSchedule') {
      fillDefaults(cur, dv);
    }
  }
}

/** The node an error belongs to, when its path is inside `nodes[i]`. */
function nodeIdAt(doc: unknown, pointer: string): string | null {
  const m = /^\/nodes\/(\d+)/.exec(pointer);
  if (!m) return null;
  const node = valueAt(doc, `/nodes/${m[1]}`);
  const id = isJsonObject(node) ? own(node, 'id') : undefined;
  return typeof id === 'string' ? id : null;
}

/** V8's message without its position and echo of the text, which `locate` states better. */
function shortParseMessage(msg: string): string {
  return msg.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
}

/** Errors the analyzer reports better (on the node, with quick fixes), so the loader lets them through. */
function isLeftToAnalyzer(e: ErrorObject): boolean {
  if (/^\/nodes\/\d+\/params(\/|$)/.test(e.instancePath)) return e.keyword !== 'type' || e.instancePath.split('/').length > 4;
  if (/^\/nodes\/\d+\/type$/.test(e.instancePath) && e.keyword === 'enum') return true;
  if (/^\/nodes\/\d+\/id$/.test(e.instancePath) && e.keyword === 'pattern') return true;
  return e.keyword === 'if'; // "must match then": the nested error is reported already
}

/** Copies only `keys` (warned-about unknown properties stay behind, as the warning says). */
function pick(o: unknown, keys: readonly string[], nested: Readonly<Record<string, readonly string[]>> = {}): JsonObject {
  const out: JsonObject = {};
  if (!isJsonObject(o)) return out;
  for (const k of keys) {
    const v = own(o, k);
    if (v === undefined) continue;
    const sub = Object.prototype.hasOwnProperty.call(nested, k) ? nested[k] : undefined;
    out[k] = sub ? pick(v, sub) : structuredClone(v);
  }
  return out;
}

const COMPILE_KEYS = ['optimizer', 'learningRate', 'loss', 'metrics'];
const TRAINING_KEYS = ['epochs', 'batchSize', 'validationSplit', 'shuffle', 'seed', 'earlyStopping', 'learningRateSchedule', 'augmentation'];
const TRAINING_NESTED = {
  earlyStopping: ['enabled', 'monitor', 'patience', 'restoreBestWeights'],
  learningRateSchedule: ['kind', 'stepEpochs', 'factor', 'patience', 'minLearningRate'],
  augmentation: ['horizontalFlip', 'translate', 'brightness'],
};
const DATASET_KEYS = ['kind', 'path', 'validationPath', 'imageSize', 'colorMode'];

/** Builds the typed model from a document the schema accepted, taking only known keys. */
function toModel(doc: JsonObject): ModelFile {
  const nodes = (own(doc, 'nodes') as JsonObject[]).map((n): ModelNode => {
    const node: ModelNode = {
      id: own(n, 'id') as string,
      type: own(n, 'type') as string,
      // fromEntries keeps a `__proto__` key as plain data (never a prototype), so nothing is lost or polluted.
      params: Object.fromEntries(Object.entries((own(n, 'params') as JsonObject | undefined) ?? {})) as ModelNode['params'],
      inputs: [...(own(n, 'inputs') as string[])],
    };
    // Only `false` is kept: `true` is the default, so a frozen-then-unfrozen layer has no key at all.
    if (own(n, 'trainable') === false) node.trainable = false;
    const pos = own(n, 'position');
    if (isJsonObject(pos)) node.position = { x: pos['x'] as number, y: pos['y'] as number };
    return node;
  });
  const model: ModelFile = {
    format: MODEL_FORMAT_TAG,
    formatVersion: CURRENT_FORMAT_VERSION,
    name: own(doc, 'name') as string,
    nodes,
    compile: pick(own(doc, 'compile'), COMPILE_KEYS) as unknown as ModelFile['compile'],
    training: pick(own(doc, 'training'), TRAINING_KEYS, TRAINING_NESTED) as unknown as ModelFile['training'],
  };
  const description = own(doc, 'description');
  if (typeof description === 'string') model.description = description;
  const dataset = own(doc, 'dataset');
  if (isJsonObject(dataset)) model.dataset = pick(dataset, DATASET_KEYS) as unknown as ModelFile['dataset'];
  return model;
}

function parseUnchecked(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const fail = (d: Omit<Diagnostic, 'nodeId' | 'severity'>): ParseResult => ({
    model: null,
    diagnostics: [...diagnostics, { nodeId: null, severity: 'error', ...d }],
  });

  const tooDeep = offsetBeyondDepth(text, MAX_MODEL_JSON_DEPTH);
  if (tooDeep >= 0) {
    return fail({
      code: 'invalid-json',
      message:
        `The file nests values more than ${MAX_MODEL_JSON_DEPTH} levels deep${locate(text, tooDeep)}, and a model file needs about 6: it is damaged or not a CNN Studio model. ` +
        `Restore it (for example from version control) or create it again with 'cnn-studio new' or the "New model" command.`,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return fail({
      code: 'invalid-json',
      message: `The file is not valid JSON${locate(text)} (${shortParseMessage(msg)}): fix the syntax there, or undo the last edit.`,
    });
  }
  if (!isJsonObject(raw) || own(raw, 'format') !== MODEL_FORMAT_TAG) {
    return fail({
      code: 'not-a-model',
      message: `This is not a CNN Studio model: the top level must be an object with "format": "${MODEL_FORMAT_TAG}". Create one with 'cnn-studio new tutorial-cifar model.cnn.json' or the "New model" command.`,
    });
  }

  let version = own(raw, 'formatVersion');
  if (version === undefined) {
    // A hand-written file may leave it out; the shape of the file tells which version it is.
    version = Array.isArray(own(raw, 'layers')) && own(raw, 'nodes') === undefined ? 0 : CURRENT_FORMAT_VERSION;
    diagnostics.push({
      nodeId: null,
      code: 'schema',
      severity: 'warning',
      message: `"formatVersion" is missing; read the file as version ${String(version)}. Add "formatVersion": ${CURRENT_FORMAT_VERSION} (saving from the designer adds it).`,
    });
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return fail({
      code: 'unsupported-version',
      message: `"formatVersion" must be a whole number such as ${CURRENT_FORMAT_VERSION}, but is ${describeValue(version)}: set "formatVersion": ${CURRENT_FORMAT_VERSION}.`,
    });
  }
  if (version > CURRENT_FORMAT_VERSION) {
    return fail({
      code: 'unsupported-version',
      message: `This file was written by a newer CNN Studio (format version ${version}); update the extension to open it.`,
    });
  }

  let doc: JsonObject = raw;
  if (version < CURRENT_FORMAT_VERSION) {
    const migrated = migrateToCurrent(raw, version);
    doc = migrated.doc;
    for (const description of migrated.applied) {
      diagnostics.push({ nodeId: null, code: 'migrated', severity: 'info', message: `${description} Saving writes format version ${CURRENT_FORMAT_VERSION}.` });
    }
  }
  if (own(doc, 'formatVersion') === undefined) doc = { ...doc, formatVersion: CURRENT_FORMAT_VERSION };

  for (const [key, defaults] of [
    ['compile', DEFAULT_COMPILE],
    ['training', DEFAULT_TRAINING],
  ] as const) {
    const cur = own(doc, key);
    if (cur === undefined) doc[key] = structuredClone(defaults);
    else if (isJsonObject(cur)) fillDefaults(cur, defaults);
  }
  if (Array.isArray(own(doc, 'nodes'))) {
    for (const n of own(doc, 'nodes') as unknown[]) if (isJsonObject(n) && own(n, 'params') === undefined) n['params'] = {};
  }

  const validate = validateModelSchema;
  let fatal = false;
  if (!validate(doc)) {
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      if (isLeftToAnalyzer(e)) continue;
      const message = schemaMessage(e, doc);
      if (seen.has(message)) continue;
      seen.add(message);
      const severity = e.keyword === 'additionalProperties' ? 'warning' : 'error';
      if (severity === 'error') fatal = true;
      diagnostics.push({ nodeId: nodeIdAt(doc, e.instancePath), code: 'schema', severity, message });
    }
  }
  return { model: fatal ? null : toModel(doc), diagnostics };
}

export function parseModelText(text: string): ParseResult {
  try {
    return parseUnchecked(typeof text === 'string' ? text : String(text));
  } catch (err) {
    // Last line of defence for the "never throws" promise; reaching it is a bug worth a report.
    return {
      model: null,
      diagnostics: [
        {
          nodeId: null,
          code: 'invalid-json',
          severity: 'error',
          message: `The file could not be read (${err instanceof Error ? err.message : String(err)}). Please report this with the file attached.`,
        },
      ],
    };
  }
}
