import { shapesEqual, type DType } from '@fovea/core';
import { GPUData, type PendingGemm, type PendingOp } from './gpu-data.js';
import { mapEpilogue, multiMapProgram, type MultiMapSpec } from './kernels/map-program.js';
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
  /** Pending inputs of another shape, and pending GEMMs but the source: computed by kernels of their own first. */
  readonly others: GPUData[];
  /**
   * A pending GEMM whose result the ops read element for element (not broadcast): the kernel is
   * that GEMM, and the ops run in its store.
   */
  readonly source: GPUData | null;
}

/** What the fuser needs of the backend: storage, dispatches and the binding limit. */
export interface FusionHost {
  readonly maxBindings: number;
  /** Fresh storage for `size` elements of `dtype` (float32 as f32 whatever the storage, if `full`). */
  alloc(size: number, dtype: DType, full?: boolean): GPUData;
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
 *
 * A GEMM (matmul) waits too, and when the ops that read its result run, they run in the GEMM's
 * store (its epilogue): `linear`'s bias add and the activation after it cost no kernel of their
 * own. The GEMM's result is written as well only if the engine still holds it.
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

  /** Records a GEMM writing `size` elements, to run when needed (see `realize`). */
  deferGemm(size: number, gemm: PendingGemm): GPUData {
    for (const input of gemm.inputs) input.readers++;
    const data = new GPUData(null, size);
    data.gemm = gemm;
    return data;
  }

  /** Runs `data`'s pending op and those fused with it; afterwards `data` has a buffer. */
  realize(data: GPUData): void {
    if (data.gemm) return this.runGemm(data, []);
    if (!data.pending) return;
    const first = this.group(data);
    for (const other of first.others) this.realize(other);
    // Its operands first, so that recording the GEMM computes nothing in the middle of this.
    for (const input of first.source?.gemm?.inputs ?? []) this.realize(input);
    // Regrouped: an op also read through a reshape was just computed, so it is an input now.
    const group = this.group(data);
    if (!this.fits(group, data)) {
      // Too many intermediates to write at once: compute the inputs first, each on its own.
      for (const input of data.pending.inputs) this.realize(input.data);
      this.realize(data);
      return;
    }
    const written = writtenOf(group, data);
    const outputs = written.map((d) => this.host.alloc(d.size, d.pending!.dtype, d.wide));
    const spec = this.mapSpec(group, written);
    if (group.source) this.runGemm(group.source, group.ops, { epilogue: mapEpilogue(spec), inputs: group.leaves.map((l) => l.data) }, outputs);
    else this.host.dispatch(multiMapProgram(spec), group.leaves.map((l) => l.data), outputs);
    const ops = group.ops.map((d) => d.pending!);
    group.ops.forEach((d) => (d.pending = null));
    written.forEach((d, k) => {
      d.buffer = outputs[k]!.buffer;
      d.half = outputs[k]!.half;
    });
    for (const op of ops) for (const input of op.inputs) this.unread(input.data);
  }

  /**
   * Records the pending GEMM of `data`, writing its result where the engine still needs it, and
   * with `fused` also the ops in its store, into `outputs` (after the result's own storage).
   */
  private runGemm(data: GPUData, ops: readonly GPUData[], fused?: Parameters<PendingGemm['record']>[1], outputs: readonly GPUData[] = []): void {
    const gemm = data.gemm!;
    data.gemm = null;
    const own = fused && !gemmWritten(data, ops) ? [] : [this.host.alloc(data.size, 'float32')];
    gemm.record([...own, ...outputs], fused);
    if (own[0]) {
      data.buffer = own[0].buffer;
      data.half = own[0].half;
    }
    for (const input of gemm.inputs) this.unread(input);
  }

