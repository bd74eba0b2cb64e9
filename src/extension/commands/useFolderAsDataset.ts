/**
 * "Use Folder as Dataset" (explorer context menu on a folder, and the side bar's "Choose Folder…"):
 * points a model's `dataset` at an image folder (one sub-folder per class). Image size and colour mode
 * come from the model's Input layer, so the data fits the network as designed. One undo step.
 */
import * as vscode from 'vscode';
import { parseModelText } from '../../core/loader';
import type { DatasetReference } from '../../core/format';
import { imageFolderDatasetFor } from '../../core/datasetFolder';
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

export async function useFolderAsDataset(folderArg: unknown, modelArg: unknown, designers: DesignerEditorProvider): Promise<DatasetReference | undefined> {
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
  void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(modelUri)} now trains on ${dataset.path} (${dataset.imageSize.join('×')}, ${dataset.colorMode}). Save the model to keep it.`);
  return dataset;
}
