/**
 * "Use Folder as Dataset" (explorer context menu on a folder, and the side bar's "Choose Folder…"):
 * points a model's `dataset` at an image folder (one sub-folder per class). Image size and colour mode
 * come from the model's Input layer, so the data fits the network as designed. One undo step.
 */
import * as vscode from 'vscode';
import { parseModelText } from '../../core/loader';
import type { DatasetReference } from '../../core/format';
import { imageFolderDatasetFor, imageShapeText, setInputToDataEdit } from '../../core/datasetFolder';
import { inputShapeOf } from '../../core/modelFacts';
import type { DatasetDescription, ImageShape } from '../../protocol/engine';
import type { DescribeDataset } from '../sidebar/datasetSummary';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { applyModelEditToDocument } from '../model/documentEdit';
import { modelUriOfArg, resolveOrPickModelUri } from '../model/modelResolver';
import { UserFacingError } from '../userFacingError';

/** Sets the dataset of a model document to `folder`. Returns the new dataset entry. */
export async function setDatasetFolder(document: vscode.TextDocument, folder: vscode.Uri): Promise<DatasetReference> {
  const { model } = parseModelText(document.getText());
  if (!model) throw new UserFacingError('The model has problems that stop it from loading: fix them (see the Problems panel), then choose the dataset again.');
  const dataset = imageFolderDatasetFor(model, document.uri.path, folder.path);
  await applyModelEditToDocument(document, { kind: 'setDataset', dataset });
  return dataset;
}

export async function useFolderAsDataset(folderArg: unknown, modelArg: unknown, designers: DesignerEditorProvider, describe?: DescribeDataset): Promise<DatasetReference | undefined> {
  let folder = folderArg instanceof vscode.Uri ? folderArg : undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use as Dataset', title: 'Image folder with one sub-folder per class' });
    folder = picked?.[0];
    if (!folder) return undefined;
  }
  const modelUri = modelUriOfArg(modelArg) ?? (await resolveOrPickModelUri(undefined, designers, 'Which model should train on this folder?'));
  if (!modelUri) return undefined;
  const document = await vscode.workspace.openTextDocument(modelUri);
  const dataset = await setDatasetFolder(document, folder);
  void reportDatasetChoice(document, dataset, describe).catch((err: unknown) => void vscode.window.showWarningMessage(err instanceof Error ? err.message : String(err)));
  return dataset;
}

/**
 * Says what the chosen folder holds (the engine looks: classes, images, their size and colour) and,
 * when that differs from the model's input, offers to set the Input to the data instead of converting
 * every image silently. Offers Save only while the model has unsaved changes.
 */
export async function reportDatasetChoice(document: vscode.TextDocument, dataset: DatasetReference, describe: DescribeDataset | undefined): Promise<void> {
  const name = vscode.workspace.asRelativePath(document.uri);
  const { model } = parseModelText(document.getText());
  const input = model?.nodes.find((n) => n.type === 'Input');
  const shape = input ? inputShapeOf(input) : undefined;
  const inputShape: ImageShape | null = shape && shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : null;
  let text = `${name} now trains on ${dataset.path}; its images are resized to ${imageShapeText(dataset.imageSize[0], dataset.imageSize[1], dataset.colorMode === 'grayscale' ? 1 : 3)}, the model's input.`;
  let setInput: { label: string; shape: ImageShape } | null = null;
  if (describe && model) {
    let d: DatasetDescription;
    try {
      d = await describe({ modelPath: document.uri.fsPath, dataset, inputShape, validationSplit: model.training.validationSplit, samplesPerClass: 1 });
    } catch (err) {
      void vscode.window.showWarningMessage(`${name} now trains on ${dataset.path}, but the folder cannot be used as it is: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const total = d.classes.reduce((n, c) => n + c.count, 0);
    const found = `${d.classes.length} classes, ${total.toLocaleString('en-US')} images of ${imageShapeText(d.found.height, d.found.width, d.found.channels)}`;
    if (d.fitsInput || !inputShape) {
      text = `${name} now trains on ${dataset.path}: ${found}, as the model's input takes them.`;
    } else {
      const target: ImageShape = [d.found.height, d.found.width, d.found.channels === 1 ? 1 : 3];
      text = `${name} now trains on ${dataset.path}: ${found}. The model's input is ${imageShapeText(...inputShape)}, so training would convert every image.`;
      setInput = { label: `Set the Input to ${target.join('×')}`, shape: target };
    }
  }
  const actions = [...(setInput ? [setInput.label] : []), ...(document.isDirty ? ['Save'] : [])];
  const choice = await vscode.window.showInformationMessage(text, ...actions);
  if (choice === 'Save') {
    await document.save();
  } else if (setInput && choice === setInput.label) {
    const current = parseModelText(document.getText()).model;
    const edit = current ? setInputToDataEdit(current, setInput.shape) : null;
    if (edit) await applyModelEditToDocument(document, edit);
  }
}

