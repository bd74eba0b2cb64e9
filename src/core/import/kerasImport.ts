/**
 * Imports a Keras model description into a CNN Studio model file: Keras JSON (`model.to_json()`, Keras 2
 * or 3), a Keras 3 `config.json`, or a TF.js `model.json` (its `modelTopology`, with or without
 * `model_config`). Sequential and Functional models, nested models (inlined), every input-shape spelling
 * (`batch_input_shape`, `batch_shape`, `input_shape`, `build_input_shape`) and both `inbound_nodes` forms.
 *
 * Nothing is dropped silently: a layer we cannot train is removed and its consumers are connected to its
 * input, an option we do not support (regularizers, constraints, groups…) is ignored, and each of these
 * is a line of the report. Positions are left out so the designer lays the graph out.
 */
import { ACTIVATIONS, getLayerSpec, type KerasParamSpec, layerSpecForKerasClass, type LayerSpec, type ParamSpec } from '../catalogue';
import { offsetBeyondDepth } from '../jsonDepth';
import { idPrefixForType, isValidNodeId, NODE_ID_RULE, suggestNodeId } from '../nodeIds';
import { type CompileSettings, DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile, type ModelNode, type ParamValue } from '../format';
import { parseModelText } from '../loader';
import { OPTIMIZERS as SCHEMA_OPTIMIZERS } from '../format';
import { serializeModel } from '../serialize';
import { UserFacingError } from '../userFacingError';

export type ImportSeverity = 'info' | 'warning';

export interface ImportNote {
  severity: ImportSeverity;
  /** The Keras layer the note is about, when it is about one. */
  layer?: string;
  message: string;
}

export interface KerasImportResult {
  model: ModelFile;
  notes: ImportNote[];
  /** Which format was recognised, for the report. */
  source: 'keras-json' | 'tfjs-model-json' | 'keras3-config';
  /** The TF.js weights manifest when the file had one (the caller reads the weight files). */
  weightsManifest: unknown[] | null;
  /** Layer names that were not valid node ids → the ids they became (their weights are renamed alike). */
  layerIds: ReadonlyMap<string, string>;
}

/** The file is not a Keras model we can read; the message says what was expected. */
export class KerasImportError extends UserFacingError {
  constructor(message: string) {
    super(message, 'KerasImportError');
  }
}

/** Far above any real Keras file (a deeply nested functional model stays under 50). */
const MAX_KERAS_JSON_DEPTH = 500;

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `kernel_size` or `kernelSize`: Keras files are snake_case, TF.js user code sometimes camelCase. */
function get(cfg: Obj, snake: string): Json {
  if (Object.hasOwn(cfg, snake)) return cfg[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return cfg[camel];
}

const ACTIVATION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['hard_sigmoid', 'hardSigmoid'],
  ['silu', 'swish'],
  ['None', 'linear'],
]);

/** One layer after reading, before the graph is assembled. */
interface RawLayer {
  name: string;
  className: string;
  config: Obj;
  /** Names of the layers feeding it (first call of the layer). */
  inputs: string[];
  /** How many times the layer is called (shared layers are called more than once). */
  calls: number;
}

class Reader {
  readonly notes: ImportNote[] = [];
  note(severity: ImportSeverity, message: string, layer?: string): void {
    this.notes.push(layer ? { severity, layer, message } : { severity, message });
  }
}

/** Keras 2 `[[["name", 0, 0, {}], …]]`, Keras 3 `[{args: [tensor | [tensors]], kwargs}]`, TF.js the same as Keras 2. */
function readInbound(inbound: Json): { inputs: string[]; calls: number } {
  if (!Array.isArray(inbound) || inbound.length === 0) return { inputs: [], calls: 0 };
  const first = inbound[0];
  const names: string[] = [];
  const collectHistory = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach(collectHistory);
      return;
    }
    if (!isObj(v)) return;
    const cfg = isObj(v['config']) ? v['config'] : null;
    const history = cfg ? get(cfg, 'keras_history') : undefined;
    if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
  };
  if (isObj(first)) {
    collectHistory(first['args'] ?? []);
  } else if (Array.isArray(first)) {
    for (const entry of first) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') names.push(entry[0]);
      else if (typeof entry === 'string') names.push(entry);
    }
    // A single-input node may be written flat: ["name", 0, 0, {}]
    if (names.length === 0 && typeof first[0] === 'string') names.push(first[0]);
  }
  return { inputs: names, calls: inbound.length };
}

