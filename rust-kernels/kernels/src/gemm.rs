//! Packed, register-blocked f32 GEMM: C[b] (+)= A[b] · B[b] for a batch of products.
//!
//! Goto-style blocking. The output is cut into tiles of a run of rows × up to NC_MAX columns;
//! each tile is one task for the thread pool and owns its part of C, so tasks never synchronise.
//! Inside a tile, depth is consumed KC at a time: the tile's KC×NC block of B is packed once into
//! NR-column panels, then for each MC-row block of A (packed into MR-row panels, kept in L2) the
//! MR×NR micro-kernel walks the A panels against each B panel (kept in L1), holding its MR×NR
//! accumulators in SIMD registers. When a product has several column tiles, A is packed once for
//! all of them before the tiles start, instead of by every tile. Rows are only split between
//! tasks when there are too few column tiles to keep every thread busy; B is then packed once up
//! front for all the row chunks (else each chunk would pack the same im2col panels again). Column
//! tiles share out the NR-column panels evenly, and their count is rounded so that every thread
//! gets as many. The epilogue (bias, residual, activation) is applied as the last depth block of
//! each MR×NR block is stored, while it is still in registers.
//!
//! Operands are read through the `PackA` / `PackB` traits, so convolution can feed im2col
//! patches straight into the packed panels without materialising the column matrix.

use crate::heap;
use crate::pool;
use crate::simd::F4;

/// Rows of the micro-kernel (A values broadcast per k).
pub const MR: usize = 4;
/// Columns of the micro-kernel: two f32x4 vectors.
pub const NR: usize = 8;
/// Depth of one packed block.
pub const KC: usize = 256;
/// Rows of one tile; a multiple of MR.
pub const MC: usize = 128;
/// Widest tile.
pub const NC_MAX: usize = 256;

/// Source of A: packs rows `i0..i0+rows` (≤ MC) and depths `k0..k0+kc` of product `b` into
/// `ceil(rows/MR)` panels of `kc × MR` (k-major), zero-filling rows past `rows`.
pub trait PackA: Sync {
    fn pack_a(&self, b: usize, i0: usize, rows: usize, k0: usize, kc: usize, dst: &mut [f32]);
    /// Whether every product has the same A (a broadcast operand, like a conv's weights over the
    /// images): when A is packed up front, it is then packed once rather than per product.
    fn same_for_all_products(&self) -> bool {
        false
    }
}

/// Source of B: packs columns `j0..j0+cols` (≤ NC_MAX) and depths `k0..k0+kc` of product `b`
/// into `ceil(cols/NR)` panels of `kc × NR` (k-major), zero-filling columns past `cols`.
pub trait PackB: Sync {
    fn pack_b(&self, b: usize, k0: usize, kc: usize, j0: usize, cols: usize, dst: &mut [f32]);
}

/// Calls `panel(j0, cols, dst)` for each NR-column panel of a B block, for sources that pack
/// one panel at a time.
pub fn for_each_panel(j0: usize, cols: usize, kc: usize, dst: &mut [f32], mut panel: impl FnMut(usize, usize, &mut [f32])) {
    for (p, out) in dst.chunks_mut(kc * NR).take((cols + NR - 1) / NR).enumerate() {
        panel(j0 + p * NR, (cols - p * NR).min(NR), out);
    }
}

/// Where column `j` of depth row `k` goes in a packed block of depth `kc`.
#[inline(always)]
pub fn packed_index(k: usize, j: usize, kc: usize) -> usize {
    (j / NR * kc + k) * NR + j % NR
}

/// A dense matrix per product: element (i, j) of product b is at `ptr[b*batch + i*rows + j*cols]`.
/// Transposes are just swapped strides.
#[derive(Clone, Copy)]
pub struct Strided {
    pub ptr: *const f32,
    pub batch: isize,
    pub rows: isize,
    pub cols: isize,
}
unsafe impl Sync for Strided {}

impl PackA for Strided {
    fn pack_a(&self, b: usize, i0: usize, rows: usize, k0: usize, kc: usize, dst: &mut [f32]) {
        let base = unsafe { self.ptr.offset(b as isize * self.batch + k0 as isize * self.cols) };
        for (p, panel) in dst.chunks_mut(kc * MR).take((rows + MR - 1) / MR).enumerate() {
            let src = unsafe { base.offset((i0 + p * MR) as isize * self.rows) };
            unsafe { pack_panel::<MR>(src, self.rows, self.cols, (rows - p * MR).min(MR), kc, panel) };
        }
    }
    fn same_for_all_products(&self) -> bool {
        self.batch == 0
    }
}

