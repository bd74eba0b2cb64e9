/**
 * Imports a Keras model description into a CNN Studio model file: Keras JSON (`model.to_json()`, Keras 2
 * or 3), a Keras 3 `config.json`, or a TF.js `model.json` (its `modelTopology`, with or without
 * `model_config`). Sequential and Functional models, nested models (inlined), every input-shape spelling
 * (`batch_input_shape`, `batch_shape`, `input_shape`, `build_input_shape`) and both `inbound_nodes` forms.
 *
 * The file's layout is found by kerasDocument.ts (JSON strings, Keras ≤ 2.2 list configs, graph models).
 *
 * Nothing changes silently: a layer with no faithful equivalent (an unknown class, a per-channel
 * Rescaling, a Dropout noise shape that is not a SpatialDropout2D) stops the import with the list of
 * them, unless `bridge` asks to replace them by pass-throughs; channels_first models are refused; an
 * option we do not support (regularizers, constraints, groups…) is ignored with a note. The loss comes
 * from the file or fits the output (importLoss.ts). Positions are left out so the designer lays the graph out.
 */
import { ACTIVATIONS, getLayerSpec, type KerasParamSpec, layerSpecForKerasClass, type LayerSpec, type ParamSpec } from '../catalogue';
import { idPrefixForType, isValidNodeId, NODE_ID_RULE, suggestNodeId } from '../nodeIds';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile, type ModelNode, type ParamValue } from '../format';
import { parseModelText } from '../loader';
import { serializeModel } from '../serialize';
import { compileFor } from './importLoss';
import { type ImportNote, type ImportSeverity, type UnsupportedLayer, UnsupportedLayersError } from './importNotes';
import { configOf, decodedOnceMore, decodeKerasText, isObj, type Json, KerasImportError, type KerasSource, locateModelConfig, type Obj, sequentialLayers } from './kerasDocument';

export { KerasImportError } from './kerasDocument';
export { type ImportNote, type ImportSeverity, type UnsupportedLayer, UnsupportedLayersError } from './importNotes';

export interface KerasImportOptions {
  /**
   * Replace the layers CNN Studio cannot represent by pass-throughs (their consumers read their input)
   * instead of refusing the import: `--bridge` in the CLI, "Import with Pass-throughs" in VS Code.
   */
  bridge?: boolean;
  /** The model's name when neither `name` nor the file gives one (Keras ≤ 2.2 Sequentials have none): the file's name. */
  fallbackName?: string;
}

export interface KerasImportResult {
  model: ModelFile;
  notes: ImportNote[];
  /** Which format was recognised, for the report. */
  source: KerasSource;
  /** The TF.js weights manifest when the file had one (the caller reads the weight files). */
  weightsManifest: unknown[] | null;
  /** Layer names that were not valid node ids → the ids they became (their weights are renamed alike). */
  layerIds: ReadonlyMap<string, string>;
  /** Node id → where its layer sits in the file (enclosing model names, then its name): weights follow it. */
  kerasPaths: ReadonlyMap<string, readonly string[]>;
  /** The layers replaced by pass-throughs (only with `bridge`; without it they stop the import). */
  bridged: UnsupportedLayer[];
  /** How many numbers the file's weights manifest holds, when it has one (compared with ours in the report). */
  fileParams: number | null;
  /** The model's class in the file (Sequential, Functional, Model). */
  modelClass: string;
  /** The file's model config as found (`{class_name, config}`), for a second reading by stock tfjs. */
  topology: Record<string, unknown>;
}

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
  /** Made by the import (the Input of a Sequential that declares its shape on its first layer). */
  synthetic?: boolean;
  /** Where the layer sits in the file: the names of the models enclosing it, then its own name. */
  path?: string[];
}

