/** `cnn-studio new <template-id> <file>`: writes a new model file from a template. */
import { existsSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { CliError, flagBool, flagString, requirePositional, type CliCommand } from '../command';
import { writeOutputFile } from '../modelFileIo';
import { imageFolderDatasetFor } from '../../core/datasetFolder';
import { fitOutputToClasses } from '../../core/fitOutputToClasses';
import type { ModelFile } from '../../core/format';
import { serializeModel } from '../../core/serialize';
import { analyzeModel } from '../../core/shapeInference';
import { formatCount } from '../../core/summary';
import { createModelFromTemplate, TEMPLATES } from '../../core/templates';
import { imageFolderClassNames } from '../../engine/data/imageFolder';

const USAGE = 'new <template-id> <file> [--name NAME] [--data IMAGE-FOLDER] [--force]';

function templateList(): string {
  return TEMPLATES.map((t) => `  ${t.id.padEnd(16)} ${t.title}`).join('\n');
}

/**
 * The model set to train on an image folder (one sub-folder per class), as "Use Folder as Dataset" does
 * in VS Code: the dataset entry relative to the model file, sized by its Input layer, and the output
 * layer sized to the folder's classes.
 */
function trainOnImageFolder(model: ModelFile, file: string, folder: string): { model: ModelFile; note: string } {
  const classNames = imageFolderClassNames(folder);
  const posix = (p: string) => resolve(p).split(sep).join('/');
  const dataset = imageFolderDatasetFor(model, posix(file), posix(folder));
  const fitted = fitOutputToClasses({ ...model, dataset }, classNames.length);
  const resized = fitted.resized.map((r) => `, ${r.nodeId} resized to ${r.units} units`).join('');
  return { model: fitted.model, note: `Trains on ${dataset.path} (${classNames.length} classes: ${classNames.join(', ')}${resized}).\n` };
}

export const newCommand: CliCommand = {
  name: 'new',
  usage: USAGE,
  description: 'Create a model file from a template (tutorial-cifar, lenet5, mnist-small, …); --data points it at an image folder.',
  async run(args, io) {
    const templateId = requirePositional(args, 0, 'template id', `${USAGE}\nTemplates:\n${templateList()}`);
    if (!TEMPLATES.some((t) => t.id === templateId)) {
      throw new CliError(`Unknown template '${templateId}'. Valid template ids:\n${templateList()}`);
    }
    const file = requirePositional(args, 1, 'file to create', USAGE);
    if (existsSync(file) && !flagBool(args, 'force')) {
      throw new CliError(`${file} already exists; pass --force to overwrite it, or choose another file name.`);
    }
    const name = flagString(args, 'name') ?? basename(file).replace(/\.cnn\.json$|\.json$/, '');
    let model = createModelFromTemplate(templateId, name);
    const dataFolder = flagString(args, 'data');
    let dataNote = '';
    if (dataFolder) ({ model, note: dataNote } = trainOnImageFolder(model, file, dataFolder));
    writeOutputFile(file, serializeModel(model));
    const totals = analyzeModel(model).totals;
    io.stdout(`Created ${file} from template '${templateId}' (${model.nodes.length} layers, ${formatCount(totals.params)} params).\n${dataNote}`);
    if (!file.endsWith('.cnn.json')) {
      io.stderr(`Note: name it *.cnn.json so VS Code opens it in the CNN Studio designer.\n`);
    }
    io.stdout(`Next: cnn-studio summary ${file}\n`);
    return 0;
  },
};