impl PackB for Strided {
    fn pack_b(&self, b: usize, k0: usize, kc: usize, j0: usize, cols: usize, dst: &mut [f32]) {
        let base = unsafe { self.ptr.offset(b as isize * self.batch + k0 as isize * self.rows) };
        for_each_panel(j0, cols, kc, dst, |j0, cols, panel| unsafe {
            pack_panel::<NR>(base.offset(j0 as isize * self.cols), self.cols, self.rows, cols, kc, panel)
        });
    }
}

/// Packs `kc` depths of `W` lanes k-major (`dst[k*W + l]`) from a source holding lane l at
/// depth k at `src[l*ls + k*ks]`, zero-filling lanes from `valid` on. Vector copies when lanes
/// are contiguous, 4×4 transposes when depths are (a row-major A, a transposed B).
unsafe fn pack_panel<const W: usize>(src: *const f32, ls: isize, ks: isize, valid: usize, kc: usize, dst: &mut [f32]) {
    assert!(dst.len() >= kc * W);
    let out = dst.as_mut_ptr();
    let mut k = 0;
    if valid == W && ls == 1 {
        for k in 0..kc {
            (0..W / 4).for_each(|v| F4::load(src.offset(k as isize * ks + 4 * v as isize)).store(out.add(k * W + 4 * v)));
        }
        return;
    }
    if valid == W && ks == 1 {
        while k + 4 <= kc {
            for v in 0..W / 4 {
                let rows = [0, 1, 2, 3].map(|r| F4::load(src.offset((4 * v + r) as isize * ls + k as isize)));
                for (q, col) in F4::transpose4(rows).iter().enumerate() {
                    col.store(out.add((k + q) * W + 4 * v));
                }
            }
            k += 4;
        }
    }
    for k in k..kc {
        for l in 0..W {
            *out.add(k * W + l) = if l < valid { *src.offset(l as isize * ls + k as isize * ks) } else { 0.0 };
        }
    }
}

/// Where C lives: element (i, j) of product b is at `ptr[b*batch + i*ld + j]`.
#[derive(Clone, Copy)]
pub struct Out {
    pub ptr: *mut f32,
    pub batch: usize,
    pub ld: usize,
}
unsafe impl Sync for Out {}

#[derive(Clone, Copy)]
pub struct Dims {
    pub batch: usize,
    pub m: usize,
    pub n: usize,
    pub k: usize,
}

#[derive(Clone, Copy, PartialEq)]
#[repr(u32)]
pub enum Act {
    None = 0,
    Relu = 1,
}

/// Applied to each finished tile of C while it is still in cache:
/// `C = act(A·B (+ old C) + row_bias[i] + col_bias[j] + residual[i, j])`.
#[derive(Clone, Copy)]
pub struct Epilogue {
    /// Added per output row (conv: per output channel); null = none.
    pub row_bias: *const f32,
    /// Added per output column (linear layers); null = none.
    pub col_bias: *const f32,
    /// Added elementwise, laid out exactly like C (same batch stride, ld); null = none.
    pub residual: *const f32,
    pub act: Act,
}
unsafe impl Sync for Epilogue {}

impl Epilogue {
    pub const NONE: Epilogue = Epilogue { row_bias: core::ptr::null(), col_bias: core::ptr::null(), residual: core::ptr::null(), act: Act::None };

    /// The same epilogue with its pointers moved to element (i, j) of product b.
    fn at(&self, c: Out, b: usize, i: usize, j: usize) -> Epilogue {
        let shift = |p: *const f32, by: usize| if p.is_null() { p } else { unsafe { p.add(by) } };
        Epilogue {
            row_bias: shift(self.row_bias, i),
            col_bias: shift(self.col_bias, j),
            residual: shift(self.residual, b * c.batch + i * c.ld + j),
            act: self.act,
        }
    }

    /// Finishes element (r, j) of a positioned epilogue (residual rows `ld` apart).
    #[inline(always)]
    unsafe fn scalar(&self, mut v: f32, r: usize, j: usize, ld: usize) -> f32 {
        if !self.row_bias.is_null() {
            v += *self.row_bias.add(r);
        }
        if !self.col_bias.is_null() {
            v += *self.col_bias.add(j);
        }
        if !self.residual.is_null() {
            v += *self.residual.add(r * ld + j);
        }
        if self.act == Act::Relu {
            v = crate::simd::max_nan(v, 0.0);
        }
        v
    }
}

