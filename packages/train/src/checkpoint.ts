import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getRngState, setRngState, type Tensor } from '@fovea/core';
import { loadSafetensors, saveSafetensors } from '@fovea/io';
import { CheckpointError } from './errors.js';
import { packState, unpackState, type Json } from './state-tree.js';
import type { Logs, Stateful, StatefulModel } from './types.js';

const FORMAT = 'fovea-checkpoint';
const VERSION = '1';

/** What a checkpoint saves. `epoch` and `step` say where training stands. */
export interface CheckpointContents {
  model: StatefulModel;
  optimizer?: Stateful;
  scheduler?: Stateful;
  /** The data order: a `@fovea/data` DataLoader, or anything with `state()`. */
  loader?: { state(): unknown };
  /** Epochs completed (default 0). */
  epoch?: number;
  /** Batches completed in the epoch after those (default 0). */
  step?: number;
  /** Per-epoch logs so far, so a resumed `fit` continues the history. */
  history?: readonly Logs[];
  /** Caller's JSON: model configuration, anything needed to rebuild what is restored. */
  extra?: Json;
}

/** What a checkpoint restores into; only the parts given are restored. */
export interface RestoreTargets {
  model?: StatefulModel;
  optimizer?: Stateful;
  scheduler?: Stateful;
  loader?: { loadState(state: unknown): unknown };
  /** Restore the global random generator (default true). */
  rng?: boolean;
  /** Passed to the model's `loadStateDict` (default true). */
  strict?: boolean;
}

interface SavedState {
  epoch: number;
  step: number;
  rng: Json[];
  history: Json[];
  checksum: string;
  extra: unknown;
  parts: Partial<Record<Part, unknown>>;
}

type Part = 'model' | 'optimizer' | 'scheduler' | 'loader';

/**
 * Saves model, optimizer, scheduler and data-order state, the global random generator and the
 * position in training as one safetensors file: tensors by dotted path (`model.fc.weight`,
 * `optimizer.state.0.expAvg`), everything else as JSON metadata with a SHA-256 of the tensor
 * data. The write is atomic: if anything fails, a previous file at `path` is left intact.
 */
export async function saveCheckpoint(path: string, contents: CheckpointContents): Promise<void> {
  const tensors = new Map<string, Tensor>();
  const states: Record<Part, unknown> = {
    model: contents.model.stateDict(),
    optimizer: contents.optimizer?.stateDict(),
    scheduler: contents.scheduler?.stateDict(),
    loader: contents.loader?.state(),
  };
  const parts: SavedState['parts'] = {};
  for (const [part, state] of Object.entries(states)) if (state !== undefined) parts[part as Part] = packState(state, part, tensors);
  const state = {
    epoch: contents.epoch ?? 0,
    step: contents.step ?? 0,
    rng: packState(getRngState(), 'rng', tensors),
    history: packState(contents.history ?? [], 'history', tensors),
    checksum: await checksum(tensors),
    extra: contents.extra ?? null,
    parts,
  };
  await mkdir(dirname(path), { recursive: true });
  await saveSafetensors(path, tensors, { format: FORMAT, version: VERSION, state: JSON.stringify(state) });
}

/** A checkpoint read from disk and validated; `restore` puts its state back. */
export class Checkpoint {
  private constructor(
    readonly path: string,
    private readonly state: SavedState,
    private readonly tensors: Map<string, Tensor>,
  ) {}

  /** Reads and validates a checkpoint; a missing, truncated or corrupted file is a `CheckpointError`. */
  static async read(path: string): Promise<Checkpoint> {
    const file = await loadFile(path);
    try {
      const state = parseState(path, file.metadata);
      if ((await checksum(file.tensors)) !== state.checksum) throw new CheckpointError(`${path}: corrupted checkpoint, the tensor data does not match its checksum`);
      return new Checkpoint(path, state, file.tensors);
    } catch (err) {
      for (const t of file.tensors.values()) t.dispose();
      throw err;
    }
  }

  get epoch(): number {
    return this.state.epoch;
  }
  get step(): number {
    return this.state.step;
  }
  get extra(): unknown {
    return this.state.extra;
  }
  get history(): Logs[] {
    return unpackState(this.state.history, this.tensors) as Logs[];
  }
  /** Which parts the checkpoint holds. */
  has(part: Part): boolean {
    return part in this.state.parts;
  }

  /** The model's state dict as saved (live tensors owned by this checkpoint). */
  modelState(): Map<string, Tensor> {
    return this.part('model') as Map<string, Tensor>;
  }

  /**
   * Loads each given target's saved state (model first, so a state dict that does not fit
   * throws before anything else changes), then the global random generator.
   */
  restore(targets: RestoreTargets): void {
    for (const part of ['model', 'optimizer', 'scheduler', 'loader'] as const) {
      if (targets[part] && !this.has(part)) throw new CheckpointError(`${this.path}: the checkpoint holds no ${part} state to restore`);
    }
    targets.model?.loadStateDict(this.modelState(), { strict: targets.strict ?? true });
    targets.optimizer?.loadStateDict(this.part('optimizer'));
    targets.scheduler?.loadStateDict(this.part('scheduler'));
    targets.loader?.loadState(this.part('loader'));
    if (targets.rng ?? true) setRngState(unpackState(this.state.rng, this.tensors) as number[]);
  }

  /** Frees the tensors read from the file (targets restored from them hold their own copies). */
  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
  }

  private part(name: Part): unknown {
    return unpackState(this.state.parts[name], this.tensors);
  }
}

/** Reads a checkpoint, restores it into `targets` and returns it (for `epoch`, `step`, `extra`). */
export async function loadCheckpoint(path: string, targets: RestoreTargets): Promise<Checkpoint> {
  const checkpoint = await Checkpoint.read(path);
  try {
    checkpoint.restore(targets);
  } finally {
    checkpoint.dispose();
  }
  return checkpoint;
}

async function loadFile(path: string) {
  try {
    return await loadSafetensors(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError(`${path}: no such checkpoint file`, err);
    if (code === 'EISDIR') throw new CheckpointError(`${path}: is a directory, not a checkpoint file`, err);
    throw new CheckpointError(`${path}: not a readable checkpoint (${(err as Error).message})`, err);
  }
}

function parseState(path: string, metadata: Record<string, string>): SavedState {
  if (metadata.format !== FORMAT) throw new CheckpointError(`${path}: not a Fovea checkpoint (a safetensors file without checkpoint metadata)`);
  if (metadata.version !== VERSION) throw new CheckpointError(`${path}: checkpoint format version ${metadata.version}, this Fovea reads version ${VERSION}`);
  let state: SavedState;
  try {
    state = JSON.parse(metadata.state ?? '');
  } catch (err) {
    throw new CheckpointError(`${path}: corrupted checkpoint, its state metadata is not JSON`, err);
  }
  const ok =
    typeof state === 'object' && state !== null && Number.isInteger(state.epoch) && Number.isInteger(state.step) &&
    typeof state.checksum === 'string' && typeof state.parts === 'object' && state.parts !== null && Array.isArray(state.rng) && Array.isArray(state.history);
  if (!ok) throw new CheckpointError(`${path}: corrupted checkpoint, its state metadata lacks epoch, step, rng, history, checksum or parts`);
  return state;
}

/** SHA-256 over every tensor's name, shape, dtype and bytes, in name order. */
async function checksum(tensors: ReadonlyMap<string, Tensor>): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    const data = await t.data();
    hash.update(`${name}|${t.dtype}|${t.shape.join(',')}|`);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}