/** `[["a", 0, 0], ["b", 0, 0]]` or Keras 3's single `["a", 0, 0]`. */
function readLayerRefs(v: Json): string[] {
  if (!Array.isArray(v)) return [];
  if (typeof v[0] === 'string') return [v[0]];
  return v.flatMap((e) => (Array.isArray(e) && typeof e[0] === 'string' ? [e[0]] : []));
}

/** The input shape (without batch) a layer config declares, if any. */
function declaredInputShape(cfg: Obj): number[] | null {
  for (const key of ['batch_input_shape', 'batch_shape']) {
    const v = get(cfg, key);
    if (Array.isArray(v)) return v.slice(1).map((x) => (typeof x === 'number' ? x : -1));
  }
  const v = get(cfg, 'input_shape');
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? x : -1));
  return null;
}

function className(layer: Obj): string {
  const c = layer['class_name'] ?? layer['className'];
  return typeof c === 'string' ? c : '';
}

function configOf(layer: Obj): Obj {
  const c = layer['config'];
  return isObj(c) ? c : {};
}

function layerName(layer: Obj, fallback: string): string {
  const cfg = configOf(layer);
  const n = layer['name'] ?? cfg['name'];
  return typeof n === 'string' && n !== '' ? n : fallback;
}

const isModelClass = (c: string): boolean => c === 'Sequential' || c === 'Functional' || c === 'Model';

/**
 * Flattens a (possibly nested) model config into raw layers. Returns the names of its input and output
 * layers so an enclosing model can connect to them.
 */
function flattenModel(r: Reader, modelClass: string, cfg: Obj, prefix: string, outerInputs: string[] | null, out: RawLayer[], taken: Set<string>): { inputs: string[]; outputs: string[] } {
  const layers = Array.isArray(cfg['layers']) ? (cfg['layers'].filter(isObj) as Obj[]) : [];
  const rename = new Map<string, string>();
  const uniqueName = (n: string): string => {
    let name = prefix && taken.has(n) ? `${prefix}_${n}` : n;
    for (let i = 2; taken.has(name); i++) name = `${n}_${i}`;
    taken.add(name);
    return name;
  };
  if (modelClass === 'Sequential') {
    let prev: string[] = outerInputs ?? [];
    const inputs: string[] = [];
    // The input shape can sit on the first layer, on the Sequential (Keras 3 build_input_shape) or on an InputLayer.
    const firstCfg = layers[0] ? configOf(layers[0]) : {};
    const buildShape = get(cfg, 'build_input_shape');
    if (!outerInputs && className(layers[0] ?? {}) !== 'InputLayer') {
      const shape = declaredInputShape(firstCfg) ?? (Array.isArray(buildShape) ? buildShape.slice(1).map((x) => (typeof x === 'number' ? x : -1)) : null);
      if (!shape) throw new KerasImportError('The Sequential model does not say its input shape (no InputLayer, batch_input_shape or build_input_shape). Save it after building it (e.g. with an Input layer), then import again.');
      const name = uniqueName('input');
      out.push({ name, className: 'InputLayer', config: { batch_input_shape: [null, ...shape] }, inputs: [], calls: 0 });
      prev = [name];
      inputs.push(name);
    }
    layers.forEach((layer, k) => {
      const c = className(layer);
      const original = layerName(layer, `layer_${k}`);
      if (c === 'InputLayer') {
        if (outerInputs) return; // a nested Sequential's own input: the outer tensor comes in instead
        const name = uniqueName(original);
        out.push({ name, className: c, config: configOf(layer), inputs: [], calls: 0 });
        prev = [name];
        inputs.push(name);
        return;
      }
      if (isModelClass(c)) {
        r.note('info', `Nested model '${original}' was inlined: its layers are now part of this model.`, original);
        const inner = flattenModel(r, c, configOf(layer), original, prev, out, taken);
        prev = inner.outputs;
        return;
      }
      const name = uniqueName(original);
      rename.set(original, name);
      out.push({ name, className: c, config: configOf(layer), inputs: prev, calls: 1 });
      prev = [name];
    });
    return { inputs, outputs: prev };
  }
  // Functional
  const inputNames = readLayerRefs(cfg['input_layers']);
  const outputNames = readLayerRefs(cfg['output_layers']);
  const resolved = new Map<string, string[]>(); // original layer name → the names that carry its output
  layers.forEach((layer, k) => {
    const c = className(layer);
    const original = layerName(layer, `layer_${k}`);
    const { inputs: ins, calls } = readInbound(layer['inbound_nodes'] ?? layer['inboundNodes']);
    const fed = ins.flatMap((i) => resolved.get(i) ?? [i]);
    if (c === 'InputLayer') {
      const pos = inputNames.indexOf(original);
      if (outerInputs && pos >= 0 && outerInputs[pos] !== undefined) {
        resolved.set(original, [outerInputs[pos]!]);
        return;
      }
      const name = uniqueName(original);
      resolved.set(original, [name]);
      out.push({ name, className: c, config: configOf(layer), inputs: [], calls: 0 });
      return;
    }
    if (isModelClass(c)) {
      r.note('info', `Nested model '${original}' was inlined: its layers are now part of this model.`, original);
      const inner = flattenModel(r, c, configOf(layer), original, fed, out, taken);
      resolved.set(original, inner.outputs);
      return;
    }
    const name = uniqueName(original);
    resolved.set(original, [name]);
    out.push({ name, className: c, config: configOf(layer), inputs: fed, calls });
  });
  return {
    inputs: inputNames.flatMap((n) => resolved.get(n) ?? []),
    outputs: outputNames.flatMap((n) => resolved.get(n) ?? [n]),
  };
}

