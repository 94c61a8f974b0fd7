import type { ProgressStream } from '@fovea/train';

/** Where a command writes: results and progress to `stdout`, warnings and errors to `stderr`. */
export interface Output {
  stdout: ProgressStream;
  stderr: { write(text: string): unknown };
}

export const line = (out: { write(text: string): unknown }, text: string) => void out.write(`${text}\n`);

/** '1 epoch', '4 epochs'. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
