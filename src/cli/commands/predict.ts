/** `cnn-studio predict`: the top-k classes of image files with a run's checkpoint. */
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { predictImages } from '../../engine/eval/predict';
import { flagBool, flagInt, flagString, requirePositional, type CliCommand } from '../command';
import { checkpointFlag } from './evaluate';
import { backendFlag, threadsOption } from './train';

const USAGE = 'predict <runDir> <image or folder...> [--top K] [--checkpoint best|last] [--backend B] [--threads N] [--json]';

export const predictCommand: CliCommand = {
  name: 'predict',
  usage: USAGE,
  description: 'Classify PNG/JPEG/WebP images with a trained run and print the top-k classes per image.',
  async run(args, io) {
    const runDir = requirePositional(args, 0, 'the run folder', USAGE);
    requirePositional(args, 1, 'at least one image', USAGE);
    await initBackend(backendFlag(flagString(args, 'backend')) ?? 'auto', threadsOption(args));
    const results = await predictImages(getTf(), {
      runDir,
      imagePaths: args.positionals.slice(1),
      topK: flagInt(args, 'top') ?? 3,
      checkpoint: checkpointFlag(flagString(args, 'checkpoint')),
    });
    if (flagBool(args, 'json')) {
      io.stdout(JSON.stringify(results) + '\n');
      return 0;
    }
    for (const r of results) {
      io.stdout(`${r.imagePath}\n${r.top.map((t) => `  ${t.className.padEnd(16)} ${(t.probability * 100).toFixed(1).padStart(5)}%`).join('\n')}\n`);
    }
    return 0;
  },
};