#[derive(Clone, Copy)]
struct Shared(*mut f32);
unsafe impl Sync for Shared {}

impl Shared {
    /// A method call makes closures capture the (Sync) wrapper, not the raw pointer field.
    fn at(&self, offset: usize) -> *mut f32 {
        unsafe { self.0.add(offset) }
    }
}

const SCRATCH_PER_THREAD: usize = MC * KC + KC * NC_MAX;
/// Largest A (in floats, all products) packed once up front and shared by every tile; a larger
/// one is packed by each tile that uses it.
const SHARED_A_MAX: usize = 4 << 20;
/// The same for B, packed up front when several row chunks use each of its blocks.
const SHARED_B_MAX: usize = 4 << 20;
/// Values of A worth a pool task of their own when packing it up front.
const PACK_GRAIN: usize = 64 << 10;

/// How the output is cut into tasks: `row_chunks` runs of rows × `col_tiles` column tiles, the
/// `panels` NR-column panels shared out evenly between the column tiles.
#[derive(Clone, Copy)]
struct Grid {
    panels: usize,
    col_tiles: usize,
    row_chunk: usize,
    row_chunks: usize,
}

impl Grid {
    /// First column and width of column tile `jt` (of product width `n`).
    fn cols(&self, jt: usize, n: usize) -> (usize, usize) {
        let (p0, p1) = (jt * self.panels / self.col_tiles, (jt + 1) * self.panels / self.col_tiles);
        (p0 * NR, (p1 * NR).min(n) - p0 * NR)
    }
}

/// Column tiles as wide as possible (fewer A packs) while leaving ~4 tasks per thread, and as
/// many for every thread when that keeps them ≥ 64 columns wide (196 columns on 2 threads: 4
/// tiles of 6-7 panels, not 56+56+56+28; 3136: 14 tiles, not 13); rows are split only when the
/// column tiles alone cannot occupy every thread twice.
fn plan(d: Dims, threads: usize) -> Grid {
    let want = 4 * threads;
    let per_batch = (want + d.batch - 1) / d.batch;
    let width = round_up((d.n + per_batch - 1) / per_batch, NR);
    let min_width = 64.min(round_up(d.n, NR));
    let nc = width.clamp(min_width, NC_MAX);
    let panels = (d.n + NR - 1) / NR;
    let mut col_tiles = (d.n + nc - 1) / nc;
    let balanced = (col_tiles..col_tiles + threads).find(|&t| d.batch * t % threads == 0).unwrap_or(col_tiles);
    if (panels + balanced - 1) / balanced * NR >= min_width {
        col_tiles = balanced;
    }
    let tiles = d.batch * col_tiles;
    let splits = if threads > 1 && tiles < 2 * threads { (2 * threads + tiles - 1) / tiles } else { 1 };
    let row_chunk = round_up((d.m + splits - 1) / splits, MR);
    Grid { panels, col_tiles, row_chunk, row_chunks: (d.m + row_chunk - 1) / row_chunk }
}

/// C = A·B (or C += A·B when `accumulate`), spread over the pool. Returns false when scratch
/// memory could not be allocated (nothing was written then).
pub fn gemm<A: PackA, B: PackB>(d: Dims, a: &A, b: &B, c: Out, accumulate: bool) -> bool {
    gemm_with(d, a, b, c, accumulate, Epilogue::NONE)
}

/// `gemm`, then `epi` applied to every element of C as its tile is finished.
pub fn gemm_with<A: PackA, B: PackB>(d: Dims, a: &A, b: &B, c: Out, accumulate: bool, epi: Epilogue) -> bool {
    gemm_planned(d, a, b, c, accumulate, epi, pool::threads())
}

