import { isNode } from './features.js';
import type { Heap } from './heap.js';

/** Each worker's own wasm stack, carved from the shared heap. */
const WORKER_STACK_BYTES = 1 << 20;

/**
 * The worker body, shipped as source text so it needs no separate file (nothing for a bundler
 * to locate): it instantiates the kernels over the shared memory with its own stack, then
 * sleeps on the pool's generation counter and runs its share of each job (pool.rs).
 */
const WORKER_BODY = `
async function start({ module, memory, stackTop, tid, generation }, post) {
  const ints = new Int32Array(memory.buffer);
  const env = { memory, fv_host_wake: (addr) => Atomics.notify(ints, addr >>> 2), fv_host_wait() {} };
  const instance = await WebAssembly.instantiate(module, { env });
  instance.exports.__stack_pointer.value = stackTop;
  const flag = new Int32Array(memory.buffer, generation, 1);
  let seen = Atomics.load(flag, 0);
  post('ready');
  for (;;) {
    Atomics.wait(flag, 0, seen);
    const now = Atomics.load(flag, 0);
    if (now === seen) continue;
    seen = now;
    instance.exports.fv_worker_run(tid);
  }
}`;

const NODE_WORKER = `${WORKER_BODY}
const { parentPort } = require('node:worker_threads');
parentPort.once('message', (init) => start(init, (m) => parentPort.postMessage(m)).catch((e) => parentPort.postMessage(String(e))));`;

const BROWSER_WORKER = `${WORKER_BODY}
onmessage = (e) => { onmessage = null; start(e.data, (m) => postMessage(m)).catch((err) => postMessage(String(err))); };`;

interface Handle {
  post(message: unknown): void;
  onReply(listener: (reply: unknown) => void): void;
  terminate(): void;
}

async function spawn(): Promise<Handle> {
  if (isNode()) {
    // Not import(): bundlers building for browsers fail on node: modules (see locate.ts).
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const w = new Worker(NODE_WORKER, { eval: true });
    // Workers sleep in Atomics.wait between jobs; they must not keep the process alive.
    w.unref();
    return { post: (m) => w.postMessage(m), onReply: (l) => w.once('message', l), terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([BROWSER_WORKER], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return { post: (m) => w.postMessage(m), onReply: (l) => w.addEventListener('message', (e) => l(e.data), { once: true }), terminate: () => w.terminate() };
}

export interface WorkerPool {
  /** Threads including the caller's. */
  readonly threads: number;
  terminate(): void;
}

/** Starts `threads - 1` workers over the module's shared memory and waits until each is ready. */
export async function startWorkers(module: WebAssembly.Module, heap: Heap, threads: number): Promise<WorkerPool> {
  const generation = heap.exports.fv_pool_generation!();
  const handles: Handle[] = [];
  const stacks: number[] = [];
  try {
    for (let tid = 1; tid < threads; tid++) {
      const stack = heap.alloc(WORKER_STACK_BYTES);
      stacks.push(stack);
      const handle = await spawn();
      handles.push(handle);
      const ready = new Promise<void>((resolve, reject) =>
        handle.onReply((reply) => (reply === 'ready' ? resolve() : reject(new Error(`worker ${tid} failed: ${String(reply)}`)))),
      );
      handle.post({ module, memory: heap.memory, stackTop: stack + WORKER_STACK_BYTES, tid, generation });
      await ready;
    }
  } catch (err) {
    handles.forEach((h) => h.terminate());
    stacks.forEach((s) => heap.free(s, WORKER_STACK_BYTES));
    throw err;
  }
  heap.exports.fv_set_threads(threads);
  return {
    threads,
    terminate() {
      heap.exports.fv_set_threads(1);
      handles.forEach((h) => h.terminate());
      stacks.forEach((s) => heap.free(s, WORKER_STACK_BYTES));
    },
  };
}
