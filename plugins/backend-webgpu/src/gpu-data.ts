import type { DType } from '@fovea/core';
import type { GemmEpilogue } from './kernels/gemm.js';

/**
 * An elementwise op recorded but not yet run (see fusion.ts): its inputs and how to compute one
 * element from their values.
 */
export interface PendingOp {
  /** Names the expression for cache keys: same name and input dtypes ⇒ same WGSL. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly inputs: readonly { readonly data: GPUData; readonly shape: readonly number[]; readonly dtype: DType }[];
  /** The WGSL value from the inputs' values. */
  readonly expr: (v: readonly string[]) => string;
  /** WGSL functions `expr` calls, one per fragment (a fused kernel includes each once). */
  readonly helpers: readonly string[];
}

/**
 * A GEMM recorded but not yet run (see fusion.ts): the elementwise ops that read its result may
 * run in its store.
 */
export interface PendingGemm {
  /** The storage it reads. */
  readonly inputs: readonly GPUData[];
  /**
   * Records it writing `outputs`: its result alone, or what `fused.epilogue` computes from it
   * (reading `fused.inputs` too).
   */
  readonly record: (outputs: readonly GPUData[], fused?: { readonly epilogue: GemmEpilogue; readonly inputs: readonly GPUData[] }) => void;
}

/**
 * A tensor's storage on the device. Every dtype takes 4 bytes an element on the GPU (bool as a
 * 0/1 u32), since WGSL storage arrays have no byte type. Storage is either a buffer or, for a
 * fusable elementwise op not run yet, `pending` (computed when something needs its values), or
 * for a GEMM not run yet, `gemm`.
 */
export class GPUData {
  /** The engine still holds it: cleared by `disposeData`. */
  held = true;
  /** Pending ops that read it; its buffer outlives the engine's hold until they have run. */
  readers = 0;
  /** A one-element tensor's value as the host wrote it: fused kernels take it as a uniform. */
  hostValue?: number;
  /** Those bytes, until a kernel binds it (then it gets a buffer). */
  unsent: Uint8Array<ArrayBuffer> | null = null;
  /** A pending float32 result to keep as f32 under f16 storage (see precision.ts). */
  wide = false;
  /** A GEMM that will write this storage when something needs it. */
  gemm: PendingGemm | null = null;

  constructor(
    public buffer: GPUBuffer | null,
    /** Elements held (the buffer may be a larger pool bucket). */
    readonly size: number,
    public pending: PendingOp | null = null,
    /** Float32 values kept as binary16 (f16 storage); set when the buffer is. */
    public half = false,
  ) {}

  /** Freed: the engine let go and no pending op or GEMM still reads it. */
  get disposed(): boolean {
    return !this.held && this.readers === 0;
  }
}
