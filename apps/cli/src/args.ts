import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** Every flag any command takes; each command says which it accepts. */
const FLAGS = {
  backend: { type: 'string' },
  'batch-size': { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  model: { type: 'string' },
  limit: { type: 'string' },
  resume: { type: 'string' },
  weights: { type: 'string' },
  topk: { type: 'string' },
  resize: { type: 'boolean' },
  invert: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Flag = keyof typeof FLAGS;

/** Parsed command line: the command, its positional arguments and its flags as strings. */
export interface CommandLine {
  command: string | undefined;
  positionals: string[];
  flags: Partial<Record<Flag, string | boolean>>;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, flags: values };
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** Rejects flags the command does not take, naming the ones it does. */
export function allowFlags(line: CommandLine, allowed: readonly Flag[]): void {
  for (const flag of Object.keys(line.flags) as Flag[]) {
    if (flag !== 'help' && !allowed.includes(flag)) {
      throw new UsageError(`'fovea ${line.command}' does not take --${flag}; it takes ${allowed.map((f) => `--${f}`).join(', ')}`);
    }
  }
}

/** A flag's value as an integer ≥ min, or the fallback when absent. */
export function intFlag(line: CommandLine, flag: Flag, fallback: number, min = 1): number {
  const raw = line.flags[flag];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

/** A flag's value as a positive finite number, or the fallback when absent. */
export function positiveFlag(line: CommandLine, flag: Flag, fallback: number): number {
  const raw = line.flags[flag];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError(`--${flag} must be a positive number, got '${raw}'`);
  return value;
}

export function stringFlag(line: CommandLine, flag: Flag): string | undefined {
  const raw = line.flags[flag];
  return typeof raw === 'string' ? raw : undefined;
}

/** Exactly `names.length` positional arguments, named in the error when some are missing. */
export function positionals(line: CommandLine, names: readonly string[]): string[] {
  if (line.positionals.length !== names.length) {
    const usage = `fovea ${line.command} ${names.map((n) => n.toUpperCase()).join(' ')}`;
    throw new UsageError(`expected ${names.join(' and ')} (${usage}), got ${line.positionals.length ? line.positionals.map((p) => `'${p}'`).join(' ') : 'nothing'}`);
  }
  return line.positionals;
}
