import { shapesEqual, type DType } from '@fovea/core';
import { GPUData, type PendingOp } from './gpu-data.js';
import { multiMapProgram } from './kernels/map-program.js';
import type { Program } from './program.js';
import { sizeOfShape } from './shape-utils.js';
import { store, wgslType } from './wgsl.js';

/** Most elementwise ops one fused kernel computes; a longer chain is cut (its input computed). */
const MAX_OPS = 16;

/** What running one fused kernel takes: its ops in order, and the storage it reads. */
interface Group {
  /** Pending ops of the root's shape, each after the ops it reads. */
  readonly ops: GPUData[];
  /** Inputs read from storage, by (storage, shape): a reshaped view is another binding. */
  readonly leaves: { readonly data: GPUData; readonly shape: readonly number[] }[];
  /** One-element inputs whose value the host wrote: uniforms, not bindings. */
  readonly constants: GPUData[];
  /** Pending inputs of another shape: computed by kernels of their own first. */
  readonly others: GPUData[];
}

/** What the fuser needs of the backend: storage, dispatches and the binding limit. */
export interface FusionHost {
  readonly maxBindings: number;
  /** Fresh storage for `size` elements of `dtype`. */
  alloc(size: number, dtype: DType): GPUData;
  /** Returns a buffer nothing refers to any more to the pool. */
  recycle(buffer: GPUBuffer): void;
  dispatch(program: Program, inputs: readonly GPUData[], outputs: readonly GPUData[]): void;
}

/**
 * Elementwise fusion. An elementwise op is not run when it is called: its storage stays
 * `pending` (the op and its inputs). When something needs the values (another kind of kernel
 * reads it, or the host does), the pending op and every pending op of the same shape it reads,
 * transitively, run as one kernel that reads each input once and keeps intermediates in
 * registers. An intermediate is written only if the engine still holds it or a pending op
 * outside the kernel reads it; otherwise it never touches memory. An op that reads a pending
 * value with broadcasting or through a reshape is not fused with it (the value is computed
 * first), nor are chains past MAX_OPS ops or the device's storage-binding limit.
 */
export class Fuser {
  constructor(private readonly host: FusionHost) {}

  /**
   * Records `op`, cutting the pending chain behind it where one kernel could not hold it: too
   * many ops, or more inputs and outputs than storage bindings (the outputs as they stand now;
   * if more are needed by the time it runs, `realize` splits the kernel).
   */
  defer(op: PendingOp): GPUData {
    for (const input of op.inputs) input.data.readers++;
    const data = new GPUData(null, sizeOfShape(op.shape), op);
    for (let group = this.group(data); !this.fits(group, data); group = this.group(data)) {
      // Computes the fused input with the most ops behind it.
      const fused = op.inputs.map((i) => i.data).filter((d) => d.pending && group.ops.includes(d));
      if (!fused.length) break;
      const sizes = new Map(fused.map((d) => [d, this.group(d).ops.length]));
      this.realize(fused.sort((a, b) => sizes.get(b)! - sizes.get(a)!)[0]!);
    }
    return data;
  }

  /** Runs `data`'s pending op and those fused with it; afterwards `data` has a buffer. */
  realize(data: GPUData): void {
    if (!data.pending) return;
    for (const other of this.group(data).others) this.realize(other);
    // Regrouped: an op also read through a reshape was just computed, so it is an input now.
    const group = this.group(data);
    if (!this.fits(group, data)) {
      // Too many intermediates to write at once: compute the inputs first, each on its own.
      for (const input of data.pending.inputs) this.realize(input.data);
      this.realize(data);
      return;
    }
    const written = writtenOf(group, data);
    const outputs = written.map((d) => this.host.alloc(d.size, d.pending!.dtype));
    this.host.dispatch(this.program(group, written), group.leaves.map((l) => l.data), outputs);
    const ops = group.ops.map((d) => d.pending!);
    group.ops.forEach((d) => (d.pending = null));
    written.forEach((d, k) => {
      d.buffer = outputs[k]!.buffer;
      d.half = outputs[k]!.half;
    });
    for (const op of ops) for (const input of op.inputs) this.unread(input.data);
  }

  private fits(group: Group, root: GPUData): boolean {
    return group.ops.length <= MAX_OPS && group.leaves.length + writtenOf(group, root).length <= this.host.maxBindings;
  }

