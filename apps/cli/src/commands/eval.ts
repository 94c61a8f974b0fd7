import { allowFlags, intFlag, positionals, type CommandLine } from '../args.js';
import { announceBackend } from '../backends.js';
import { mnistSplit } from '../mnist.js';
import { line, plural, type Output } from '../output.js';
import { testReport } from '../report.js';
import { loadTrained } from '../trained.js';

/** `fovea eval CHECKPOINT`: the checkpoint's test accuracy and confusion matrix, on its own split. */
export async function evalCommand(cmd: CommandLine, out: Output): Promise<void> {
  allowFlags(cmd, ['backend', 'batch-size']);
  const [path] = positionals(cmd, ['checkpoint']);
  await announceBackend(cmd, out);
  const { model, config } = await loadTrained(path!);
  line(out.stdout, `${path}: ${config.model} trained for ${plural(config.epochs, 'epoch')} (seed ${config.seed})`);
  const data = mnistSplit(config.seed, config.normalize, config.limit);
  await testReport(model, data.test, intFlag(cmd, 'batch-size', 500), out);
}
