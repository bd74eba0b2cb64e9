/**
 * Repeated blocks of a model: runs of consecutive layers that belong together, so a 100-layer network
 * can be shown as a few dozen cards that expand (the designer's "Collapse blocks").
 *
 * Two sources, tried in this order:
 * - names: imported Keras models keep Keras' layer names as ids, and those name their block:
 *   `block_3_expand` / `block_3_depthwise_BN` (MobileNetV2), `conv_dw_5` / `conv_pw_5_bn` (MobileNet),
 *   `conv2_block1_1_conv` / `conv2_block1_add` (ResNet50), `res2a_branch2a` / `bn2a_branch2a` (old
 *   ResNet), `block1_conv1` (VGG), `block1a_dwconv` (EfficientNet). The block is the first counter
 *   token of the id (a token with a digit; `conv2d`-like type tokens are not counters).
 * - repeats: for the layers no name grouped (hand-made models), the same sequence of layer types
 *   repeated back to back (Conv2D·BatchNorm·ReLU·MaxPool, three times) makes one block per repeat.
 *
 * A block is always a run of consecutive layers in the graph's topological order, so it is convex: no
 * path leaves a block and comes back into it, and collapsing it into one card never makes a cycle.
 * Pure: no DOM; the designer decides what is collapsed.
 */
import { getLayerSpec } from './catalogue';
import type { ModelGraph } from './graph';

export interface LayerBlock {
  /** Stable while the block's first layer keeps its id: `group:<first member id>` (`:` is never in a layer id). */
  readonly id: string;
  /** What the card is titled: the shared name (`block_3`, `conv_*_5`, `conv2_block1`) or `Block 2 of 3`. */
  readonly name: string;
  /** Member ids in topological order. */
  readonly members: readonly string[];
  /** How the block was found. */
  readonly source: 'names' | 'repeats';
}

/** A block needs at least this many layers (one layer is not worth a card of its own). */
export const MIN_BLOCK_LAYERS = 2;
/** The longest type sequence looked for as a repeat. */
const MAX_REPEAT_PERIOD = 8;

export const GROUP_ID_PREFIX = 'group:';
/** At most this many unnamed layers in a row are taken into a named block (Keras puts one or two between). */
const MAX_FILLER_RUN = 3;

/** Type-like tokens that hold a digit but count nothing: conv2d, pooling2d, conv1d, 3d. */
const TYPE_TOKEN = /^[a-z]*[123]d$/;

interface NameKey {
  /** Equal keys mean "same block". */
  readonly key: string;
  /** The id's tokens up to and including the counter (`block_3`, `conv_dw_5`, `conv2_block1`). */
  readonly head: readonly string[];
  /** The tokens before the counter. */
  readonly stem: readonly string[];
}

/** The block an id names, if it names one. */
export function blockNameKey(id: string): NameKey | null {
  const tokens = id.split(/[_.-]+/).filter(Boolean);
  const lower = tokens.map((t) => t.toLowerCase());
  const isCounter = (t: string | undefined): boolean => t !== undefined && /\d/.test(t) && !TYPE_TOKEN.test(t);
  const i = lower.findIndex((t) => isCounter(t));
  if (i < 0) return null;
  const counter = lower[i]!;
  if (/^\d+$/.test(counter)) {
    // conv_dw_5 and conv_pw_5 are one block: the stem's first token and the number.
    return { key: `${lower[0] === counter ? '' : lower[0]}#${counter}`, head: tokens.slice(0, i + 1), stem: tokens.slice(0, i) };
  }
  // A counter with letters (res2a, bn2a, conv2, block1a): the letters before the digits name the kind of
  // layer (res, bn), not the block. A `blockN` token right after (ResNet50's and DenseNet's conv2_block1) is the block inside the stage.
  const core = (t: string): string => t.replace(/^[a-z]+/, '');
  const next = lower[i + 1];
  const nested = next !== undefined && /^block\d/.test(next);
  return { key: `#${core(counter)}${nested ? `/${core(next)}` : ''}`, head: tokens.slice(0, i + (nested ? 2 : 1)), stem: tokens.slice(0, i) };
}

/** The blocks of a model, in topological order; a layer is in at most one block. */
export function detectLayerBlocks(graph: ModelGraph): LayerBlock[] {
  const order = graph.topologicalOrder().order;
  const named = nameBlocks(order);
  const taken = new Set(named.flatMap((b) => b.members));
  const repeats: LayerBlock[] = [];
  // The repeats are looked for in each stretch of consecutive layers that no name grouped.
  let run: string[] = [];
  const flush = (): void => {
    repeats.push(...repeatBlocks(run, graph));
    run = [];
  };
  for (const id of order) {
    if (taken.has(id)) flush();
    else run.push(id);
  }
  flush();
  const position = new Map(order.map((id, i) => [id, i]));
  return [...named, ...repeats].sort((a, b) => position.get(a.members[0]!)! - position.get(b.members[0]!)!);
}

