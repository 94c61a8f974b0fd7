import { ValueError } from '@fovea/core';
import type { Binding } from './wgsl.js';

/**
 * Index checks on the GPU. A kernel cannot throw, and reading a flag back after every launch
 * would stall the queue, so kernels that take indices (`gather`, `scatterAdd`) record an
 * out-of-range one in a small buffer shared by all of them, and the next read of any tensor
 * (or `sync()`) reports it as the ValueError the js backend raises at once, as PyTorch's CUDA
 * kernels report a failed device-side check at the next synchronisation.
 */

/** The ops that check, by the code they record (0 is "no fault"). */
const OPS = ['', 'gather', 'scatterAdd'] as const;
export type CheckingOp = Exclude<(typeof OPS)[number], ''>;

/** The fault record's size: the op's code, the index, the dim and the dim's size. */
export const FAULT_BYTES = 16;

/** The binding a checking kernel declares last among its outputs. */
export const FAULT_BINDING: Binding = { name: 'faults', type: 'atomic<u32>' };

/** WGSL recording that `index` is out of range for dim `dim` (of size `size`) in `op`. */
export function faultCall(op: CheckingOp, index: string, dim: number, size: string): string {
  return `fault(${OPS.indexOf(op)}u, ${index}, ${dim}u, ${size})`;
}

/** The recording function: a later fault overwrites an earlier one's index (any one will do). */
export const FAULT_FN = `
fn fault(op: u32, index: i32, dim: u32, size: i32) {
  atomicMax(&faults[0], op);
  atomicStore(&faults[1], bitcast<u32>(index));
  atomicStore(&faults[2], dim);
  atomicStore(&faults[3], u32(size));
}`;

/** The error a fault record read back means, or null for none. */
export function faultError(record: Uint32Array): ValueError | null {
  const op = OPS[record[0]!];
  if (!op) return null;
  const index = new Int32Array(record.buffer, record.byteOffset + 4, 1)[0]!;
  return new ValueError(
    `${op}: index ${index} is out of range for dim ${record[2]} of size ${record[3]} (found on the GPU by an earlier ${op}; reported at this read)`,
  );
}
