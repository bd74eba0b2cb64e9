/**
 * Which data "Evaluate Run" measures: the run's validation split, or a held-out test set the user
 * picks (an image folder, MNIST `t10k-*` files, CIFAR-10's `test_batch.bin`, a CSV). The choice is
 * remembered per model (workspace state), so the next evaluation offers the same test set first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';

/** `testPath` undefined = the validation split; `null` = the user cancelled. */
export type EvaluationDataChoice = { readonly testPath?: string } | null;

const VALIDATION = 'validation';

function stateKey(runDir: string): string {
  // Runs live in .cnn-studio/runs/<model name>/<run id>: the model name keys the choice.
  return `cnnStudio.evaluateOn:${basename(dirname(runDir))}`;
}

function validationPercent(runDir: string): string {
  try {
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as { validationSplit?: number };
    return typeof config.validationSplit === 'number' ? `${Math.round(config.validationSplit * 100)}% of the training data, held out` : 'held out from the training data';
  } catch {
    return 'held out from the training data';
  }
}

type Item = vscode.QuickPickItem & { readonly choice: 'validation' | 'remembered' | 'pick' };

export async function chooseEvaluationData(runDir: string, state: vscode.Memento, testArg?: unknown): Promise<EvaluationDataChoice> {
  const given = testArg instanceof vscode.Uri ? testArg.fsPath : typeof testArg === 'string' && testArg ? testArg : undefined;
  if (given) {
    await state.update(stateKey(runDir), given);
    return { testPath: given };
  }
  const last = state.get<string>(stateKey(runDir));
  const remembered = last && last !== VALIDATION && existsSync(last) ? last : undefined;
  const items: Item[] = [
    { label: '$(split-horizontal) Validation split', description: validationPercent(runDir), choice: 'validation' },
    ...(remembered ? [{ label: `$(beaker) Test set: ${vscode.workspace.asRelativePath(remembered)}`, description: 'used last time', choice: 'remembered' as const }] : []),
    { label: '$(folder-opened) Test set…', description: 'an image folder, t10k IDX files, test_batch.bin or a CSV, never trained on', choice: 'pick' },
  ];
  const picker = vscode.window.createQuickPick<Item>();
  picker.items = items;
  picker.title = 'Evaluate on which data?';
  picker.placeholder = 'The validation split, or a held-out test set';
  const preferred = remembered ? items[1] : last === VALIDATION ? items[0] : undefined;
  if (preferred) picker.activeItems = [preferred];
  const picked = await new Promise<Item | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]));
    picker.onDidHide(() => resolve(undefined));
    picker.show();
  });
  picker.dispose();
  if (!picked) return null;
  if (picked.choice === 'validation') {
    await state.update(stateKey(runDir), VALIDATION);
    return {};
  }
  let testPath = remembered;
  if (picked.choice === 'pick') {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Evaluate on this test set',
      title: 'A held-out test set: an image folder, t10k IDX files, test_batch.bin or a CSV',
      defaultUri: remembered ? vscode.Uri.file(dirname(remembered)) : vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    testPath = chosen?.[0]?.fsPath;
  }
  if (!testPath) return null;
  await state.update(stateKey(runDir), testPath);
  return { testPath };
}
