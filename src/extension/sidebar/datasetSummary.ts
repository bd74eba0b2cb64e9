/**
 * The side bar's dataset panel, host side: asks the engine what the active model's dataset holds
 * (`describeDataset`, cached there) whenever the dataset section, the Input shape, the split or the
 * augmentation change, and posts the answer apart from the side bar's state. An answer about a dataset
 * the model no longer names is never posted.
 */
import * as vscode from 'vscode';
import type { ModelFile } from '../../core/format';
import { inputShapeOf } from '../../core/modelFacts';
import type { DatasetDescription, DescribeDatasetParams, ImageShape } from '../../protocol/engine';
import { sidebarDatasetKey, type SidebarDatasetInfo, type SidebarDatasetMessage } from '../../protocol/sidebar';

/** The engine's `describeDataset` (the training feature provides it; trusted folders only). */
export type DescribeDataset = (params: DescribeDatasetParams) => Promise<DatasetDescription>;

function inputShapeOfModel(model: ModelFile): ImageShape | null {
  const input = model.nodes.find((n) => n.type === 'Input');
  const shape = input ? inputShapeOf(input) : undefined;
  return shape && shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : null;
}

export class SidebarDatasetSummary {
  private describe: DescribeDataset | undefined;
  /** The key of the last answer posted or asked for, per document. */
  private lastKey = new Map<string, string>();
  private lastMessage = new Map<string, SidebarDatasetMessage>();

  constructor(private readonly post: (message: SidebarDatasetMessage) => void) {}

  /** The engine's describer, when training is available (trusted folders). */
  get describer(): DescribeDataset | undefined {
    return this.describe;
  }

  setDescriber(describe: DescribeDataset | undefined): void {
    this.describe = describe;
    this.lastKey.clear();
  }

  /** The message last posted for a document (tests read it). */
  last(documentUri: string): SidebarDatasetMessage | undefined {
    return this.lastMessage.get(documentUri);
  }

  /** Called with every state the side bar posts; asks the engine only when what it depends on changed. */
  update(documentUri: vscode.Uri, model: ModelFile, force = false): void {
    const dataset = model.dataset;
    if (!dataset) return;
    const uri = documentUri.toString();
    const inputShape = inputShapeOfModel(model);
    const key = sidebarDatasetKey(dataset, inputShape, model.training.validationSplit, model.training.augmentation);
    const send = (info: SidebarDatasetInfo) => {
      if (this.lastKey.get(uri) !== key) return; // the model changed meanwhile: a newer answer is coming
      const message: SidebarDatasetMessage = { type: 'dataset', documentUri: uri, datasetKey: key, info };
      this.lastMessage.set(uri, message);
      this.post(message);
    };
    if (!force && this.lastKey.get(uri) === key) {
      const known = this.lastMessage.get(uri);
      if (known?.datasetKey === key) this.post(known); // a re-rendered page needs it again
      return;
    }
    this.lastKey.set(uri, key);
    if (!vscode.workspace.isTrusted || !this.describe) {
      send({ status: 'unavailable', message: 'Trust this folder to see what the dataset holds (classes, image counts, sample images).' });
      return;
    }
    send({ status: 'loading' });
    this.describe({ modelPath: documentUri.fsPath, dataset, inputShape, validationSplit: model.training.validationSplit, augmentation: model.training.augmentation, samplesPerClass: 6 }).then(
      (description) => send({ status: 'ready', description }),
      (err: unknown) => send({ status: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  }
}