  /** The engine let go of `data`: frees it now, or once the pending ops reading it have run. */
  release(data: GPUData): void {
    data.held = false;
    this.freeIfUnused(data);
  }

  private unread(data: GPUData): void {
    data.readers--;
    this.freeIfUnused(data);
  }

  private freeIfUnused(data: GPUData): void {
    if (data.held || data.readers > 0) return;
    if (data.buffer) this.host.recycle(data.buffer);
    data.buffer = null;
    const op = data.pending;
    data.pending = null;
    // Never run and never needed: its inputs lose a reader.
    if (op) for (const input of op.inputs) this.unread(input.data);
  }

  /** The pending ops of `root`'s shape reachable from it, in dependency order, and their inputs. */
  private group(root: GPUData): Group {
    const shape = root.pending!.shape;
    const ops: GPUData[] = [];
    const leaves: Group['leaves'][number][] = [];
    const others = new Set<GPUData>();
    const constants = new Set<GPUData>();
    const visit = (d: GPUData) => {
      if (ops.includes(d)) return;
      for (const input of d.pending!.inputs) {
        const p = input.data.pending;
        if (p && shapesEqual(p.shape, shape) && shapesEqual(input.shape, shape)) visit(input.data);
        else if (input.data.hostValue !== undefined) constants.add(input.data);
        else {
          if (p) others.add(input.data);
          if (leafIndex(leaves, input) < 0) leaves.push({ data: input.data, shape: input.shape });
        }
      }
      ops.push(d);
    };
    visit(root);
    return { ops, leaves, constants: [...constants], others: [...others] };
  }

  /**
   * One thread per element: reads each leaf once (`v{k}`), computes every op in order (`n{j}`),
   * writes the ops in `written`. The key spells out the ops and their wiring.
   */
  private program(group: Group, written: readonly GPUData[]): Program {
    const shape = group.ops[0]!.pending!.shape;
    const refOf = (op: PendingOp, k: number) => {
      const input = op.inputs[k]!;
      const j = group.ops.indexOf(input.data);
      if (j >= 0 && shapesEqual(input.shape, shape)) return `n${j}`;
      if (input.data.hostValue !== undefined) return `u.c${group.constants.indexOf(input.data)}`;
      return `v${leafIndex(group.leaves, input)}`;
    };
    const lines = group.ops.map((d, j) => {
      const op = d.pending!;
      return { name: `${op.name}:${wgslType(op.dtype)}(${op.inputs.map((_, k) => refOf(op, k)).join(',')})`, code: `  let n${j} = ${op.expr(op.inputs.map((_, k) => refOf(op, k)))};` };
    });
    const stores = written.map((d, k) => `  y${k}[i] = ${store(d.pending!.dtype, `n${group.ops.indexOf(d)}`)};`);
    const helpers = new Set(group.ops.flatMap((d) => d.pending!.helpers));
    return multiMapProgram({
      name: `fused[${lines.map((l) => l.name).join(';')}]>${written.map((d) => `n${group.ops.indexOf(d)}`).join(',')}`,
      inputs: group.leaves.map((l) => ({ shape: l.shape, dtype: dtypeOf(group, l.data) })),
      scalars: group.constants.map((d) => ({ dtype: dtypeOf(group, d), value: d.hostValue! })),
      shape,
      outputs: written.map((d) => d.pending!.dtype),
      body: () => [...lines.map((l) => l.code), ...stores].join('\n'),
      helpers: [...helpers].join('\n'),
    });
  }
}

/**
 * The group's ops its kernel must write: the root, and every op the engine still holds or a
 * pending op outside the group reads.
 */
function writtenOf(group: Group, root: GPUData): GPUData[] {
  const readsWithin = (data: GPUData) => group.ops.reduce((n, d) => n + d.pending!.inputs.filter((i) => i.data === data).length, 0);
  return group.ops.filter((d) => d === root || d.held || d.readers > readsWithin(d));
}

function leafIndex(leaves: Group['leaves'], input: PendingOp['inputs'][number]): number {
  return leaves.findIndex((l) => l.data === input.data && shapesEqual(l.shape, input.shape));
}

function dtypeOf(group: Group, data: GPUData) {
  for (const d of group.ops) for (const input of d.pending!.inputs) if (input.data === data) return input.dtype;
  throw new Error('unreachable: a leaf no op reads');
}