/// `gemm_with` on tiles planned for `plan_threads` (tests plan for more threads than the native
/// pool runs).
fn gemm_planned<A: PackA, B: PackB>(d: Dims, a: &A, b: &B, c: Out, accumulate: bool, epi: Epilogue, plan_threads: usize) -> bool {
    if d.batch == 0 || d.m == 0 || d.n == 0 {
        return true;
    }
    if d.k == 0 {
        for bi in 0..d.batch {
            let e = epi.at(c, bi, 0, 0);
            for i in 0..d.m {
                let row = unsafe { c.ptr.add(bi * c.batch + i * c.ld) };
                (0..d.n).for_each(|j| unsafe { *row.add(j) = e.scalar(if accumulate { *row.add(j) } else { 0.0 }, i, j, c.ld) });
            }
        }
        return true;
    }
    let threads = pool::threads();
    let g = plan(d, plan_threads);
    // With several column tiles per product (or products sharing A), each tile would pack the
    // same A blocks again.
    let a_products = if a.same_for_all_products() { 1 } else { d.batch };
    let a_len = a_products.saturating_mul(round_up(d.m, MR)).saturating_mul(d.k);
    let a_len = if (g.col_tiles > 1 || a_products < d.batch) && a_len <= SHARED_A_MAX { a_len } else { 0 };
    // Likewise B, when several row chunks use each of its blocks.
    let b_len = d.batch.saturating_mul(g.panels * NR).saturating_mul(d.k);
    let b_len = if g.row_chunks > 1 && b_len <= SHARED_B_MAX { b_len } else { 0 };
    let mut scratch = match heap::scratch(SCRATCH_PER_THREAD * threads + a_len + b_len) {
        Some(s) => s,
        None => return false,
    };
    let (own, shared) = scratch.split_at_mut(SCRATCH_PER_THREAD * threads);
    let (packed_a, packed_b) = shared.split_at_mut(a_len);
    let or_null = |len: usize, s: &mut [f32]| Shared(if len > 0 { s.as_mut_ptr() } else { core::ptr::null_mut() });
    let job = Job { d, g, a, b, c, accumulate, epi, packed_a: or_null(a_len, packed_a), a_products, packed_b: or_null(b_len, packed_b) };
    if a_len > 0 {
        job.pack_all_a();
    }
    if b_len > 0 {
        job.pack_all_b();
    }
    let own = Shared(own.as_mut_ptr());
    let per_batch = g.row_chunks * g.col_tiles;
    pool::run(d.batch * per_batch, &|t, tid| {
        let (bi, rest) = (t / per_batch, t % per_batch);
        let (ic, jt) = (rest / g.col_tiles, rest % g.col_tiles);
        let i0 = ic * g.row_chunk;
        let (j0, cols) = g.cols(jt, d.n);
        // Safety: each thread owns its own SCRATCH_PER_THREAD slice.
        let s = unsafe { core::slice::from_raw_parts_mut(own.at(tid * SCRATCH_PER_THREAD), SCRATCH_PER_THREAD) };
        let (apack, bpack) = s.split_at_mut(MC * KC);
        job.tile(Tile { b: bi, i0, rows: (d.m - i0).min(g.row_chunk), j0, cols }, apack, bpack);
    });
    drop(scratch);
    true
}

fn round_up(x: usize, to: usize) -> usize {
    (x + to - 1) / to * to
}

#[derive(Clone, Copy)]
struct Tile {
    b: usize,
    i0: usize,
    rows: usize,
    j0: usize,
    cols: usize,
}

/// One GEMM call as the tasks see it.
struct Job<'a, A, B> {
    d: Dims,
    g: Grid,
    a: &'a A,
    b: &'a B,
    c: Out,
    accumulate: bool,
    epi: Epilogue,
    /// A packed once for all tiles (null: each tile packs its own): product by product, depth
    /// block by depth block, the `kc × MR` panels of every row, so the block of rows i0.. at
    /// depth k0 starts at `b·Mp·K + k0·Mp + i0·kc` (Mp = M rounded up to MR).
    packed_a: Shared,
    /// Products with their own A in `packed_a`: 1 when all share it, else the batch.
    a_products: usize,
    /// B packed once for all row chunks (null: each tile packs its own): product by product,
    /// depth block by depth block, the `kc × NR` panels of every column, so the block of columns
    /// j0.. (a multiple of NR) at depth k0 starts at `b·Np·K + k0·Np + j0·kc` (Np = the panels' width).
    packed_b: Shared,
}

impl<'a, A: PackA, B: PackB> Job<'a, A, B> {
    fn packed_a_at(&self, b: usize, i0: usize, k0: usize, kc: usize) -> *mut f32 {
        let mp = round_up(self.d.m, MR);
        self.packed_a.at(b % self.a_products * mp * self.d.k + k0 * mp + i0 * kc)
    }