function num(v: Json, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function pair(v: Json, fallback: [number, number]): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && typeof v[0] === 'number') return [v[0], typeof v[1] === 'number' ? v[1] : v[0]];
  return fallback;
}

function pair2(v: Json): [[number, number], [number, number]] {
  if (typeof v === 'number') return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    const [a, b] = v;
    const p = (x: Json): [number, number] => (typeof x === 'number' ? [x, x] : Array.isArray(x) ? [num(x[0], 0), num(x[1], 0)] : [0, 0]);
    return [p(a), p(b)];
  }
  return [[0, 0], [0, 0]];
}

/** Our activation name for a Keras activation (string or serialized object). */
function activationOf(r: Reader, v: Json, layer: string): string {
  let name: string;
  if (v === null || v === undefined) name = 'linear';
  else if (typeof v === 'string') name = v;
  else if (isObj(v)) {
    const c = className(v) || String(v['config'] ?? '');
    name = c;
  } else name = 'linear';
  const mapped = ACTIVATION_ALIASES.get(name) ?? name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const lower = mapped === 'ReLU' ? 'relu' : mapped === 'Softmax' ? 'softmax' : mapped;
  if ((ACTIVATIONS as readonly string[]).includes(lower)) return lower;
  r.note('warning', `Activation '${name}' is not supported; 'linear' is used instead. Add an Activation layer with a supported function if needed.`, layer);
  return 'linear';
}

/** Keras' GlorotUniform, also as TF.js writes it (VarianceScaling, scale 1, fan_avg, uniform). */
function isGlorotUniform(init: Obj): boolean {
  const c = className(init);
  if (c === 'GlorotUniform' || c === 'glorot_uniform') return true;
  const cfg = configOf(init);
  return c === 'VarianceScaling' && num(cfg['scale'], 1) === 1 && cfg['mode'] === 'fan_avg' && (cfg['distribution'] === 'uniform' || cfg['distribution'] === undefined);
}