function nameBlocks(order: readonly string[]): LayerBlock[] {
  const keys = order.map((id) => blockNameKey(id));
  const blocks: LayerBlock[] = [];
  let i = 0;
  while (i < order.length) {
    const key = keys[i]?.key;
    if (key === undefined) {
      i++;
      continue;
    }
    // The run goes on through layers with the same key, and takes in a stretch of Keras' automatic names
    // (`activation_4`, `add_1`) only when the same key comes again right after it. A layer named without
    // a counter (`flatten`) ends the run.
    let end = i + 1;
    let last = i;
    while (end < order.length && end - last <= MAX_FILLER_RUN) {
      const k = keys[end]?.key;
      if (k === key) last = end;
      else if (k === undefined || !isUnnamedFiller(order[end]!, keys[end]!)) break;
      end++;
    }
    const members = order.slice(i, last + 1);
    if (members.length >= MIN_BLOCK_LAYERS) {
      blocks.push({ id: GROUP_ID_PREFIX + members[0], name: blockName(members), members, source: 'names' });
    }
    i = last + 1;
  }
  return blocks;
}

/** Keras' automatic names (`activation_4`, `add_1`, `re_lu_3`): a type and a counter, naming no block. */
function isUnnamedFiller(id: string, key: NameKey): boolean {
  return /^\d+$/.test(id.split(/[_.-]+/).pop() ?? '') && key.head.length === id.split(/[_.-]+/).length && /^(activation|add|re_lu|relu|concatenate|multiply|dropout|zero_padding2d|batch_normalization)$/i.test(key.stem.join('_'));
}

/** The members' shared name: `block_3`, or `conv_*_5` when they differ in a middle token, else the first's head. */
function blockName(members: readonly string[]): string {
  const heads = members.map((id) => blockNameKey(id)).filter((k): k is NameKey => k !== null);
  const first = heads[0]!.head.join('_');
  if (heads.every((h) => h.head.join('_').toLowerCase() === first.toLowerCase())) return first;
  const stems = new Set(heads.map((h) => h.stem[0]?.toLowerCase()));
  const counter = heads[0]!.head[heads[0]!.head.length - 1]!;
  if (stems.size === 1 && heads[0]!.stem.length > 0 && /^\d+$/.test(counter)) return `${heads[0]!.stem[0]}_*_${counter}`;
  return `${first}…`;
}

/** Back-to-back repeats of one type sequence in a stretch of layers: one block per repeat. */
function repeatBlocks(run: readonly string[], graph: ModelGraph): LayerBlock[] {
  const types = run.map((id) => graph.byId.get(id)?.type ?? '');
  const blocks: LayerBlock[] = [];
  let i = 0;
  while (i < run.length) {
    let best = { period: 0, count: 0 };
    for (let p = MIN_BLOCK_LAYERS; p <= MAX_REPEAT_PERIOD && i + 2 * p <= run.length; p++) {
      let count = 1;
      while (i + (count + 1) * p <= run.length && sameTypes(types, i, i + count * p, p)) count++;
      // The most layers covered wins; on a tie, the shorter sequence (Conv·ReLU ×4 over (Conv·ReLU)² ×2).
      if (count >= 2 && p * count > best.period * best.count) best = { period: p, count };
    }
    if (best.count < 2 || types[i] === 'Input') {
      i++;
      continue;
    }
    for (let k = 0; k < best.count; k++) {
      const members = run.slice(i + k * best.period, i + (k + 1) * best.period);
      blocks.push({ id: GROUP_ID_PREFIX + members[0], name: `Block ${k + 1} of ${best.count}`, members, source: 'repeats' });
    }
    i += best.period * best.count;
  }
  return blocks;
}

function sameTypes(types: readonly string[], a: number, b: number, length: number): boolean {
  for (let j = 0; j < length; j++) if (types[a + j] !== types[b + j]) return false;
  return true;
}

/** The block's type sequence as the card shows it: `DepthwiseConv·BN·ReLU·Conv2D·BN·ReLU`. */
export function blockTypeSummary(block: LayerBlock, graph: ModelGraph): string {
  return block.members
    .map((id) => {
      const node = graph.byId.get(id);
      if (!node) return '?';
      // An Activation layer reads as its function (ReLU, Softmax): that is what Keras' names say too.
      if (node.type === 'Activation' && typeof node.params.activation === 'string') return activationName(node.params.activation);
      return SUMMARY_NAMES[node.type] ?? getLayerSpec(node.type)?.shortName ?? node.type;
    })
    .join('·');
}

/** The normalisations come after nearly every convolution: their usual abbreviations keep the line short. */
const SUMMARY_NAMES: Readonly<Record<string, string>> = { BatchNormalization: 'BN', LayerNormalization: 'LN' };

function activationName(a: string): string {
  const known: Record<string, string> = { relu: 'ReLU', relu6: 'ReLU6', softmax: 'Softmax', sigmoid: 'Sigmoid', tanh: 'Tanh', swish: 'Swish', gelu: 'GELU', elu: 'ELU', selu: 'SELU' };
  return known[a] ?? a;
}