    /// Fills `packed_a`, a task per product and depth block, or a few such blocks when they are
    /// small (waking the pool costs more than packing a few thousand values).
    fn pack_all_a(&self) {
        let (d, kblocks) = (self.d, (self.d.k + KC - 1) / KC);
        let grain = PACK_GRAIN / (round_up(d.m, MR) * KC) + 1;
        pool::for_range(self.a_products * kblocks, grain, &|start, end| {
            for t in start..end {
                let (b, k0) = (t / kblocks, t % kblocks * KC);
                let kc = (d.k - k0).min(KC);
                // Safety: each task writes its own depth blocks of its own products.
                let dst = unsafe { core::slice::from_raw_parts_mut(self.packed_a_at(b, 0, k0, kc), round_up(d.m, MR) * kc) };
                let mut i0 = 0;
                while i0 < d.m {
                    let rows = (d.m - i0).min(MC);
                    self.a.pack_a(b, i0, rows, k0, kc, &mut dst[i0 * kc..]);
                    i0 += rows;
                }
            }
        });
    }

    fn packed_b_at(&self, b: usize, j0: usize, k0: usize, kc: usize) -> *mut f32 {
        let np = self.g.panels * NR;
        self.packed_b.at(b * np * self.d.k + k0 * np + j0 * kc)
    }

    /// Fills `packed_b`, a task per product, depth block and column tile (the tiles' B blocks).
    fn pack_all_b(&self) {
        let (d, g, kblocks) = (self.d, self.g, (self.d.k + KC - 1) / KC);
        pool::for_range(d.batch * kblocks * g.col_tiles, 1, &|start, end| {
            for t in start..end {
                let (b, rest) = (t / (kblocks * g.col_tiles), t % (kblocks * g.col_tiles));
                let (k0, (j0, cols)) = (rest / g.col_tiles * KC, g.cols(rest % g.col_tiles, d.n));
                let kc = (d.k - k0).min(KC);
                // Safety: each task writes its own block.
                let dst = unsafe { core::slice::from_raw_parts_mut(self.packed_b_at(b, j0, k0, kc), round_up(cols, NR) * kc) };
                self.b.pack_b(b, k0, kc, j0, cols, dst);
            }
        });
    }

    /// The packed `kc × cols` block of B at (k0, j0): from `packed_b`, or packed into `scratch`.
    fn b_block<'s>(&self, b: usize, k0: usize, kc: usize, j0: usize, cols: usize, scratch: &'s mut [f32]) -> &'s [f32] {
        if self.packed_b.0.is_null() {
            self.b.pack_b(b, k0, kc, j0, cols, scratch);
            return scratch;
        }
        // Safety: packed_b is complete and read-only while tiles run.
        unsafe { core::slice::from_raw_parts(self.packed_b_at(b, j0, k0, kc), round_up(cols, NR) * kc) }
    }

    /// The packed `rows × kc` block of A at (i0, k0): from `packed_a`, or packed into `scratch`.
    fn a_block<'s>(&self, b: usize, i0: usize, rows: usize, k0: usize, kc: usize, scratch: &'s mut [f32]) -> &'s [f32] {
        if self.packed_a.0.is_null() {
            self.a.pack_a(b, i0, rows, k0, kc, scratch);
            return scratch;
        }
        // Safety: packed_a is complete and read-only while tiles run.
        unsafe { core::slice::from_raw_parts(self.packed_a_at(b, i0, k0, kc), round_up(rows, MR) * kc) }
    }

    fn tile(&self, t: Tile, apack: &mut [f32], bpack: &mut [f32]) {
        let (d, c) = (self.d, self.c);
        let mut k0 = 0;
        while k0 < d.k {
            let kc = (d.k - k0).min(KC);
            let acc = self.accumulate || k0 > 0;
            let last = k0 + kc == d.k;
            let bblock = self.b_block(t.b, k0, kc, t.j0, t.cols, bpack);
            let mut i0 = t.i0;
            while i0 < t.i0 + t.rows {
                let rows = (t.i0 + t.rows - i0).min(MC);
                let ablock = self.a_block(t.b, i0, rows, k0, kc, apack);
                for (jp, bpanel) in bblock.chunks(kc * NR).take((t.cols + NR - 1) / NR).enumerate() {
                    let j = t.j0 + jp * NR;
                    let cols = (t.cols - jp * NR).min(NR);
                    for (ip, apanel) in ablock.chunks(kc * MR).take((rows + MR - 1) / MR).enumerate() {
                        let i = i0 + ip * MR;
                        let cptr = unsafe { c.ptr.add(t.b * c.batch + i * c.ld + j) };
                        let r = (rows - ip * MR).min(MR);
                        let e = if last { self.epi.at(c, t.b, i, j) } else { Epilogue::NONE };
                        unsafe {
                            let acc_regs = micro_kernel(kc, apanel.as_ptr(), bpanel.as_ptr());
                            store(&acc_regs, cptr, c.ld, r, cols, acc, &e);
                        }
                    }
                }
                i0 += rows;
            }
            k0 += kc;
        }
    }
}

