import { Worker } from 'node:worker_threads';
import { DatasetError } from '../errors.js';
import type { HostTensor } from '../host.js';
import type { DecodeReply, DecodeRequest } from './decode-worker.js';
import type { ImageSpec } from './load-image.js';

interface Slot {
  worker: Worker;
  busy: number;
}

interface Pending {
  resolve: (x: HostTensor) => void;
  reject: (e: Error) => void;
  slot: Slot;
}

/**
 * A worker running decode-worker: built, it sits under datasets/ beside the bundle; from the
 * TypeScript sources (tests, development under tsx) the worker registers tsx before importing it.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./datasets/decode-worker.js', here));
  const entry = JSON.stringify(new URL('./decode-worker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true });
}

/**
 * Worker threads that read and decode images in parallel. Each request goes to an idle worker
 * (started on demand, up to `size`) or the least busy one. A worker keeps the process alive only
 * while it has work.
 */
export class DecodePool {
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(readonly size: number) {}

  load(path: string, spec: ImageSpec): Promise<HostTensor> {
    const slot = this.#pick();
    const id = this.#nextId++;
    if (slot.busy++ === 0) slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, path, spec } satisfies DecodeRequest);
    });
  }

  /** Stops the workers; loads still pending fail. */
  async close(): Promise<void> {
    for (const { reject } of this.#pending.values()) reject(new DatasetError('ImageFolder: decode workers closed'));
    this.#pending.clear();
    await Promise.all(this.#slots.splice(0).map(({ worker }) => worker.terminate()));
  }

  #pick(): Slot {
    const least = this.#slots.reduce<Slot | undefined>((a, b) => (!a || b.busy < a.busy ? b : a), undefined);
    if (least && (least.busy === 0 || this.#slots.length >= this.size)) return least;
    const slot: Slot = { worker: startWorker(), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', (reply: DecodeReply) => this.#settle(reply));
    slot.worker.on('error', (e) => this.#fail(slot, e));
    this.#slots.push(slot);
    return slot;
  }

  #done(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (--pending.slot.busy === 0) pending.slot.worker.unref();
    return pending;
  }

  #settle(reply: DecodeReply): void {
    const pending = this.#done(reply.id);
    if (!pending) return;
    if ('error' in reply) pending.reject(rebuild(reply.error));
    else pending.resolve({ data: reply.data, shape: reply.shape });
  }

  /** A worker that crashed fails its loads and is dropped; the next request starts another. */
  #fail(slot: Slot, error: Error): void {
    for (const [id, pending] of [...this.#pending]) {
      if (pending.slot === slot) this.#done(id)!.reject(new DatasetError(`ImageFolder: a decode worker failed: ${error.message}`));
    }
    this.#slots.splice(this.#slots.indexOf(slot), 1);
  }
}

/** The worker's error as the same kind of error here. */
function rebuild({ name, message, code }: { name: string; message: string; code?: string }): Error {
  return name === 'DatasetError' ? new DatasetError(message) : Object.assign(new Error(message), code ? { code } : {});
}
