/** The kernels module's exports (rust-kernels/kernels/src). Pointers are byte offsets. */
export interface KernelExports {
  memory?: WebAssembly.Memory;
  __stack_pointer?: WebAssembly.Global;
  fv_alloc(bytes: number): number;
  fv_free(ptr: number, bytes: number): void;
  fv_set_threads(n: number): void;
  fv_pool_generation?(): number;
  fv_worker_run?(tid: number): void;
  fv_unary_f32(op: number, x: number, y: number, n: number): number;
  fv_unary_i32(op: number, x: number, y: number, n: number): number;
  fv_binary(op: number, dtype: number, a: number, b: number, out: number, rank: number, shape: number, sa: number, sb: number): number;
  fv_where(elemBytes: number, cond: number, a: number, b: number, out: number, rank: number, shape: number, sc: number, sa: number, sb: number): number;
  fv_cast(from: number, x: number, to: number, y: number, n: number): number;
  fv_adam(ptrs: number, n: number, mode: number, decay: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, bias2: number, eps: number, stepSize: number): number;
  fv_copy_strided(elemBytes: number, src: number, dst: number, rank: number, shape: number, ss: number, ds: number): number;
  fv_fill(elemBytes: number, dst: number, n: number, bits: number): number;
  fv_gather(elemBytes: number, x: number, index: number, out: number, rank: number, ishape: number, xs: number, axis: number, axisLen: number): number;
  fv_scatter_add(dtype: number, out: number, index: number, src: number, rank: number, ishape: number, ss: number, os: number, axis: number, axisLen: number): number;
  fv_reduce(op: number, dtype: number, x: number, y: number, outer: number, len: number, inner: number): number;
  fv_argmax(dtype: number, x: number, y: number, outer: number, len: number, inner: number): number;
  fv_softmax(x: number, y: number, outer: number, len: number, inner: number, log: number): number;
  fv_batch_matmul(a: number, b: number, c: number, batch: number, m: number, n: number, k: number, ta: number, tb: number): number;
  fv_conv2d(x: number, w: number, bias: number, residual: number, y: number, geometry: number, activation: number): number;
  fv_conv2d_backprop_input(dy: number, w: number, dx: number, geometry: number): number;
  fv_conv2d_backprop_filter(x: number, dy: number, dw: number, geometry: number): number;
  fv_max_pool2d(x: number, y: number, geometry: number): number;
  fv_avg_pool2d(x: number, y: number, geometry: number, countIncludePad: number): number;
  fv_max_pool2d_grad(dy: number, x: number, dx: number, geometry: number): number;
  fv_avg_pool2d_grad(dy: number, dx: number, geometry: number, countIncludePad: number): number;
}

/** Status codes the kernels return. */
export const STATUS = { ok: 0, outOfMemory: 1, indexOutOfRange: 2, badCode: 3 } as const;
