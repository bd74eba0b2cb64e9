/**
 * The walkthrough UI test's last step, "import with the save dialog", as a user does it: "CNN Studio:
 * Import…" from the palette → the open dialog (code-server's file dialog: a path box) → a Keras 1 file in a
 * downloads folder outside the workspace → the save dialog proposes `<workspace>/mnist_cnn.cnn.json` →
 * Enter → the model is written there (nothing next to the source), opens in the designer, and one
 * notification summarises the report, problems first; "Show Report" shows the grouped report.
 * (Drafted by the import helper, /work/notes/import-importUi.ts.draft; wired and run here.)
 * Screenshots: <outDir>/ui-walkthrough-<n>-import-*.png.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runFromPalette, until } from './browser';
import { acceptFileDialog, typeInFileDialog, type StepContext } from './walkthroughRunSteps';

const FIXTURE = resolve(__dirname, '..', '..', 'fixtures', 'keras', 'keras1-mnist-cnn.json');

export async function importWithSaveDialog(c: StepContext): Promise<void> {
  const { page, workspace } = c;
  // A download outside the workspace: the old import wrote its .cnn.json next to it.
  const downloads = join(dirname(workspace), `${workspace.split('/').pop()}-downloads`);
  mkdirSync(downloads, { recursive: true });
  const source = join(downloads, 'mnist_cnn.json');
  copyFileSync(FIXTURE, source);

  await runFromPalette(page, 'CNN Studio: Import…');
  await typeInFileDialog(page, 'Import a Keras model', source);
  c.log('picked the source file in the open dialog');

  const expected = join(workspace, 'mnist_cnn.cnn.json');
  const box = page.locator('.quick-input-widget input').first();
  await until('the save dialog proposing <workspace>/mnist_cnn.cnn.json', async () => ((await box.inputValue()) === expected ? true : undefined), 20_000);
  await c.screenshot('11-import-save-dialog');
  await acceptFileDialog(page, 'Save the imported model', expected);

  await until('the imported model in the workspace', async () => (existsSync(expected) ? true : undefined), 60_000);
  if (existsSync(join(downloads, 'mnist_cnn.cnn.json'))) throw new Error('the import also wrote next to the source file');
  const model = JSON.parse(readFileSync(expected, 'utf8')) as { nodes: { type: string }[] };
  if (!model.nodes.some((n) => n.type === 'Conv2D')) throw new Error('the imported model has no Conv2D');
  await until('the imported model drawn in the designer', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.getByText('Imported from a Keras Sequential model.').count())) return true;
    return undefined;
  }, 30_000);
  const toast = page.locator('.notification-toast', { hasText: 'Imported mnist_cnn.cnn.json with 1 problem to review' }).first();
  await toast.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(600);
  await c.screenshot('12-import-designer-and-notification');
  c.log(`imported: ${(await toast.locator('.notification-list-item-message').innerText()).trim()}`);

  await toast.getByRole('button', { name: 'Show Report' }).click();
  const report = page.locator('.part.panel .view-lines', { hasText: 'Problems (1):' }).first();
  await report.waitFor({ timeout: 20_000 });
  const text = await report.innerText();
  for (const want of ["Imported 'mnist_cnn' from Keras JSON (Sequential): 9 layers, 43,034 parameters", 'Option W_regularizer is not supported', 'Changes (']) {
    if (!text.replace(/\u00a0/g, ' ').includes(want)) throw new Error(`the report lacks "${want}": ${text}`);
  }
  await c.screenshot('13-import-report');
  c.log('the grouped report is in the output panel');
}