/// An MR×NR block of C as two vectors per row.
type Block = [[F4; 2]; MR];

/// The MR×NR register block: 2·MR accumulators, two B vectors and one broadcast A value live
/// in registers across the whole depth loop.
#[inline(always)]
unsafe fn micro_kernel(kc: usize, a: *const f32, b: *const f32) -> Block {
    let mut acc = [[F4::zero(); 2]; MR];
    let (mut a, mut b) = (a, b);
    for _ in 0..kc {
        let b0 = F4::load(b);
        let b1 = F4::load(b.add(4));
        for (r, row) in acc.iter_mut().enumerate() {
            let av = F4::splat(*a.add(r));
            row[0] = row[0] + av * b0;
            row[1] = row[1] + av * b1;
        }
        a = a.add(MR);
        b = b.add(NR);
    }
    acc
}

/// Writes the valid `rows × cols` of a block to C, adding the old C when `accumulate`, then
/// the (positioned) epilogue.
#[inline(always)]
unsafe fn store(acc: &Block, c: *mut f32, ldc: usize, rows: usize, cols: usize, accumulate: bool, e: &Epilogue) {
    if rows == MR && cols == NR {
        let col_bias = if e.col_bias.is_null() { None } else { Some([F4::load(e.col_bias), F4::load(e.col_bias.add(4))]) };
        for (r, v) in acc.iter().enumerate() {
            let row = c.add(r * ldc);
            for (h, &x) in v.iter().enumerate() {
                let mut x = x;
                if accumulate {
                    x = x + F4::load(row.add(4 * h));
                }
                if !e.row_bias.is_null() {
                    x = x + F4::splat(*e.row_bias.add(r));
                }
                if let Some(cb) = col_bias {
                    x = x + cb[h];
                }
                if !e.residual.is_null() {
                    x = x + F4::load(e.residual.add(r * ldc + 4 * h));
                }
                if e.act == Act::Relu {
                    x = x.max(F4::zero());
                }
                x.store(row.add(4 * h));
            }
        }
        return;
    }
    // Edge block: spill to a buffer and finish the valid part element by element.
    let mut buf = [0f32; MR * NR];
    for (r, v) in acc.iter().enumerate() {
        v[0].store(buf.as_mut_ptr().add(r * NR));
        v[1].store(buf.as_mut_ptr().add(r * NR + 4));
    }
    for r in 0..rows {
        let row = c.add(r * ldc);
        for j in 0..cols {
            let v = buf[r * NR + j] + if accumulate { *row.add(j) } else { 0.0 };
            *row.add(j) = e.scalar(v, r, j, ldc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::values;

    fn naive(m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    #[test]
    fn matches_naive_on_ragged_shapes() {
        for &(m, n, k) in &[(1, 1, 1), (5, 9, 3), (130, 70, 300), (4, 8, 0), (33, 520, 17)] {
            let a = values(m * k, 1);
            let b = values(k * n, 2);
            let mut c = vec![7.0; m * n];
            let d = Dims { batch: 1, m, n, k };
            let sa = Strided { ptr: a.as_ptr(), batch: 0, rows: k as isize, cols: 1 };
            let sb = Strided { ptr: b.as_ptr(), batch: 0, rows: n as isize, cols: 1 };
            assert!(gemm(d, &sa, &sb, Out { ptr: c.as_mut_ptr(), batch: 0, ld: n }, false));
            let want = naive(m, n, k, &a, &b);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - y).abs() < 1e-4, "{m}x{n}x{k}: {x} vs {y}");
            }
        }
    }

    #[test]
    fn transposed_operands_and_accumulation() {
        // Small, then several column tiles (A packed once for all) and depth blocks.
        for &(m, n, k) in &[(7, 11, 13), (37, 70, 300)] {
            let at = values(k * m, 3); // A stored as [k][m]
            let bt = values(n * k, 4); // B stored as [n][k]
            let a: Vec<f32> = (0..m * k).map(|x| at[(x % k) * m + x / k]).collect();
            let b: Vec<f32> = (0..k * n).map(|x| bt[(x % n) * k + x / n]).collect();
            let mut c = vec![1.0; m * n];
            let d = Dims { batch: 1, m, n, k };
            let sa = Strided { ptr: at.as_ptr(), batch: 0, rows: 1, cols: m as isize };
            let sb = Strided { ptr: bt.as_ptr(), batch: 0, rows: 1, cols: k as isize };
            assert!(gemm(d, &sa, &sb, Out { ptr: c.as_mut_ptr(), batch: 0, ld: n }, true));
            for (x, y) in c.iter().zip(naive(m, n, k, &a, &b)) {
                assert!((x - (y + 1.0)).abs() < 1e-4, "{m}x{n}x{k}: {x} vs {}", y + 1.0);
            }
        }
    }

    #[test]
    fn one_a_shared_by_every_product() {
        // A's batch stride 0 (a conv's weights over its images): packed once up front.
        for &(batch, m, n, k) in &[(3, 5, 9, 3), (3, 37, 70, 300)] {
            let a = values(m * k, 11);
            let b = values(batch * k * n, 12);
            let mut c = vec![0.0; batch * m * n];
            let sa = Strided { ptr: a.as_ptr(), batch: 0, rows: k as isize, cols: 1 };
            let sb = Strided { ptr: b.as_ptr(), batch: (k * n) as isize, rows: n as isize, cols: 1 };
            assert!(gemm(Dims { batch, m, n, k }, &sa, &sb, Out { ptr: c.as_mut_ptr(), batch: m * n, ld: n }, false));
            for bi in 0..batch {
                let want = naive(m, n, k, &a, &b[bi * k * n..]);
                for (x, y) in c[bi * m * n..(bi + 1) * m * n].iter().zip(&want) {
                    assert!((x - y).abs() < 1e-4, "{batch}x{m}x{n}x{k} product {bi}: {x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn plans_share_panels_evenly_between_threads() {
        // (batch, m, n, threads, column tiles, row chunks): 3136 and 12544 columns round up to
        // a tile count every thread gets as many of; 169 keeps ≥ 64-wide tiles and splits rows.
        for &(batch, m, n, threads, tiles, chunks) in &[(1, 64, 3136, 2, 14, 1), (1, 64, 12544, 2, 50, 1), (1, 256, 196, 2, 4, 1), (1, 1000, 169, 2, 3, 2), (1, 512, 49, 2, 1, 4), (64, 32, 1024, 2, 4, 1), (1, 9, 5, 1, 1, 1)] {
            let g = plan(Dims { batch, m, n, k: 1 }, threads);
            assert_eq!((g.col_tiles, g.row_chunks), (tiles, chunks), "{batch}x{m}x{n} on {threads}");
            let (mut next, mut widths) = (0, vec![]);
            for jt in 0..g.col_tiles {
                let (j0, cols) = g.cols(jt, n);
                assert_eq!(j0, next, "{n}: tile {jt}");
                next += cols;
                widths.push(cols);
            }
            assert_eq!(next, n);
            let (widest, narrowest) = (*widths.iter().max().unwrap(), *widths.iter().min().unwrap());
            // One panel apart, and the last one ragged.
            assert!(widest <= NC_MAX && widest - narrowest < 2 * NR, "{n}: {widths:?}");
        }
    }

    #[test]
    fn tiles_planned_for_several_threads() {
        // Row chunks with B packed once for all of them (n ≤ 64), balanced column tiles, several
        // depth blocks, batches, and A shared by the products, as planned for 2 and 3 threads.
        for &(batch, m, n, k, shared_a) in &[(1, 130, 49, 300, true), (1, 37, 196, 70, true), (2, 61, 30, 260, false), (3, 8, 9, 5, true)] {
            for threads in [2, 3] {
                let a = values(if shared_a { m * k } else { batch * m * k }, 13);
                let b = values(batch * k * n, 14);
                let mut c = vec![0.0; batch * m * n];
                let sa = Strided { ptr: a.as_ptr(), batch: if shared_a { 0 } else { (m * k) as isize }, rows: k as isize, cols: 1 };
                let sb = Strided { ptr: b.as_ptr(), batch: (k * n) as isize, rows: n as isize, cols: 1 };
                let d = Dims { batch, m, n, k };
                assert!(gemm_planned(d, &sa, &sb, Out { ptr: c.as_mut_ptr(), batch: m * n, ld: n }, false, Epilogue::NONE, threads));
                for bi in 0..batch {
                    let want = naive(m, n, k, &a[if shared_a { 0 } else { bi * m * k }..], &b[bi * k * n..]);
                    for (x, y) in c[bi * m * n..(bi + 1) * m * n].iter().zip(&want) {
                        assert!((x - y).abs() < 1e-4, "{batch}x{m}x{n}x{k} on {threads}, product {bi}: {x} vs {y}");
                    }
                }
            }
        }
    }

    /// One epilogue case: which parts are present.
    #[derive(Clone, Copy, Debug)]
    struct Case {
        row: bool,
        col: bool,
        residual: bool,
        relu: bool,
        accumulate: bool,
    }

    /// gemm_with against a naive product + epilogue, with C and the residual in a padded
    /// layout (ld > n, batch stride > m·ld) so offsets are exercised.
    fn check_epilogue(batch: usize, m: usize, n: usize, k: usize, e: Case) {
        let (ld, cb) = (n + 2, m * (n + 2) + 5);
        let a = values(batch * m * k, 5);
        let b = values(batch * k * n, 6);
        let row_bias = values(m, 7);
        let col_bias = values(n, 8);
        let residual = values(batch * cb, 9);
        let old = values(batch * cb, 10);
        let mut c = old.clone();
        let d = Dims { batch, m, n, k };
        let sa = Strided { ptr: a.as_ptr(), batch: (m * k) as isize, rows: k as isize, cols: 1 };
        let sb = Strided { ptr: b.as_ptr(), batch: (k * n) as isize, rows: n as isize, cols: 1 };
        let pick = |on: bool, v: &[f32]| if on { v.as_ptr() } else { core::ptr::null() };
        let epi = Epilogue {
            row_bias: pick(e.row, &row_bias),
            col_bias: pick(e.col, &col_bias),
            residual: pick(e.residual, &residual),
            act: if e.relu { Act::Relu } else { Act::None },
        };
        assert!(gemm_with(d, &sa, &sb, Out { ptr: c.as_mut_ptr(), batch: cb, ld }, e.accumulate, epi));
        for bi in 0..batch {
            let prod = naive(m, n, k, &a[bi * m * k..], &b[bi * k * n..]);
            for i in 0..m {
                for j in 0..n {
                    let at = bi * cb + i * ld + j;
                    let mut want = prod[i * n + j];
                    want += if e.accumulate { old[at] } else { 0.0 };
                    want += if e.row { row_bias[i] } else { 0.0 };
                    want += if e.col { col_bias[j] } else { 0.0 };
                    want += if e.residual { residual[at] } else { 0.0 };
                    if e.relu {
                        want = want.max(0.0);
                    }
                    assert!((c[at] - want).abs() < 1e-4, "{e:?} {batch}x{m}x{n}x{k} at ({bi},{i},{j}): {} vs {want}", c[at]);
                }
            }
        }
        // Padding between rows and products is left alone.
        for (at, (x, y)) in c.iter().zip(&old).enumerate() {
            if at % cb >= m * ld || at % cb % ld >= n {
                assert_eq!(x, y, "{e:?}: padding at {at} was written");
            }
        }
    }

    #[test]
    fn epilogue_on_ragged_shapes_and_batches() {
        let none = Case { row: false, col: false, residual: false, relu: false, accumulate: false };
        let cases = [
            Case { row: true, ..none },
            Case { col: true, ..none },
            Case { residual: true, ..none },
            Case { relu: true, ..none },
            Case { accumulate: true, relu: true, ..none },
            Case { row: true, col: true, residual: true, relu: true, accumulate: true },
        ];
        // Full and ragged register blocks, several K blocks, batch > 1 and an empty depth.
        for &(batch, m, n, k) in &[(1, 8, 16, 5), (2, 5, 9, 3), (3, 130, 70, 300), (2, 33, 260, 17), (2, 6, 10, 0)] {
            for &e in &cases {
                check_epilogue(batch, m, n, k, e);
            }
        }
    }
}
