/** `cnn-studio predict`: the top-k classes of image files with a run's checkpoint. */
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { listSkipped } from '../../engine/data/skippedFiles';
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
    const failed = results.flatMap((r) => (r.error !== undefined ? [{ path: r.imagePath, reason: r.error }] : []));
    if (flagBool(args, 'json')) io.stdout(JSON.stringify(results) + '\n');
    else {
      for (const r of results) {
        const lines = r.error !== undefined ? [`  skipped: ${r.error}`] : r.top.map((t) => `  ${t.className.padEnd(16)} ${(t.probability * 100).toFixed(1).padStart(5)}%`);
        io.stdout(`${r.imagePath}\n${lines.join('\n')}\n`);
      }
    }
    if (failed.length === 0) return 0;
    // Like `cat a missing b`: the readable images are answered, and the exit status says one was not.
    io.stderr(`warning: ${failed.length} of ${results.length} images could not be read and ${failed.length === 1 ? 'was' : 'were'} skipped: ${listSkipped(failed)}.\n`);
    return 1;
  },
};
