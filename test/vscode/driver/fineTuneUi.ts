/**
 * UI test of freeze and fine-tune in the real workbench. Set-up with the CLI (as a user who trained a
 * base before): a "stripes" dataset, a base model trained on it for one epoch (its run has weights), and
 * `tuned.cnn.json`, the same network with a new head ('head' instead of 'output').
 * Then in VS Code: open tuned.cnn.json in the designer → tick "Frozen" on conv1 and conv2 in the
 * inspector → palette "CNN Studio: Fine-tune from Run…" → pick the base's run → training starts, the
 * notification says what was loaded and what starts fresh, its "Show Report" opens the output log with
 * the report → the run finishes; its run.json lists conv1 and conv2 as loaded and 'head' as fresh, its
 * model snapshot has both layers frozen, and their weights are bit-identical to the base run's.
 *
 *   node --import tsx test/vscode/driver/fineTuneUi.ts <baseUrl> <workspaceFolder> <outDir>
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { applyModelEdit } from '../../../src/core/applyModelEdit';
import { parseModelText, serializeModel } from '../../../src/core/loader';
import { readCheckpointWeights } from '../../../src/engine/runs/checkpoints';
import { initCheckpointOf } from '../../../src/engine/runs/initFromRun';
import { listRuns } from '../../../src/engine/runs/runStore';
import { driveWorkbench, runFromPalette, stopwatch, until, webviewFrame } from './browser';

const [baseUrl, workspace, outDir] = process.argv.slice(2) as [string, string, string];
const log = stopwatch();

async function cli(...argv: string[]): Promise<void> {
  let err = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => void (err += t), isTty: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  if (code !== 0) throw new Error(`cnn-studio ${argv.join(' ')} failed (${code}): ${err}`);
}

async function setUp(): Promise<string> {
  mkdirSync(workspace, { recursive: true });
  await cli('make-dataset', 'stripes', join(workspace, 'data', 'stripes'), '--per-class', '20', '--size', '28', '--seed', '5');
  const base = join(workspace, 'base.cnn.json');
  await cli('new', 'mnist-small', base, '--data', join(workspace, 'data', 'stripes'));
  await cli('train', base, '--epochs', '1', '--batch-size', '16', '--backend', 'wasm');
  const baseRun = listRuns(workspace).find((r) => r.record.modelName === parseModelText(readFileSync(base, 'utf8')).model!.name);
  if (!baseRun) throw new Error('the base run was not written');
  let tuned = parseModelText(readFileSync(base, 'utf8')).model!;
  tuned = applyModelEdit({ ...tuned, name: 'tuned', training: { ...tuned.training, epochs: 2 } }, { kind: 'renameNode', id: 'output', newId: 'head' });
  writeFileSync(join(workspace, 'tuned.cnn.json'), serializeModel(tuned));
  return baseRun.runDir;
}

/** Selects a layer in the designer and ticks its "Frozen" box. */
async function freeze(designer: Frame, id: string): Promise<void> {
  await designer.locator(`g.node[data-id="${id}"]`).click();
  await designer.locator('.inspector vscode-checkbox[data-field="trainable"]').click();
  await designer.locator(`g.node.frozen[data-id="${id}"]`).waitFor({ timeout: 15_000 });
}

/**
 * The frozen layers' weights must not move: each tensor of `layers` in the run's last checkpoint is
 * byte for byte the one the fine-tune started from (the base run's best checkpoint).
 */
function assertFrozenUnchanged(baseRun: string, tunedRun: string, layers: readonly string[]): string[] {
  const before = readCheckpointWeights(tf, initCheckpointOf(baseRun).dir);
  const after = readCheckpointWeights(tf, join(tunedRun, 'last'));
  try {
    const names = Object.keys(before).filter((n) => layers.some((l) => n.startsWith(`${l}/`))).sort();
    if (names.length !== layers.length * 2) throw new Error(`expected a kernel and a bias for each of ${layers.join(', ')} in the base run, found [${names.join(', ')}]`);
    for (const name of names) {
      const a = after[name];
      if (!a) throw new Error(`the fine-tuned run has no '${name}'`);
      if (!Buffer.from(a.dataSync().buffer).equals(Buffer.from(before[name]!.dataSync().buffer))) throw new Error(`the frozen '${name}' changed during fine-tuning`);
    }
    return names;
  } finally {
    tf.dispose([...Object.values(before), ...Object.values(after)]);
  }
}

async function openInDesigner(page: Page, file: string): Promise<Frame> {
  // Quick Open through the palette (a browser may keep Ctrl+P for printing).
  await runFromPalette(page, 'Go to File');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(file);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  return webviewFrame(page, 'g.node[data-id="head"]', 60_000);
}

let baseRunDir = '';
setUp()
  .then((dir) => {
    baseRunDir = dir;
    log(`set-up: base run ${dir}`);
    driveWorkbench('fine-tune UI test', { baseUrl, workspace, outDir }, log, async (page) => {
      const designer = await openInDesigner(page, 'tuned.cnn.json');
      log('tuned.cnn.json open in the designer');
      await freeze(designer, 'conv1');
      await freeze(designer, 'conv2');
      await designer.locator('.summary-trainable').waitFor({ timeout: 10_000 });
      log(`frozen conv1, conv2; summary: ${await designer.locator('.summary-trainable').innerText()}`);

      await runFromPalette(page, 'CNN Studio: Fine-tune from Run…');
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: baseRunDir.split('/').pop()! }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      log('picked the base run');

      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Fine-tuning from' }).first();
      await toast.waitFor({ timeout: 120_000 });
      const message = await toast.innerText();
      log(`notification: ${message.replace(/\s+/g, ' ')}`);
      if (!message.includes(`Fine-tuning from base · ${baseRunDir.split('/').pop()!}: loaded the weights of 2 layers; starting fresh: head.`)) throw new Error(`unexpected report: ${message}`);
      await page.screenshot({ path: join(outDir, 'ui-fine-tune-started.png') });
      // The notification's button opens the output log, which has the engine's full report.
      await toast.locator('a.monaco-button', { hasText: 'Show Report' }).click();
      await page.locator('.part.panel .view-lines', { hasText: 'fresh:  head' }).first().waitFor({ timeout: 20_000 });
      log('Show Report opened the output log with the report');

      const run = await until('the fine-tuning run to finish', async () => listRuns(workspace).find((r) => r.record.modelName === 'tuned' && r.record.status === 'finished'), 180_000);
      const report = run.record.initializedFrom;
      if (!report || report.loaded.join(',') !== 'conv1,conv2' || report.fresh.map((f) => f.layer).join(',') !== 'head') {
        throw new Error(`run.json's initializedFrom is ${JSON.stringify(report)}`);
      }
      const snapshot = parseModelText(readFileSync(join(run.runDir, 'model.cnn.json'), 'utf8')).model!;
      const frozen = snapshot.nodes.filter((n) => n.trainable === false).map((n) => n.id).join(',');
      if (frozen !== 'conv1,conv2') throw new Error(`the run trained with frozen layers [${frozen}], expected conv1,conv2`);
      log(`run ${run.runDir}: loaded ${report.loaded.join(', ')}; fresh ${report.fresh.map((f) => f.layer).join(', ')}`);
      const unchanged = assertFrozenUnchanged(baseRunDir, run.runDir, ['conv1', 'conv2']);
      log(`bit-identical after fine-tuning: ${unchanged.join(', ')}`);
      await page.screenshot({ path: join(outDir, 'ui-fine-tune-finished.png') });
    });
  })
  .catch((err: unknown) => {
    console.error(`fine-tune UI test failed in set-up: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