/** Options we read but cannot represent; each non-default one becomes a note. */
function reportUnsupportedOptions(r: Reader, raw: RawLayer): void {
  const cfg = raw.config;
  for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_regularizer', 'pointwise_regularizer', 'beta_regularizer', 'gamma_regularizer']) {
    const v = get(cfg, key);
    if (v !== null && v !== undefined) r.note('warning', `Option ${key} is not supported and was ignored (CNN Studio trains without regularizers).`, raw.name);
  }
  for (const key of ['kernel_constraint', 'bias_constraint', 'depthwise_constraint', 'pointwise_constraint', 'beta_constraint', 'gamma_constraint']) {
    const v = get(cfg, key);
    if (v !== null && v !== undefined) r.note('warning', `Option ${key} is not supported and was ignored.`, raw.name);
  }
  const groups = get(cfg, 'groups');
  if (typeof groups === 'number' && groups !== 1) r.note('warning', `groups=${groups} is not supported; the convolution is imported as an ordinary one (groups=1), with more parameters.`, raw.name);
  const df = get(cfg, 'data_format');
  if (df === 'channels_first') r.note('warning', 'data_format=channels_first is not supported; the layer is imported channels-last (shapes are [height, width, channels]).', raw.name);
  const dil = get(cfg, 'dilation_rate');
  if (raw.className !== 'Conv2D' && raw.className !== 'Convolution2D' && dil !== undefined && pair(dil, [1, 1]).some((d) => d !== 1)) {
    r.note('warning', `dilation_rate is only supported on Conv2D; it was ignored on this ${raw.className}.`, raw.name);
  }
  const op = get(cfg, 'output_padding');
  if (op !== null && op !== undefined) r.note('warning', 'output_padding is not supported and was ignored; the output size follows the padding mode.', raw.name);
  const axis = get(cfg, 'axis');
  if (raw.className === 'BatchNormalization') {
    const a = Array.isArray(axis) ? axis[0] : axis;
    if (a !== undefined && a !== -1 && a !== 3) r.note('warning', `BatchNormalization over axis ${JSON.stringify(axis)} is not supported; it normalises the channels (axis -1).`, raw.name);
  }
  for (const key of ['kernel_initializer', 'depthwise_initializer', 'pointwise_initializer']) {
    const init = get(cfg, key);
    if (isObj(init) && !isGlorotUniform(init)) {
      r.note('info', `${key} ${className(init)} is not kept: CNN Studio initialises with Glorot uniform (this only matters when training from scratch).`, raw.name);
    }
  }
  if (get(cfg, 'trainable') === false) r.note('info', 'The layer was frozen (trainable=false); CNN Studio trains every layer.', raw.name);
  if (raw.calls > 1) r.note('warning', `The layer is used ${raw.calls} times (shared weights); only its first use was imported.`, raw.name);
}

/** A param's value in a Keras config: under its Keras name, else under one of its older names. */
function kerasValue(cfg: Obj, keras: KerasParamSpec): Json {
  let v = get(cfg, keras.name);
  for (const alias of keras.aliases ?? []) v ??= get(cfg, alias);
  return v;
}

/** A Keras config value read as a param of this kind; a missing or unreadable one is `fallback`. */
function readParam(r: Reader, raw: RawLayer, spec: ParamSpec, v: Json, fallback: ParamValue): ParamValue {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return num(v, fallback as number);
    case 'bool':
      return typeof v === 'boolean' ? v : fallback;
    case 'enum':
      if (spec.values === ACTIVATIONS) return activationOf(r, v, raw.name);
      return typeof v === 'string' && spec.values.includes(v) ? v : fallback;
    case 'pair':
      return v === null || v === undefined || fallback === null ? (fallback ?? null) : pair(v, fallback as [number, number]);
    case 'pair2':
      return v === undefined ? fallback : pair2(v);
    case 'shape':
      return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : -1)) : fallback;
  }
}

/**
 * Our node params for a supported layer (only the ones that differ from the catalogue's defaults are
 * kept): each param is read under its catalogue Keras name (or an older one), a missing one is Keras'
 * default; then the few layers whose Keras options do not map one to one are adjusted.
 */
function paramsFor(r: Reader, spec: LayerSpec, raw: RawLayer): LayerParams {
  const cfg = raw.config;
  const p: Record<string, ParamValue> = {};
  if (spec.type === 'Input') {
    const shape = declaredInputShape(cfg);
    if (!shape || shape.some((d) => d < 1)) throw new KerasImportError(`Input layer '${raw.name}' has no fixed shape (${JSON.stringify(shape)}). CNN Studio needs a fixed [height, width, channels]; set it in Keras and save again.`);
    p['shape'] = shape;
    return withoutDefaults(spec.type, p);
  }
  for (const [name, param] of Object.entries(spec.params)) {
    p[name] = readParam(r, raw, param, kerasValue(cfg, param.keras), param.keras.default ?? (param.default as ParamValue));
  }
  switch (spec.type) {
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      // Keras writes the derived strides (= the pool size); ours are null then.
      const pool = p['poolSize'] as [number, number];
      const s = get(cfg, 'strides');
      const strides = s === null || s === undefined ? null : pair(s, pool);
      p['strides'] = strides && (strides[0] !== pool[0] || strides[1] !== pool[1]) ? strides : null;
      break;
    }
    case 'Activation':
      if (raw.className === 'ReLU') {
        const max = get(cfg, 'max_value');
        p['activation'] = max === 6 ? 'relu6' : 'relu';
        if (max !== null && max !== undefined && max !== 6) r.note('warning', `ReLU max_value=${String(max)} is not supported; a plain relu is used.`, raw.name);
      } else if (raw.className === 'Softmax') {
        p['activation'] = 'softmax';
      }
      break;
    case 'UpSampling2D': {
      const interp = get(cfg, 'interpolation');
      if (interp !== 'bilinear' && interp !== 'nearest' && interp !== undefined) {
        p['interpolation'] = 'bilinear';
        r.note('warning', `Interpolation '${String(interp)}' is not supported; bilinear is used.`, raw.name);
      }
      break;
    }
    default:
      break;
  }
  return withoutDefaults(spec.type, p);
}