class Reader {
  readonly notes: ImportNote[] = [];
  note(severity: ImportSeverity, message: string, layer?: string, kind?: string): void {
    this.notes.push({ severity, message, ...(layer ? { layer } : {}), ...(kind ? { kind } : {}) });
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
function flattenModel(r: Reader, modelClass: string, cfg: Obj, enclosing: readonly string[], outerInputs: string[] | null, out: RawLayer[], taken: Set<string>): { inputs: string[]; outputs: string[] } {
  const layers = sequentialLayers(cfg);
  const prefix = enclosing[enclosing.length - 1] ?? '';
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
    // The input shape can sit on the first layer, on the Sequential (Keras 3 build_input_shape) or on an
    // InputLayer; or the first layer is a model (`Sequential([base_model, …])`) that declares its own.
    const firstCfg = layers[0] ? configOf(layers[0]) : {};
    const firstIsModel = isModelClass(className(layers[0] ?? {}));
    const buildShape = get(cfg, 'build_input_shape');
    if (!outerInputs && className(layers[0] ?? {}) !== 'InputLayer') {
      const shape = (firstIsModel ? null : declaredInputShape(firstCfg)) ?? (Array.isArray(buildShape) ? buildShape.slice(1).map((x) => (typeof x === 'number' ? x : -1)) : null);
      if (shape) {
        const name = uniqueName('input');
        out.push({ name, className: 'InputLayer', config: { batch_input_shape: [null, ...shape] }, inputs: [], calls: 0, synthetic: true });
        prev = [name];
        inputs.push(name);
      } else if (!firstIsModel) {
        throw new KerasImportError('The Sequential model does not say its input shape (no InputLayer, batch_input_shape or build_input_shape). Save it after building it (e.g. with an Input layer), then import again.');
      }
    }
    layers.forEach((layer, k) => {
      const c = className(layer);
      const original = layerName(layer, `layer_${k}`);
      if (c === 'InputLayer') {
        if (outerInputs) return; // a nested Sequential's own input: the outer tensor comes in instead
        const name = uniqueName(original);
        out.push({ name, className: c, config: configOf(layer), inputs: [], calls: 0, path: [...enclosing, original] });
        prev = [name];
        inputs.push(name);
        return;
      }
      if (isModelClass(c)) {
        r.note('info', `Nested model '${original}' was inlined: its layers are now part of this model.`, original, 'nested model inlined');
        // A first nested model without an input before it brings its own Input layers.
        const inner = flattenModel(r, c, configOf(layer), [...enclosing, original], prev.length > 0 ? prev : null, out, taken);
        if (prev.length === 0) inputs.push(...inner.inputs);
        prev = inner.outputs;
        return;
      }
      const name = uniqueName(original);
      rename.set(original, name);
      out.push({ name, className: c, config: configOf(layer), inputs: prev, calls: 1, path: [...enclosing, original] });
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
      out.push({ name, className: c, config: configOf(layer), inputs: [], calls: 0, path: [...enclosing, original] });
      return;
    }
    if (isModelClass(c)) {
      r.note('info', `Nested model '${original}' was inlined: its layers are now part of this model.`, original, 'nested model inlined');
      const inner = flattenModel(r, c, configOf(layer), [...enclosing, original], fed, out, taken);
      resolved.set(original, inner.outputs);
      return;
    }
    const name = uniqueName(original);
    resolved.set(original, [name]);
    out.push({ name, className: c, config: configOf(layer), inputs: fed, calls, path: [...enclosing, original] });
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

/**
 * Keras 1 wrote a convolution's kernel as two numbers (`Convolution2D(nb_filter, nb_row, nb_col)`); every
 * other Keras 1 name is an alias in the catalogue. Without this the kernel would silently be Keras' 3×3.
 */
function withKeras1KernelSize(cfg: Obj): Obj {
  const rows = get(cfg, 'nb_row');
  if (get(cfg, 'kernel_size') !== undefined || typeof rows !== 'number') return cfg;
  const cols = get(cfg, 'nb_col');
  return { ...cfg, kernel_size: [rows, typeof cols === 'number' ? cols : rows] };
}

/** Options we read but cannot represent; each non-default one becomes a note. */
function reportUnsupportedOptions(r: Reader, raw: RawLayer): void {
  const cfg = raw.config;
  // Keras 1 spelled the weight options W_ / b_ (W_regularizer, b_constraint…).
  for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_regularizer', 'pointwise_regularizer', 'beta_regularizer', 'gamma_regularizer', 'W_regularizer', 'b_regularizer']) {
    const v = get(cfg, key);
    if (v !== null && v !== undefined) r.note('warning', `Option ${key} is not supported and was ignored (CNN Studio trains without regularizers).`, raw.name);
  }
  for (const key of ['kernel_constraint', 'bias_constraint', 'depthwise_constraint', 'pointwise_constraint', 'beta_constraint', 'gamma_constraint', 'W_constraint', 'b_constraint']) {
    const v = get(cfg, key);
    if (v !== null && v !== undefined) r.note('warning', `Option ${key} is not supported and was ignored.`, raw.name);
  }
  const groups = get(cfg, 'groups');
  if (typeof groups === 'number' && groups !== 1) r.note('warning', `groups=${groups} is not supported; the convolution is imported as an ordinary one (groups=1), with more parameters.`, raw.name);
  const dil = get(cfg, 'dilation_rate');
  if (raw.className !== 'Conv2D' && raw.className !== 'Convolution2D' && dil !== undefined && pair(dil, [1, 1]).some((d) => d !== 1)) {
    r.note('warning', `dilation_rate is only supported on Conv2D; it was ignored on this ${raw.className}.`, raw.name);
  }
  const op = get(cfg, 'output_padding');
  if (op !== null && op !== undefined) r.note('warning', 'output_padding is not supported and was ignored; the output size follows the padding mode.', raw.name);
  const axis = get(cfg, 'axis');
  if (raw.className === 'BatchNormalization' || raw.className === 'LayerNormalization') {
    const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
    if (a !== undefined && a !== -1 && a !== 3) r.note('warning', `${raw.className} over axis ${JSON.stringify(axis)} is not supported; it normalises the channels (axis -1).`, raw.name);
  }
  // Keras 1's `init` is a name ("he_normal"); Keras 2 and 3 write an object.
  for (const key of ['kernel_initializer', 'depthwise_initializer', 'pointwise_initializer', 'init']) {
    const init = get(cfg, key);
    const initName = isObj(init) ? (isGlorotUniform(init) ? null : className(init)) : typeof init === 'string' && init !== 'glorot_uniform' ? init : null;
    if (initName) r.note('info', `${key} ${initName} is not kept: CNN Studio initialises with Glorot uniform (this only matters when training from scratch).`, raw.name);
  }
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
      return num(v, fallback as number);
    case 'float': {
      if (spec.nullable && v === null) return null;
      if (spec.kerasRange) return symmetricRange(v) ?? fallback;
      return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
    }
    case 'bool':
      return typeof v === 'boolean' ? v : fallback;
    case 'enum':
      if (spec.values === ACTIVATIONS) return activationOf(r, v, raw.name);
      if (spec.keras.values) {
        // Keras writes another value for it (PReLU's shared_axes [1, 2] is our 'spatial').
        const ours = Object.entries(spec.keras.values).find(([, kv]) => JSON.stringify(kv) === JSON.stringify(v ?? null))?.[0];
        if (ours !== undefined) return ours;
        if (v !== undefined) r.note('warning', `${spec.keras.name}=${JSON.stringify(v)} is not supported; '${String(fallback)}' is used.`, raw.name);
        return fallback;
      }
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
        p['activation'] = get(cfg, 'max_value') === 6 ? 'relu6' : 'relu';
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

/**
 * Keras' ReLU and Softmax layers in their plain forms are imported as the simplest equal layer: an
 * Activation (relu, relu6, softmax over the last axis) or a LeakyReLU; other forms as ReLU / Softmax.
 */
function plainActivationType(raw: RawLayer): string {
  const cfg = raw.config;
  if (raw.className === 'Softmax') {
    const axis = get(cfg, 'axis');
    return axis === undefined || axis === -1 || JSON.stringify(axis) === '[-1]' ? 'Activation' : 'Softmax';
  }
  const max = get(cfg, 'max_value') ?? null;
  const slope = num(get(cfg, 'negative_slope'), 0);
  const threshold = num(get(cfg, 'threshold'), 0);
  if (threshold !== 0) return 'ReLU';
  if (slope === 0 && (max === null || max === 6)) return 'Activation';
  if (slope !== 0 && max === null) return 'LeakyReLU';
  return 'ReLU';
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

/** How many numbers the manifest's weights hold (Keras' count_params: trainable and not). */
function manifestParamCount(manifest: unknown[] | null): number | null {
  if (!manifest) return null;
  let total = 0;
  for (const shape of weightShapesOf(manifest).values()) total += shape.reduce((a, d) => a * (typeof d === 'number' ? d : 0), 1);
  return total;
}

/** A per-channel list where CNN Studio's Rescaling has one number. */
function perChannelRescaling(cfg: Obj): string | null {
  for (const key of ['scale', 'offset']) {
    const v = get(cfg, key);
    if (v !== undefined && v !== null && typeof v !== 'number') return `a per-channel ${key} ${JSON.stringify(v)}, where CNN Studio's Rescaling has one number`;
  }
  return null;
}

/** [batch, 1, 1, channels] is a SpatialDropout2D (whole feature maps); any other noise shape drops something else. */
function nonSpatialNoiseShape(cfg: Obj): string | null {
  const ns = get(cfg, 'noise_shape');
  if (!Array.isArray(ns)) return null;
  const spatial = ns.length === 4 && ns[1] === 1 && ns[2] === 1 && (ns[3] === null || (typeof ns[3] === 'number' && ns[3] > 1));
  return spatial ? null : `noise_shape ${JSON.stringify(ns)}, where only [None, 1, 1, channels] (a SpatialDropout2D) can be kept`;
}

/** A Keras range written as a number f (the range [−|f|, |f|]) or a pair [−a, a]: a; null for any other value. */
function symmetricRange(v: Json): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.abs(v);
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && v[0] === -v[1]) return Math.abs(v[1]);
  return null;
}

/** Params the catalogue marks as kept exactly or refused: an asymmetric range, an option value we lack. */
function inexactParams(spec: LayerSpec | undefined, cfg: Obj): string | null {
  for (const param of Object.values(spec?.params ?? {})) {
    const v = kerasValue(cfg, param.keras);
    if (v === undefined || v === null) continue;
    if (param.kind === 'float' && param.kerasRange && symmetricRange(v) === null) {
      return `${param.keras.name} ${JSON.stringify(v)}, where CNN Studio draws from a range symmetric about 0 (±${param.keras.name})`;
    }
    if (param.kind === 'enum' && param.strict && !(typeof v === 'string' && param.values.includes(v))) {
      return `${param.keras.name} ${JSON.stringify(v)}, which CNN Studio's ${spec!.type} does not have (${param.values.join(', ')})`;
    }
  }
  return null;
}

/**
 * Keras classes we have, in configurations we do not: why such a layer cannot be kept exactly. Kept
 * exactly or refused by name: nothing changes silently.
 */
const INEXACT: ReadonlyMap<string, (cfg: Obj) => string | null> = new Map([
  ['Rescaling', perChannelRescaling],
  ['Dropout', nonSpatialNoiseShape],
]);

/** channels_first layers (Keras 2/3 `data_format`, Keras 1 `dim_ordering: "th"`). */
function isChannelsFirst(cfg: Obj): boolean {
  return get(cfg, 'data_format') === 'channels_first' || get(cfg, 'dim_ordering') === 'th';
}

function refuseChannelsFirst(raws: readonly RawLayer[]): void {
  const names = raws.filter((raw) => isChannelsFirst(raw.config)).map((raw) => `'${raw.name}'`);
  if (names.length === 0) return;
  throw new KerasImportError(
    `The model is channels_first (data_format='channels_first' on ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}): its tensors are [channels, height, width], and CNN Studio's are [height, width, channels]. ` +
      "Converting would reorder every Reshape, Flatten and the weights after them, so it is not done. In Keras, rebuild the model with data_format='channels_last' (the default), load the weights, save it and import again.",
  );
}

/** Turns a parsed Keras/TF.js JSON document into a model file and a report. */
export function importKerasModel(json: Json, name?: string, options: KerasImportOptions = {}): KerasImportResult {
  const { config: top, source, weightsManifest } = locateModelConfig(decodedOnceMore(json));
  const cls = className(top);
  if (!isModelClass(cls)) {
    throw new KerasImportError(`Expected a Sequential or Functional model, found ${cls ? `class '${cls}'` : 'no class_name'}. Export the whole model with model.to_json() (or save it with TF.js' model.save).`);
  }
  const r = new Reader();
  const raws: RawLayer[] = [];
  const modelCfg = configOf(top);
  const { outputs } = flattenModel(r, cls, modelCfg, [], null, raws, new Set());
  refuseChannelsFirst(raws);

  // Layers without a faithful equivalent stop the import, listed; with `bridge` they become pass-throughs.
  const unsupported: UnsupportedLayer[] = [];
  const types = new Map<string, string>();
  const fileLayers = raws.filter((raw) => !raw.synthetic);
  fileLayers.forEach((raw, k) => {
    let type = layerSpecForKerasClass(raw.className)?.type;
    if (raw.className === 'ReLU' || raw.className === 'Softmax') type = plainActivationType(raw);
    if (type === 'Dropout' && Array.isArray(get(raw.config, 'noise_shape'))) type = 'SpatialDropout2D';
    const reason = type ? (INEXACT.get(raw.className)?.(raw.config) ?? inexactParams(getLayerSpec(type), raw.config)) : null;
    if (!type || reason) unsupported.push({ name: raw.name, className: raw.className, position: k + 1, ...(reason ? { reason } : {}) });
    else types.set(raw.name, type);
  });
  for (const raw of raws) if (raw.synthetic) types.set(raw.name, 'Input');
  if (unsupported.length > 0 && !options.bridge) throw new UnsupportedLayersError(unsupported, fileLayers.length);

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
    const type = types.get(raw.name);
    if (!type) {
      const fedBy = raw.inputs.map(resolve).filter((x): x is string => x !== null);
      replacement.set(raw.name, fedBy[0] ?? null);
      const what = fedBy.length === 0 ? 'It had no input, so nothing replaces it.' : `Layers reading it now read '${fedBy[0]}' instead${fedBy.length > 1 ? ` (its other inputs ${fedBy.slice(1).map((f) => `'${f}'`).join(', ')} are no longer used there)` : ''}; shapes after it may change.`;
      const reason = unsupported.find((u) => u.name === raw.name)?.reason;
      const why = reason ? `cannot be kept exactly (${reason}); it` : 'is not supported by CNN Studio and';
      r.note('warning', `${raw.className} ${why} was removed (replaced by a pass-through, --bridge). ${what}`, raw.name, 'layer replaced by a pass-through');
      continue;
    }
    // tfjs-layers 4.x forgets depth_multiplier when it saves a SeparableConv2D; the weights still tell it.
    if (type === 'SeparableConv2D' && get(raw.config, 'depth_multiplier') === undefined) {
      const shape = weightShapes.get(`${raw.name}/depthwise_kernel`);
      if (shape && shape.length === 4 && shape[3] !== 1) {
        raw.config = { ...raw.config, depth_multiplier: shape[3]! };
        r.note('info', `depth_multiplier ${shape[3]} was read from the weight shapes (TF.js does not save it).`, raw.name);
      }
    }
    raw.config = withKeras1KernelSize(raw.config);
    reportUnsupportedOptions(r, raw);
    const params = paramsFor(r, getLayerSpec(type)!, raw);
    const inputs = raw.inputs.map(resolve).filter((x): x is string => x !== null);
    // A frozen layer stays frozen (`base_model.trainable = False` freezes every layer of the base).
    const frozen = type !== 'Input' && get(raw.config, 'trainable') === false;
    nodes.push({ id: raw.name, type, ...(frozen ? { trainable: false as const } : {}), params, inputs: type === 'Input' ? [] : inputs });
  }
  const layerIds = renameInvalidIds(r, nodes);
  const outputIds = outputs.map(resolve).filter((x): x is string => x !== null).map((n) => layerIds.get(n) ?? n);
  if (outputIds.length > 1) r.note('warning', `The model has ${outputIds.length} outputs (${outputIds.join(', ')}); CNN Studio trains models with one output.`);
  if (nodes.filter((n) => n.type === 'Input').length === 0) throw new KerasImportError('The model has no input layer after import. Save the Keras model with an Input layer and import again.');

  const modelName = name ?? (typeof modelCfg['name'] === 'string' && modelCfg['name'] !== '' ? modelCfg['name'] : (options.fallbackName ?? 'imported'));
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: modelName,
    description: `Imported from a Keras ${cls} model.`,
    nodes,
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
  };
  model.compile = compileFor((severity, message, kind) => r.note(severity, message, undefined, kind), json, model);
  assertPassesSchema(model);
  const kerasPaths = new Map(raws.flatMap((raw) => (raw.path ? [[layerIds.get(raw.name) ?? raw.name, raw.path] as const] : [])));
  return { model, notes: r.notes, source, weightsManifest, layerIds, kerasPaths, bridged: options.bridge ? unsupported : [], fileParams: manifestParamCount(weightsManifest), modelClass: cls, topology: top };
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

/** Parses the text (a JSON string holding the model JSON is decoded once more), then imports. */
export function importKerasText(text: string, name?: string, options: KerasImportOptions = {}): KerasImportResult {
  return importKerasModel(decodeKerasText(text), name, options);
}
