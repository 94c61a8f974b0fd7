/**
 * Single-precision GEMM, C += op(A)·op(B), in the BLIS style: B is packed a KC×NC block at a time
 * into NR-wide column panels, A an MC×KC block at a time into MR-tall row panels, and a 4×4
 * register-tile micro-kernel walks the packed panels contiguously. Packing absorbs the transpose
 * flags and the leading dimensions, and zero-pads partial panels so the micro-kernel has no edge
 * cases. Block sizes keep a packed A block (64 KiB) in L2 and one B panel (4 KiB) in L1.
 */

/** A row-major matrix view into a larger array: element (r, c) is `data[offset + r*stride + c]`. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly stride: number;
}

/** An operand, optionally read transposed (then it is stored as op's columns × rows). */
export interface GemmOperand extends MatrixView {
  readonly transpose: boolean;
}

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

// Scratch for packed panels, reused across calls: JS runs one kernel at a time.
const packedA = new Float32Array(MC * KC);
const packedB = new Float32Array(KC * NC);
const edgeTile = new Float64Array(MR * NR);

/** C[m×n] += op(A)[m×k] · op(B)[k×n]. */
export function gemm(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: MatrixView): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (m < MR) return thinGemm(m, n, k, a, b, c);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packPanels(b, p0, j0, kc, nc, NR, packedB, true);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packPanels(a, i0, p0, mc, kc, MR, packedA, false);
        multiplyBlock(mc, nc, kc, c, c.offset + i0 * c.stride + j0);
      }
    }
  }
}

/**
 * Packs a rows×cols block of op(X) starting at (r0, c0) into panels `width` wide along the
 * panel dimension (columns of B, rows of A), each stored k-major: panel[p*width + w].
 */
function packPanels(x: GemmOperand, r0: number, c0: number, rows: number, cols: number, width: number, into: Float32Array, byColumn: boolean): void {
  const rs = x.transpose ? 1 : x.stride;
  const cs = x.transpose ? x.stride : 1;
  const data = x.data;
  const base = x.offset + r0 * rs + c0 * cs;
  // Along the panel dimension (`span` long) panels are cut; along the other (`depth`) each is laid out.
  const span = byColumn ? cols : rows;
  const depth = byColumn ? rows : cols;
  const spanStride = byColumn ? cs : rs;
  const depthStride = byColumn ? rs : cs;
  for (let s0 = 0; s0 < span; s0 += width) {
    const out = s0 * depth;
    const live = Math.min(width, span - s0);
    for (let p = 0; p < depth; p++) {
      const src = base + p * depthStride + s0 * spanStride;
      const dst = out + p * width;
      for (let w = 0; w < live; w++) into[dst + w] = data[src + w * spanStride]!;
      for (let w = live; w < width; w++) into[dst + w] = 0;
    }
  }
}

/** All MR×NR tiles of one packed A block against the packed B block. */
function multiplyBlock(mc: number, nc: number, kc: number, c: MatrixView, cBase: number): void {
  const ldc = c.stride;
  for (let j = 0; j < nc; j += NR) {
    for (let i = 0; i < mc; i += MR) {
      const at = cBase + i * ldc + j;
      if (i + MR <= mc && j + NR <= nc) microKernel(kc, i * kc, j * kc, c.data, at, ldc);
      else edgeKernel(kc, i * kc, j * kc, c.data, at, ldc, Math.min(MR, mc - i), Math.min(NR, nc - j));
    }
  }
}

/**
 * One 4×4 tile of C: sixteen scalar accumulators stay in registers (as doubles) while k runs,
 * so each step loads 8 values for 16 multiply-adds. Written out by hand because V8 keeps locals,
 * not array elements, in registers.
 */
function microKernel(kc: number, ai: number, bi: number, cd: Float32Array | Float64Array, at: number, ldc: number): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
    const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  cd[at] += c00; cd[at + 1] += c01; cd[at + 2] += c02; cd[at + 3] += c03;
  at += ldc;
  cd[at] += c10; cd[at + 1] += c11; cd[at + 2] += c12; cd[at + 3] += c13;
  at += ldc;
  cd[at] += c20; cd[at + 1] += c21; cd[at + 2] += c22; cd[at + 3] += c23;
  at += ldc;
  cd[at] += c30; cd[at + 1] += c31; cd[at + 2] += c32; cd[at + 3] += c33;
}

/** A partial tile at the right or bottom edge: the full tile goes to scratch, the live part to C. */
function edgeKernel(kc: number, ai: number, bi: number, cd: Float32Array, at: number, ldc: number, rows: number, cols: number): void {
  edgeTile.fill(0);
  microKernel(kc, ai, bi, edgeTile, 0, NR);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < cols; s++) cd[at + r * ldc + s] += edgeTile[r * NR + s]!;
  }
}

/**
 * Fewer rows than a register tile (a batch-1 linear layer, a depthwise conv's one filter per
 * group): padded tiles would waste most of their work, so each row is done directly, streaming B
 * along whichever dimension it stores contiguously.
 */
function thinGemm(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: MatrixView): void {
  const ars = a.transpose ? 1 : a.stride;
  const acs = a.transpose ? a.stride : 1;
  const ad = a.data;
  const bd = b.data;
  const cd = c.data;
  for (let i = 0; i < m; i++) {
    const ai = a.offset + i * ars;
    const ci = c.offset + i * c.stride;
    if (b.transpose) {
      // B's columns are contiguous: each entry of the C row is one dot product.
      for (let j = 0; j < n; j++) {
        const bj = b.offset + j * b.stride;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += ad[ai + p * acs]! * bd[bj + p]!;
        cd[ci + j] += sum;
      }
    } else {
      // B's rows are contiguous: the C row gathers a(i, p) times row p of B.
      for (let p = 0; p < k; p++) {
        const s = ad[ai + p * acs]!;
        const bp = b.offset + p * b.stride;
        for (let j = 0; j < n; j++) cd[ci + j] += s * bd[bp + j]!;
      }
    }
  }
}