function sameValue(a: ParamValue | undefined, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withoutDefaults(type: string, params: Record<string, ParamValue>): LayerParams {
  const spec = getLayerSpec(type);
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(params)) {
    if (spec && spec.params[k] && sameValue(v, spec.params[k]!.default)) continue;
    out[k] = v;
  }
  return out;
}

/** Weight name → shape, from a TF.js weights manifest. */
function weightShapesOf(manifest: unknown[] | null): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const group of manifest ?? []) {
    const weights = isObj(group) && Array.isArray(group['weights']) ? group['weights'] : [];
    for (const w of weights) if (isObj(w) && typeof w['name'] === 'string' && Array.isArray(w['shape'])) shapes.set(w['name'], w['shape'] as number[]);
  }
  return shapes;
}

const OPTIMIZERS: ReadonlyMap<string, CompileSettings['optimizer']> = new Map(SCHEMA_OPTIMIZERS.map((o) => [o, o]));
const LOSSES: ReadonlyMap<string, CompileSettings['loss']> = new Map([
  ['sparsecategoricalcrossentropy', 'sparseCategoricalCrossentropy'],
  ['categoricalcrossentropy', 'categoricalCrossentropy'],
  ['binarycrossentropy', 'binaryCrossentropy'],
  ['meansquarederror', 'meanSquaredError'],
  ['mse', 'meanSquaredError'],
]);

/** Compile settings from a `training_config` / `trainingConfig` (TF.js model.json, Keras H5 conversions). */
function compileFrom(r: Reader, json: Json): CompileSettings {
  const compile: CompileSettings = structuredClone(DEFAULT_COMPILE);
  const topo = isObj(json) && isObj(json['modelTopology']) ? json['modelTopology'] : null;
  const tc = isObj(json) ? (json['trainingConfig'] ?? json['training_config'] ?? topo?.['training_config'] ?? topo?.['trainingConfig']) : undefined;
  if (!isObj(tc)) {
    r.note('info', "The file has no training configuration: compile settings are CNN Studio's defaults (adam, 0.001, sparse categorical cross-entropy).");
    return compile;
  }
  const lossValue = tc['loss'];
  const lossName = typeof lossValue === 'string' ? lossValue : isObj(lossValue) ? className(lossValue) : '';
  const loss = LOSSES.get(lossName.replace(/_/g, '').toLowerCase());
  if (loss) compile.loss = loss;
  else if (lossName) r.note('warning', `Loss '${lossName}' is not supported; sparse categorical cross-entropy is used.`);
  const opt = get(tc, 'optimizer_config');
  if (isObj(opt)) {
    const name = className(opt).toLowerCase();
    const optimizer = OPTIMIZERS.get(name);
    if (optimizer) compile.optimizer = optimizer;
    else r.note('warning', `Optimizer '${className(opt)}' is not supported; adam is used.`);
    const cfg = configOf(opt);
    const lr = get(cfg, 'learning_rate') ?? cfg['lr'];
    if (typeof lr === 'number' && lr > 0) compile.learningRate = lr;
  }
  const metrics = tc['metrics'];
  const list = Array.isArray(metrics) ? metrics : isObj(metrics) ? Object.values(metrics) : [];
  compile.metrics = list.some((m) => typeof m === 'string' && /^(acc|accuracy|sparse_categorical_accuracy|categorical_accuracy)$/i.test(m)) ? ['accuracy'] : [];
  return compile;
}

