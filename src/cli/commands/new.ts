/** `cnn-studio new <template-id> <file>`: writes a new model file from a template. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CliError, flagBool, flagString, requirePositional, type CliCommand } from '../command';
import { serializeModel } from '../../core/serialize';
import { analyzeModel } from '../../core/shapeInference';
import { formatCount } from '../../core/summary';
import { createModelFromTemplate, TEMPLATES } from '../../core/templates';

const USAGE = 'new <template-id> <file> [--name NAME] [--force]';

function templateList(): string {
  return TEMPLATES.map((t) => `  ${t.id.padEnd(16)} ${t.title}`).join('\n');
}

export const newCommand: CliCommand = {
  name: 'new',
  usage: USAGE,
  description: 'Create a model file from a template (tutorial-cifar, lenet5, mnist-small, …).',
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
    const model = createModelFromTemplate(templateId, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, serializeModel(model));
    const totals = analyzeModel(model).totals;
    io.stdout(`Created ${file} from template '${templateId}' (${model.nodes.length} layers, ${formatCount(totals.params)} params).\n`);
    if (!file.endsWith('.cnn.json')) {
      io.stderr(`Note: name it *.cnn.json so VS Code opens it in the CNN Studio designer.\n`);
    }
    io.stdout(`Next: cnn-studio summary ${file}\n`);
    return 0;
  },
};
