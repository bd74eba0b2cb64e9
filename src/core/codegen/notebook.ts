/**
 * A Jupyter notebook (nbformat 4.5) of the Keras script: one code cell per section (imports, settings,
 * data, model, compile, fit, evaluate), each after a markdown cell that explains it. Notebooks run in one
 * process, so the `tf.distribute` strategy is left out.
 */
import type { ModelFile } from '../format';
import { kerasSections } from './keras';
import { paramCountText, type CodegenOptions } from './options';

interface MarkdownCell {
  cell_type: 'markdown';
  id: string;
  metadata: Record<string, never>;
  source: string[];
}

interface CodeCell {
  cell_type: 'code';
  id: string;
  metadata: Record<string, never>;
  execution_count: null;
  outputs: [];
  source: string[];
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: {
    kernelspec: { name: string; display_name: string; language: string };
    language_info: { name: string; file_extension: string; mimetype: string };
  };
  cells: (MarkdownCell | CodeCell)[];
}

/** nbformat stores text as a list of lines, each but the last ending in '\n'. */
function sourceLines(text: string): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

export function generateNotebook(model: ModelFile, options: CodegenOptions = {}): Notebook {
  const sections = kerasSections(model, { ...options, distributed: false });
  const cells: (MarkdownCell | CodeCell)[] = [];
  let n = 0;
  const id = (): string => `cell-${String(++n).padStart(2, '0')}`;
  const intro = [
    `# ${model.name}`,
    '',
    ...(model.description ? [model.description, ''] : []),
    `A convolutional network of ${paramCountText(model)} exported from **CNN Studio** as a Keras notebook. Run the cells from top to bottom;`,
    'the settings cell holds the epochs, batch size, learning rate and dataset path of the model file.',
  ].join('\n');
  cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: sourceLines(intro) });
  for (const s of sections) {
    if (s.id === 'header') continue;
    if (s.explanation) cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: sourceLines(`## ${s.title}\n\n${s.explanation}`) });
    else cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: sourceLines(`## ${s.title}`) });
    cells.push({ cell_type: 'code', id: id(), metadata: {}, execution_count: null, outputs: [], source: sourceLines(s.code) });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python' },
    },
    cells,
  };
}

/** The notebook as the text of an `.ipynb` file. */
export function generateNotebookText(model: ModelFile, options: CodegenOptions = {}): string {
  return JSON.stringify(generateNotebook(model, options), null, 1) + '\n';
}