/** Finds the model config inside whatever JSON was given. */
function locateModelConfig(json: Json): { config: Obj; source: KerasImportResult['source']; weightsManifest: unknown[] | null } {
  if (!isObj(json)) throw new KerasImportError('The file is not a JSON object. Expected Keras JSON (model.to_json()), a Keras 3 config.json or a TF.js model.json.');
  const manifest = Array.isArray(json['weightsManifest']) ? (json['weightsManifest'] as unknown[]) : null;
  if ('modelTopology' in json) {
    const topo = json['modelTopology'];
    if (!isObj(topo)) throw new KerasImportError('This model.json has no layers model topology (it may be a TF.js graph model, converted from a SavedModel). Only TF.js layers models can be imported.');
    const inner = isObj(topo['model_config']) ? topo['model_config'] : topo;
    return { config: inner, source: 'tfjs-model-json', weightsManifest: manifest };
  }
  if (isObj(json['model_config'])) return { config: json['model_config'], source: 'keras-json', weightsManifest: manifest };
  if (typeof json['module'] === 'string' || 'registered_name' in json) return { config: json, source: 'keras3-config', weightsManifest: null };
  return { config: json, source: 'keras-json', weightsManifest: null };
}

/** Turns a parsed Keras/TF.js JSON document into a model file and a report. */
export function importKerasModel(json: Json, name?: string): KerasImportResult {
  const { config: top, source, weightsManifest } = locateModelConfig(json);
  const cls = className(top);
  if (!isModelClass(cls)) {
    throw new KerasImportError(`Expected a Sequential or Functional model, found class '${cls || 'none'}'. Export the whole model with model.to_json() (or save it with TF.js' model.save).`);
  }
  const r = new Reader();
  const raws: RawLayer[] = [];
  const modelCfg = configOf(top);
  const { outputs } = flattenModel(r, cls, modelCfg, '', null, raws, new Set());

  // Unsupported layers are dropped and their consumers fed from their first input.
  const replacement = new Map<string, string | null>();
  const nodes: ModelNode[] = [];
  const resolve = (n: string): string | null => {
    const seen = new Set<string>();
    let cur: string | null = n;
    while (cur !== null && replacement.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = replacement.get(cur) ?? null;
    }
    return cur;
  };
  const weightShapes = weightShapesOf(weightsManifest);
  for (const raw of raws) {
    let type = layerSpecForKerasClass(raw.className)?.type;
    // tfjs-layers 4.x forgets depth_multiplier when it saves a SeparableConv2D; the weights still tell it.
    if (type === 'SeparableConv2D' && get(raw.config, 'depth_multiplier') === undefined) {
      const shape = weightShapes.get(`${raw.name}/depthwise_kernel`);
      if (shape && shape.length === 4 && shape[3] !== 1) {
        raw.config = { ...raw.config, depth_multiplier: shape[3]! };
        r.note('info', `depth_multiplier ${shape[3]} was read from the weight shapes (TF.js does not save it).`, raw.name);
      }
    }
    if (type === 'Dropout') {
      const ns = get(raw.config, 'noise_shape');
      if (Array.isArray(ns) && ns.length === 4 && ns[1] === 1 && ns[2] === 1) type = 'SpatialDropout2D';
      else if (Array.isArray(ns)) r.note('warning', `Dropout noise_shape ${JSON.stringify(ns)} is not supported; an ordinary Dropout is used.`, raw.name);
    }
    if (raw.className === 'ReLU' && num(get(raw.config, 'negative_slope'), 0) !== 0) type = 'LeakyReLU';
    if (!type) {
      const fedBy = raw.inputs.map(resolve).filter((x): x is string => x !== null);
      replacement.set(raw.name, fedBy[0] ?? null);
      const what = fedBy.length === 0 ? 'It had no input, so nothing replaces it.' : `Layers reading it now read '${fedBy[0]}' instead${fedBy.length > 1 ? ` (its other inputs ${fedBy.slice(1).map((f) => `'${f}'`).join(', ')} are no longer used there)` : ''}; shapes after it may change.`;
      r.note('warning', `${raw.className} is not supported by CNN Studio and was removed (replaced by a pass-through). ${what}`, raw.name);
      continue;
    }
    reportUnsupportedOptions(r, raw);
    const params = paramsFor(r, getLayerSpec(type)!, raw);
    const inputs = raw.inputs.map(resolve).filter((x): x is string => x !== null);
    nodes.push({ id: raw.name, type, params, inputs: type === 'Input' ? [] : inputs });
  }
  const layerIds = renameInvalidIds(r, nodes);
  const outputIds = outputs.map(resolve).filter((x): x is string => x !== null).map((n) => layerIds.get(n) ?? n);
  if (outputIds.length > 1) r.note('warning', `The model has ${outputIds.length} outputs (${outputIds.join(', ')}); CNN Studio trains models with one output.`);
  if (nodes.filter((n) => n.type === 'Input').length === 0) throw new KerasImportError('The model has no input layer after import. Save the Keras model with an Input layer and import again.');

  const modelName = name ?? (typeof modelCfg['name'] === 'string' && modelCfg['name'] !== '' ? modelCfg['name'] : 'imported');
  r.note('info', `Imported ${nodes.length} layers from ${source === 'tfjs-model-json' ? 'a TF.js model.json' : source === 'keras3-config' ? 'Keras 3 JSON' : 'Keras JSON'} (${cls}). Training settings (epochs, batch size…) are CNN Studio's defaults: check them in the designer.`);
  const compile = compileFrom(r, json);
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: modelName,
    description: `Imported from a Keras ${cls} model.`,
    nodes,
    compile,
    training: structuredClone(DEFAULT_TRAINING),
  };
  assertPassesSchema(model);
  return { model, notes: r.notes, source, weightsManifest, layerIds };
}