  private fits(group: Group, root: GPUData): boolean {
    const gemm = group.source ? group.source.gemm!.inputs.length + (gemmWritten(group.source, group.ops) ? 1 : 0) : 0;
    return group.ops.length <= MAX_OPS && group.leaves.length + writtenOf(group, root).length + gemm <= this.host.maxBindings;
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
    const [op, gemm] = [data.pending, data.gemm];
    data.pending = null;
    data.gemm = null;
    // Never run and never needed: its inputs lose a reader.
    if (op) for (const input of op.inputs) this.unread(input.data);
    if (gemm) for (const input of gemm.inputs) this.unread(input);
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
    // The first pending GEMM read element for element, and only so, runs the group in its store.
    const size = sizeOfShape(shape);
    const only = (data: GPUData) => leaves.filter((l) => l.data === data).length === 1;
    const source = leaves.find((l) => l.data.gemm && l.data.size === size && shapesEqual(l.shape, shape) && only(l.data))?.data ?? null;
    for (const l of leaves) if (l.data.gemm && l.data !== source) others.add(l.data);
    return { ops, leaves: leaves.filter((l) => l.data !== source), constants: [...constants], others: [...others], source };
  }

  /**
   * One thread per element: reads each leaf once (`v{k}`), computes every op in order (`n{j}`),
   * writes the ops in `written`. The key spells out the ops and their wiring. With a source
   * GEMM, its sum is `gv`, and its result is the first output when it is written.
   */
  private mapSpec(group: Group, written: readonly GPUData[]): MultiMapSpec {
    const shape = group.ops[0]!.pending!.shape;
    const refOf = (op: PendingOp, k: number) => {
      const input = op.inputs[k]!;
      const j = group.ops.indexOf(input.data);
      if (j >= 0 && shapesEqual(input.shape, shape)) return `n${j}`;
      if (input.data === group.source) return 'gv';
      if (input.data.hostValue !== undefined) return `u.c${group.constants.indexOf(input.data)}`;
      return `v${leafIndex(group.leaves, input)}`;
    };
    const lines = group.ops.map((d, j) => {
      const op = d.pending!;
      return { name: `${op.name}:${wgslType(op.dtype)}(${op.inputs.map((_, k) => refOf(op, k)).join(',')})`, code: `  let n${j} = ${op.expr(op.inputs.map((_, k) => refOf(op, k)))};` };
    });
    const values = [...(group.source && gemmWritten(group.source, group.ops) ? [{ ref: 'gv', dtype: 'float32' as DType }] : [])];
    values.push(...written.map((d) => ({ ref: `n${group.ops.indexOf(d)}`, dtype: d.pending!.dtype })));
    // Per output: an f32 result (see precision.ts) may sit beside f16 ones.
    const stores = values.map((w, k) => `  y${k}[i] = ${w.dtype === 'float32' ? `FO${k}(${w.ref})` : store(w.dtype, w.ref)};`);
    const helpers = new Set(group.ops.flatMap((d) => d.pending!.helpers));
    return {
      name: `fused[${lines.map((l) => l.name).join(';')}]>${values.map((w) => w.ref).join(',')}`,
      inputs: group.leaves.map((l) => ({ shape: l.shape, dtype: dtypeOf(group, l.data) })),
      scalars: group.constants.map((d) => ({ dtype: dtypeOf(group, d), value: d.hostValue! })),
      shape,
      outputs: values.map((w) => w.dtype),
      body: () => [...lines.map((l) => l.code), ...stores].join('\n'),
      helpers: [...helpers].join('\n'),
    };
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

/** Whether a GEMM whose store runs `ops` must still write its own result: the engine holds it, or other ops read it. */
function gemmWritten(gemm: GPUData, ops: readonly GPUData[]): boolean {
  const reads = ops.reduce((n, d) => n + d.pending!.inputs.filter((i) => i.data === gemm).length, 0);
  return gemm.held || gemm.readers > reads;
}

function leafIndex(leaves: Group['leaves'], input: PendingOp['inputs'][number]): number {
  return leaves.findIndex((l) => l.data === input.data && shapesEqual(l.shape, input.shape));
}

function dtypeOf(group: Group, data: GPUData) {
  for (const d of group.ops) for (const input of d.pending!.inputs) if (input.data === data) return input.dtype;
  throw new Error('unreachable: a leaf no op reads');
}
