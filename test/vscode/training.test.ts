/**
 * Training inside a real VS Code (extension host in code-server): the walkthrough's sample dataset
 * command, "Train Model" on it with the real engine process, the dashboard panel receiving the run's
 * history and deltas, the run folder on disk, the status bar, and "Stop Training" stopping a run.
 * Registered from test/vscode/index.ts like the other suites.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createModelFromTemplate } from '../../src/core/templates';
import { serializeModel } from '../../src/core/loader';
import type { TrainingFeatures } from '../../src/extension/training/index';
import { TRAINING_COMMANDS } from '../../src/extension/training/commandIds';
import { closeAllEditors, extensionApi, scratchUri, waitFor, workspaceRoot, writeText } from './suites/helpers';

async function training(): Promise<TrainingFeatures> {
  return (await extensionApi()).testing.training;
}

/** A mnist-small model that trains on the sample dataset the walkthrough writes (data/shapes). */
async function shapesModel(epochs: number): Promise<vscode.Uri> {
  const uri = scratchUri('train');
  const model = createModelFromTemplate('mnist-small', `train-${epochs}-${Date.now()}`);
  const data = join(workspaceRoot().fsPath, 'data', 'shapes');
  model.dataset = { kind: 'imageFolder', path: data, imageSize: [28, 28], colorMode: 'grayscale' };
  model.training = { ...model.training, epochs, batchSize: 32 };
  await writeText(uri, serializeModel(model));
  return uri;
}

export function registerTrainingSuite(): void {
  suite('training', () => {
    suiteTeardown(closeAllEditors);

    test('Make Sample Dataset writes the shapes images into the workspace', async function () {
      this.timeout(120_000);
      const written = await vscode.commands.executeCommand<string>(TRAINING_COMMANDS.makeSampleDataset);
      const data = join(workspaceRoot().fsPath, 'data', 'shapes');
      assert.equal(written, data);
      for (const cls of ['circle', 'square', 'triangle']) {
        assert.equal(readdirSync(join(data, cls)).filter((f) => f.endsWith('.png')).length, 150, `${cls}/ has its images`);
      }
    });

    test('Train Model trains with the engine, feeds the dashboard and writes the run folder', async function () {
      this.timeout(240_000);
      const t = await training();
      const uri = await shapesModel(3);
      await vscode.commands.executeCommand(TRAINING_COMMANDS.train, uri);
      const run = await waitFor('the run to start', () => t.session.shown ?? undefined, 60_000);
      await waitFor('the dashboard to load and ask for its snapshot', () => t.dashboard.received.includes('ready'), 60_000);
      assert.ok(t.dashboard.sent.includes('hydrate'), 'the dashboard got a hydrate');
      await waitFor('two epochs', () => run.epochs.length >= 2, 180_000);
      assert.match(t.statusText(), /epoch|finished/, t.statusText());
      await waitFor('the run to end', () => (run.status === 'finished' ? true : undefined), 180_000);
      assert.equal(run.epochs.length, 3);
      assert.ok(run.batches.length > 0, 'batch metrics were recorded');
      assert.ok(t.dashboard.sent.includes('batchMetrics') && t.dashboard.sent.includes('epochMetrics'), `sent: ${[...new Set(t.dashboard.sent)].join(', ')}`);
      assert.ok(existsSync(run.info.runDir), run.info.runDir);
      const lines = readFileSync(join(run.info.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
      assert.equal(lines.length, 3);
      const record = JSON.parse(readFileSync(join(run.info.runDir, 'run.json'), 'utf8')) as { status: string };
      assert.equal(record.status, 'finished');
      assert.equal(t.session.state, 'idle');
      assert.equal(t.status.current().state, 'idle');
      // The side bar of another model does not show this run's status as its own.
      assert.match(t.status.current(uri).status, /: finished · 3 epochs/);
      assert.equal(t.status.current(scratchUri('other')).status, 'Not trained in this window yet; its earlier runs are listed under it in the Models view.');

      // "Show feature maps" of a sample (the evaluation's mistakes): its maps come apart from the
      // training sample's series, which stays; going back drops them (a reopened dashboard shows the series).
      await t.session.whenIdle();
      const series = run.featureMaps.map((s) => [s.epoch, s.sample.datasetIndex]);
      assert.ok(series.length > 0, 'the run captured feature maps');
      await t.session.pickSample({ datasetIndex: 5 });
      assert.equal(run.picked?.sample.datasetIndex, 5);
      assert.equal(run.picked?.epoch, 3, 'at the latest epoch');
      assert.deepEqual(run.featureMaps.map((s) => [s.epoch, s.sample.datasetIndex]), series, "the training sample's series is kept");
      assert.equal(run.hydrate().pickedFeatureMaps?.sample.datasetIndex, 5);
      t.session.closePickedSample();
      assert.equal(run.hydrate().pickedFeatureMaps, null);
      assert.deepEqual(run.featureMaps.map((s) => [s.epoch, s.sample.datasetIndex]), series);
    });

    test('Stop Training stops a running run and keeps it as stopped', async function () {
      this.timeout(240_000);
      const t = await training();
      const uri = await shapesModel(200);
      await vscode.commands.executeCommand(TRAINING_COMMANDS.train, uri);
      const run = await waitFor('the new run', () => (t.session.live && t.session.live.info.modelName.startsWith('train-200') ? t.session.live : undefined), 60_000);
      await waitFor('the first batches', () => run.batches.length > 0, 120_000);
      assert.equal(t.status.current().state, 'running');
      await vscode.commands.executeCommand(TRAINING_COMMANDS.stop);
      await waitFor('the run to stop', () => (run.status === 'stopped' ? true : undefined), 60_000);
      assert.ok(run.epochs.length < 200);
      assert.equal(t.session.live, null);
      await waitFor('run.json to say stopped', () => {
        const rec = JSON.parse(readFileSync(join(run.info.runDir, 'run.json'), 'utf8')) as { status: string };
        return rec.status === 'stopped';
      }, 10_000);
      // Nothing to stop any more: the command says so instead of failing silently.
      assert.equal(await vscode.commands.executeCommand(TRAINING_COMMANDS.stop), undefined);
    });
  });
}