/**
 * Node ids become tfjs layer names and must follow the id rule; Keras names may hold spaces, '/', or
 * start with '_' or a digit (`__proto__`, `9out`). Such nodes get a cleaned, unique id (in place) and a
 * note; the returned map (old name → id) lets the weights follow.
 */
function renameInvalidIds(r: Reader, nodes: ModelNode[]): Map<string, string> {
  const renamed = new Map<string, string>();
  const taken = new Set(nodes.map((n) => n.id).filter(isValidNodeId));
  for (const node of nodes) {
    if (isValidNodeId(node.id)) continue;
    // Room for a `_12` suffix within the length limit.
    const base = suggestNodeId(node.id).slice(0, 60) || idPrefixForType(node.type);
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    renamed.set(node.id, id);
    r.note('info', `Layer name '${node.id}' is not a valid CNN Studio id (${NODE_ID_RULE}); it was renamed '${id}'.`, node.id);
    node.id = id;
  }
  if (renamed.size > 0) for (const node of nodes) node.inputs = node.inputs.map((i) => renamed.get(i) ?? i);
  return renamed;
}

/** The imported model must load as any saved model does; a value the schema refuses is named here, not later. */
function assertPassesSchema(model: ModelFile): void {
  const problems = parseModelText(serializeModel(model)).diagnostics.filter((d) => d.code === 'schema' && d.severity === 'error');
  if (problems.length === 0) return;
  const listed = problems.slice(0, 4).map((d) => (d.nodeId ? `layer '${d.nodeId}': ${d.message}` : d.message));
  throw new KerasImportError(`The imported model would not be a valid CNN Studio model: ${listed.join('; ')}${problems.length > 4 ? ` (and ${problems.length - 4} more)` : ''}. Fix these values in the Keras model (or the file) and import again.`);
}

/** Parses the text, then imports; JSON syntax errors become a KerasImportError naming the problem. */
export function importKerasText(text: string, name?: string): KerasImportResult {
  // Keras files nest deeper than ours (nested models, serialized configs), but not hundreds of levels;
  // deeper input would overflow the recursive readers below.
  if (offsetBeyondDepth(text, MAX_KERAS_JSON_DEPTH) >= 0) {
    throw new KerasImportError(`The file nests values more than ${MAX_KERAS_JSON_DEPTH} levels deep, which no Keras or TF.js model file does: it is damaged or not a model. Export the model again (model.to_json() or model.save).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KerasImportError(`The file is not valid JSON (${(err as Error).message}). Expected Keras JSON (model.to_json()) or a TF.js model.json.`);
  }
  return importKerasModel(json, name);
}

/** The report as text lines, for the CLI and the VS Code output. */
export function formatImportReport(result: KerasImportResult): string {
  return result.notes.map((n) => `${n.severity === 'warning' ? 'warning' : 'note'}: ${n.layer ? `[${n.layer}] ` : ''}${n.message}`).join('\n');
}
