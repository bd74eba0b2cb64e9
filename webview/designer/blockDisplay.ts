/**
 * What the canvas draws when blocks are collapsed: the display graph, where each collapsed block is one
 * pseudo-node (id `group:<first member>`) whose inputs are the block's inputs from outside and whose
 * readers read it in place of its members. Edges inside a block disappear with it; edges into and out
 * of it are kept (once per pair). View only: the model is untouched.
 */
import type { NodeAnalysis } from '../../src/core/analysis';
import type { Diagnostic } from '../../src/core/diagnostics';
import type { ModelNode } from '../../src/core/format';
import { ModelGraph } from '../../src/core/graph';
import { blockTypeSummary, type LayerBlock } from '../../src/core/layerBlocks';
import { edgeKey } from './graph';

/** The pseudo-node type of a collapsed block in the display graph (not a catalogue type). */
export const GROUP_NODE_TYPE = 'Group';

export interface GroupCardInfo {
  readonly block: LayerBlock;
  /** `DepthwiseConv·BN·ReLU·…` */
  readonly summary: string;
  readonly params: number;
  /** The last member's output (what the block hands on). */
  readonly outputShape: NodeAnalysis['outputShape'] | null;
  /** The members' problems (shown on the card as one badge). */
  readonly problems: readonly Diagnostic[];
}

export interface BlockDisplay {
  /** Every block found, in order. */
  readonly blocks: readonly LayerBlock[];
  /** The collapsed ones, by id. */
  readonly collapsed: ReadonlyMap<string, GroupCardInfo>;
  /** A hidden layer → the id of the collapsed block it is drawn in. */
  readonly hiddenIn: ReadonlyMap<string, string>;
  /** Expanded blocks get a frame around their layers (when the user works with blocks). */
  readonly framed: readonly LayerBlock[];
  /** Layers and group cards, edges remapped. */
  readonly graph: ModelGraph;
  /** Display edge → the real layer whose output it carries (for its shape label). */
  readonly edgeSource: ReadonlyMap<string, string>;
}

export function buildBlockDisplay(
  graph: ModelGraph,
  blocks: readonly LayerBlock[],
  collapsedIds: ReadonlySet<string>,
  showFrames: boolean,
  nodeAnalysis: ReadonlyMap<string, NodeAnalysis>,
  problems: ReadonlyMap<string, readonly Diagnostic[]>,
): BlockDisplay {
  const hiddenIn = new Map<string, string>();
  const collapsed = new Map<string, GroupCardInfo>();
  for (const block of blocks) {
    if (!collapsedIds.has(block.id)) continue;
    for (const id of block.members) hiddenIn.set(id, block.id);
    const last = block.members[block.members.length - 1]!;
    collapsed.set(block.id, {
      block,
      summary: blockTypeSummary(block, graph),
      params: block.members.reduce((sum, id) => sum + (nodeAnalysis.get(id)?.params ?? 0), 0),
      outputShape: nodeAnalysis.get(last)?.outputShape ?? null,
      problems: block.members.flatMap((id) => problems.get(id) ?? []),
    });
  }
  const shown = (id: string): string => hiddenIn.get(id) ?? id;
  const edgeSource = new Map<string, string>();
  const nodes: ModelNode[] = [];
  const groupInputs = new Map<string, string[]>();
  for (const node of graph.byId.values()) {
    const group = hiddenIn.get(node.id);
    const inputs: string[] = [];
    for (const input of graph.inputsOf(node.id)) {
      const from = shown(input);
      if (from === (group ?? node.id)) continue; // inside the block
      const target = group ? (groupInputs.get(group) ?? []) : inputs;
      if (!target.includes(from)) target.push(from);
      if (group) groupInputs.set(group, target);
      if (!edgeSource.has(edgeKey(from, group ?? node.id))) edgeSource.set(edgeKey(from, group ?? node.id), input);
    }
    if (group) {
      // The card takes the place of the block's first layer in the file order.
      if (node.id === collapsed.get(group)!.block.members[0]) nodes.push({ id: group, type: GROUP_NODE_TYPE, params: {}, inputs: [] });
    } else nodes.push({ ...node, inputs });
  }
  const withInputs = nodes.map((n) => (collapsed.has(n.id) ? { ...n, inputs: groupInputs.get(n.id) ?? [] } : n));
  return {
    blocks,
    collapsed,
    hiddenIn,
    framed: showFrames ? blocks.filter((b) => !collapsed.has(b.id)) : [],
    graph: new ModelGraph(withInputs),
    edgeSource,
  };
}
