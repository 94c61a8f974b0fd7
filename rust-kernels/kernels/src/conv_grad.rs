//! The two gradients of 2-D convolution (geometry in `conv::Conv`), on the GEMM.
//!
//! - input gradient: dcol = W[g]ᵀ · dY[n,g] per image, scattered back with col2im.
//! - weight gradient: dW[g] = dY[g] · im2col(X[g])ᵀ with the images concatenated along the depth,
//!   so one GEMM covers the whole batch.

use crate::conv::{zero_pad_columns, Conv, Ptrs};
use crate::gemm::{gemm, packed_index, Dims, Out, PackA, PackB, Strided, MR, NC_MAX};
use crate::heap;
use crate::pool::{self, for_range};
use crate::simd::F4;

/// dx = conv2d's input gradient for dy and w. Returns 1 when scratch memory ran out.
#[no_mangle]
pub unsafe extern "C" fn fv_conv2d_backprop_input(dy: *const f32, w: *const f32, dx: *mut f32, geometry: *const i32) -> i32 {
    let p = Conv::read(geometry);
    if let Some(t) = Transposed::of(&p) {
        return (!input_direct(&p, &t, dy, w, dx)) as i32;
    }
    let d = Dims { batch: p.groups, m: p.patch(), n: p.spatial_out(), k: p.og() };
    // Wᵀ per group: A[tap][o] = w[g][o][tap].
    let a = Strided { ptr: w, batch: (p.og() * p.patch()) as isize, rows: 1, cols: p.patch() as isize };
    let mut dcol = match (!p.is_pointwise()).then(|| heap::scratch(p.groups * p.patch() * p.spatial_out())) {
        Some(Some(buf)) => buf,
        Some(None) => return 1,
        None => Vec::new(),
    };
    for n in 0..p.n {
        let b = Strided { ptr: dy.add(n * p.o * p.spatial_out()), batch: (p.og() * p.spatial_out()) as isize, rows: p.spatial_out() as isize, cols: 1 };
        let dxn = dx.add(n * p.c * p.plane());
        if p.is_pointwise() {
            // The column matrix is dx itself.
            if !gemm(d, &a, &b, Out { ptr: dxn, batch: p.patch() * p.plane(), ld: p.plane() }, false) {
                return 1;
            }
            continue;
        }
        if !gemm(d, &a, &b, Out { ptr: dcol.as_mut_ptr(), batch: p.patch() * p.spatial_out(), ld: p.spatial_out() }, false) {
            return 1;
        }
        col2im(&p, dcol.as_ptr(), dxn);
    }
    0
}

/// Input channels and input-row vectors of one register block of the direct input gradient.
const CB: usize = 4;
const VB: usize = 2;

/// The direct input gradient's view of dY for one image: zero-padded so that input pixel
/// (ih, iw) reads tap (kh, kw) from padded row ih + (KH−1−kh)·dh, column iw + (KW−1−kw)·dw.
#[derive(Clone, Copy)]
struct Transposed {
    /// Zero rows and columns in front of dY's first: (KH−1)·dh − ph and (KW−1)·dw − pw.
    top: usize,
    left: usize,
    rows: usize,
    cols: usize,
    /// Input row length rounded up to whole register blocks.
    w: usize,
}

impl Transposed {
    /// The layout for a stride-1 conv whose padding does not exceed its kernel's reach (every
    /// "same" and "valid" conv); None for the others, which take the GEMM + col2im path.
    fn of(p: &Conv) -> Option<Transposed> {
        let (reach_h, reach_w) = ((p.kh as isize - 1) * p.dh, (p.kw as isize - 1) * p.dw);
        if p.sh != 1 || p.sw != 1 || p.ph > reach_h || p.pw > reach_w || p.is_pointwise() {
            return None;
        }
        let w = (p.w + 4 * VB - 1) / (4 * VB) * (4 * VB);
        Some(Transposed { top: (reach_h - p.ph) as usize, left: (reach_w - p.pw) as usize, rows: p.h + reach_h as usize, cols: w + reach_w as usize, w })
    }
    fn len(&self, p: &Conv) -> usize {
        p.o * self.rows * self.cols
    }

    /// Copies one image's dY (O planes) into `dyp`.
    unsafe fn copy(&self, p: &Conv, dy: *const f32, dyp: &mut [f32]) {
        dyp.fill(0.0);
        for o in 0..p.o {
            for oh in 0..p.oh {
                let at = (o * self.rows + oh + self.top) * self.cols + self.left;
                dyp[at..at + p.ow].copy_from_slice(core::slice::from_raw_parts(dy.add((o * p.oh + oh) * p.ow), p.ow));
            }
        }
    }
}

/// The input gradient as a transposed convolution, for stride 1: dX[c, ih, iw] = Σ over o, kh,
/// kw of W[o, c, kh, kw] · dY[o, ih + ph − kh·dh, iw + pw − kw·dw], vectorised along input rows
/// (each tap reads a contiguous run of padded dY) with CB channels × VB vectors of
/// accumulators per register block, no column matrix and no col2im. One task per image (they
/// write disjoint planes). Returns false when scratch memory ran out.
unsafe fn input_direct(p: &Conv, t: &Transposed, dy: *const f32, w: *const f32, dx: *mut f32) -> bool {
    let (threads, wlen) = (pool::threads(), p.o * p.patch());
    let mut scratch = match heap::scratch(wlen + threads * t.len(p)) {
        Some(s) => s,
        None => return false,
    };
    let (wt, own) = scratch.split_at_mut(wlen);
    // W as [O][KH][KW][Cg]: a block's channels are adjacent.
    for o in 0..p.o {
        for c in 0..p.cg() {
            for tap in 0..p.kh * p.kw {
                wt[(o * p.kh * p.kw + tap) * p.cg() + c] = *w.add((o * p.cg() + c) * p.kh * p.kw + tap);
            }
        }
    }
    let ptrs = (Ptrs(dy, wt.as_ptr(), dx), Ptrs(dy, dy, own.as_mut_ptr()));
    let (p, t) = (*p, *t);
    pool::run(p.n, &|n, tid| {
        let ((dy, wt, dx), (_, _, own)) = (ptrs.0.get(), ptrs.1.get());
        // Safety: each thread owns its padded copy; images write disjoint planes of dx.
        let dyp = core::slice::from_raw_parts_mut(own.add(tid * t.len(&p)), t.len(&p));
        t.copy(&p, dy.add(n * p.o * p.spatial_out()), dyp);
        input_image(&p, &t, wt, dyp, dx.add(n * p.c * p.plane()));
    });
    drop(scratch);
    true
}

/// One image of the direct input gradient.
unsafe fn input_image(p: &Conv, t: &Transposed, wt: *const f32, dyp: &[f32], dx: *mut f32) {
    for g in 0..p.groups {
        let mut c = 0;
        while c < p.cg() {
            let cb = (p.cg() - c).min(CB);
            for ih in 0..p.h {
                for iw in (0..t.w).step_by(4 * VB) {
                    let at = Pixel { g, c, ih, iw };
                    match cb {
                        CB => transposed_block::<CB>(p, t, wt, dyp, at, dx),
                        3 => transposed_block::<3>(p, t, wt, dyp, at, dx),
                        2 => transposed_block::<2>(p, t, wt, dyp, at, dx),
                        _ => transposed_block::<1>(p, t, wt, dyp, at, dx),
                    }
                }
            }
            c += cb;
        }
    }
}

/// Where a register block of the input gradient starts: group g, its channel c, input row ih,
/// column iw.
#[derive(Clone, Copy)]
struct Pixel {
    g: usize,
    c: usize,
    ih: usize,
    iw: usize,
}

/// dX[c..c+R, ih, iw..iw+4·VB] (the part inside the row) of one image.
#[inline(always)]
unsafe fn transposed_block<const R: usize>(p: &Conv, t: &Transposed, wt: *const f32, dyp: &[f32], at: Pixel, dx: *mut f32) {
    let mut acc = [[F4::zero(); VB]; R];
    let (taps, cg, plane) = (p.kh * p.kw, p.cg(), t.rows * t.cols);
    let o0 = at.g * p.og();
    for kh in 0..p.kh {
        for kw in 0..p.kw {
            // The output channels innermost: a long loop with constant pointer steps.
            let mut src = dyp.as_ptr().add((o0 * t.rows + at.ih + (p.kh - 1 - kh) * p.dh as usize) * t.cols + at.iw + (p.kw - 1 - kw) * p.dw as usize);
            let mut wk = wt.add((o0 * taps + kh * p.kw + kw) * cg + at.c);
            for _ in 0..p.og() {
                let d: [F4; VB] = core::array::from_fn(|v| F4::load(src.add(4 * v)));
                for (r, lane) in acc.iter_mut().enumerate() {
                    let wv = F4::splat(*wk.add(r));
                    for (a, &dv) in lane.iter_mut().zip(&d) {
                        *a = *a + wv * dv;
                    }
                }
                src = src.add(plane);
                wk = wk.add(taps * cg);
            }
        }
    }
    let valid = (p.w - at.iw).min(4 * VB);
    for (r, lane) in acc.iter().enumerate() {
        let out = dx.add(((at.g * cg + at.c + r) * p.h + at.ih) * p.w + at.iw);
        if valid == 4 * VB {
            lane.iter().enumerate().for_each(|(v, a)| a.store(out.add(4 * v)));
        } else {
            let mut buf = [0.0f32; 4 * VB];
            lane.iter().enumerate().for_each(|(v, a)| a.store(buf.as_mut_ptr().add(4 * v)));
            core::ptr::copy_nonoverlapping(buf.as_ptr(), out, valid);
        }
    }
}

/// Adds each column-matrix entry back onto the input pixel it was read from.
unsafe fn col2im(p: &Conv, dcol: *const f32, dx: *mut f32) {
    let ptrs = Ptrs(dcol, dcol, dx);
    let p = *p;
    // One task per input channel: channels never share pixels.
    for_range(p.c, 1, &move |start, end| {
        let (dcol, _, dx) = ptrs.get();
        for c in start..end {
            let plane = core::slice::from_raw_parts_mut(dx.add(c * p.plane()), p.plane());
            plane.fill(0.0);
            for kh in 0..p.kh {
                for kw in 0..p.kw {
                    // Channel c is tap row ((c % cg)·KH + kh)·KW + kw of group c / cg.
                    let row = ((c / p.cg()) * p.patch() + ((c % p.cg()) * p.kh + kh) * p.kw + kw) * p.spatial_out();
                    for oh in 0..p.oh {
                        for ow in 0..p.ow {
                            let (ih, iw) = p.input_pos(oh, ow, kh, kw);
                            if p.inside(ih, iw) {
                                plane[ih as usize * p.w + iw as usize] += *dcol.add(row + oh * p.ow + ow);
                            }
                        }
                    }
                }
            }
        }
    });
}

/// A operand of the weight gradient: dY[·, g·Og + o, ·] with images laid end to end along the
/// depth, so depth index t is pixel t % OH·OW of image t / OH·OW.
struct DyByImage {
    dy: *const f32,
    p: Conv,
}
unsafe impl Sync for DyByImage {}

impl PackA for DyByImage {
    /// Copies runs: a row's depth range is contiguous within each image's output plane.
    fn pack_a(&self, g: usize, i0: usize, rows: usize, k0: usize, kc: usize, dst: &mut [f32]) {
        let (p, so) = (&self.p, self.p.spatial_out());
        for (panel_i, panel) in dst.chunks_mut(kc * MR).take((rows + MR - 1) / MR).enumerate() {
            for r in 0..MR {
                let i = panel_i * MR + r;
                if i >= rows {
                    (0..kc).for_each(|k| panel[k * MR + r] = 0.0);
                    continue;
                }
                let (mut n, mut px, mut k) = (k0 / so, k0 % so, 0);
                while k < kc {
                    let run = (so - px).min(kc - k);
                    let src = unsafe { self.dy.add((n * p.o + g * p.og() + i0 + i) * so + px) };
                    for s in 0..run {
                        panel[(k + s) * MR + r] = unsafe { *src.add(s) };
                    }
                    k += run;
                    n += 1;
                    px = 0;
                }
            }
        }
    }
}

/// B operand of the weight gradient: im2col(X[·, g])ᵀ; rows are (image, output pixel), columns
/// patch taps (c, kh, kw).
struct Im2colT {
    x: *const f32,
    p: Conv,
}
unsafe impl Sync for Im2colT {}

impl PackB for Im2colT {
    fn pack_b(&self, g: usize, k0: usize, kc: usize, j0: usize, cols: usize, dst: &mut [f32]) {
        let p = &self.p;
        let taps = p.kh * p.kw;
        zero_pad_columns(kc, cols, dst);
        // Per column of the block: its channel's offset within an image and its tap offsets.
        let mut col = [(0usize, 0isize, 0isize); NC_MAX];
        for (j, c) in col.iter_mut().enumerate().take(cols) {
            let t = j0 + j;
            *c = ((g * p.cg() + t / taps) * p.plane(), ((t % taps) / p.kw) as isize * p.dh, (t % p.kw) as isize * p.dw);
        }
        let so = p.spatial_out();
        for k in 0..kc {
            let (n, px) = ((k0 + k) / so, (k0 + k) % so);
            let (h0, w0) = p.input_pos(px / p.ow, px % p.ow, 0, 0);
            let image = unsafe { self.x.add(n * p.c * p.plane()) };
            for (j, &(chan, dh, dw)) in col.iter().enumerate().take(cols) {
                let (ih, iw) = (h0 + dh, w0 + dw);
                dst[packed_index(k, j, kc)] = if p.inside(ih, iw) { unsafe { *image.add(chan).offset(ih * p.w as isize + iw) } } else { 0.0 };
            }
        }
    }
}

/// dw = conv2d's weight gradient for x and dy. Returns 1 when scratch memory ran out.
#[no_mangle]
pub unsafe extern "C" fn fv_conv2d_backprop_filter(x: *const f32, dy: *const f32, dw: *mut f32, geometry: *const i32) -> i32 {
    let p = Conv::read(geometry);
    if p.sw == 1 {
        return (!filter_direct(&p, x, dy, dw)) as i32;
    }
    let d = Dims { batch: p.groups, m: p.og(), n: p.patch(), k: p.n * p.spatial_out() };
    let out = Out { ptr: dw, batch: p.og() * p.patch(), ld: p.patch() };
    (!gemm(d, &DyByImage { dy, p }, &Im2colT { x, p }, out, false)) as i32
}

/// Output channels and kernel columns of one register block of the direct weight gradient
/// (4 channels: 12 accumulators + 3 input vectors + dY spill V8's 15 usable xmm registers, 5–8%
/// slower).
const OB: usize = 2;
const KB: usize = 3;

/// One image of the direct weight gradient, copied so that every read is an unchecked vector
/// load: X zero-padded to the rows and columns the taps reach, dY rows padded with zeros to a
/// multiple of 4 pixels.
#[derive(Clone, Copy)]
struct Padded {
    /// Rows of a padded input plane: row r is input row r − ph.
    rows: usize,
    /// Columns of a padded input row: column q is input column q − pw.
    cols: usize,
    /// Output row length rounded up to whole vectors.
    ow: usize,
}

impl Padded {
    fn of(p: &Conv) -> Padded {
        let ow = (p.ow + 3) / 4 * 4;
        Padded { rows: (p.oh - 1) * p.sh as usize + (p.kh - 1) * p.dh as usize + 1, cols: ow + (p.kw - 1) * p.dw as usize, ow }
    }
    fn x_len(&self, p: &Conv) -> usize {
        p.c * self.rows * self.cols
    }
    fn dy_len(&self, p: &Conv) -> usize {
        p.o * p.oh * self.ow
    }

    /// Copies image `x` (C planes) and its `dy` (O planes) into `xp` and `dyp`.
    unsafe fn copy(&self, p: &Conv, x: *const f32, dy: *const f32, xp: &mut [f32], dyp: &mut [f32]) {
        xp.fill(0.0);
        for c in 0..p.c {
            for ih in 0..p.h {
                let r = ih as isize + p.ph;
                if r < 0 || r as usize >= self.rows {
                    continue;
                }
                // Input columns that land inside the padded row.
                let lo = (-p.pw).max(0) as usize;
                let hi = p.w.min((self.cols as isize - p.pw).max(0) as usize);
                let row = &mut xp[(c * self.rows + r as usize) * self.cols..][..self.cols];
                for iw in lo..hi {
                    row[(iw as isize + p.pw) as usize] = *x.add((c * p.h + ih) * p.w + iw);
                }
            }
        }
        for (o, plane) in dyp.chunks_mut(p.oh * self.ow).enumerate() {
            for (oh, row) in plane.chunks_mut(self.ow).enumerate() {
                let src = core::slice::from_raw_parts(dy.add((o * p.oh + oh) * p.ow), p.ow);
                row[..p.ow].copy_from_slice(src);
                row[p.ow..].fill(0.0);
            }
        }
    }
}

/// The weight gradient as a sum of shifted dot products, for column stride 1 (any row stride,
/// padding, dilation, groups): dW[o, c, kh, kw] = Σ over images and output pixels of
/// dY[o, oh, ow] · X[c, oh·sh − ph + kh·dh, ow − pw + kw·dw]. Each output row is a run of
/// contiguous input pixels, so the sum is vector multiply-adds with no im2col packing; a
/// register block holds OB output channels × KB kernel columns, loading each dY vector once for
/// KB taps and each X vector once for OB channels. Images are split between tasks, each
/// summing its own partial dW (fixed task boundaries and a fixed final order: the result does
/// not depend on which thread ran what). Returns false when scratch memory ran out.
unsafe fn filter_direct(p: &Conv, x: *const f32, dy: *const f32, dw: *mut f32) -> bool {
    let (pad, wlen, threads) = (Padded::of(p), p.o * p.patch(), pool::threads());
    let per_thread = pad.x_len(p) + pad.dy_len(p);
    let tasks = p.n.min(4 * threads).max(1);
    let mut scratch = match heap::scratch(threads * per_thread + tasks * wlen) {
        Some(s) => s,
        None => return false,
    };
    let (own, partials) = scratch.split_at_mut(threads * per_thread);
    partials.fill(0.0);
    let ptrs = (Ptrs(x, dy, partials.as_mut_ptr()), Ptrs(x, dy, own.as_mut_ptr()));
    let p = *p;
    pool::run(tasks, &|t, tid| {
        let ((x, dy, partials), (_, _, own)) = (ptrs.0.get(), ptrs.1.get());
        // Safety: each thread owns its slice of `own`, each task its partial.
        let mine = core::slice::from_raw_parts_mut(own.add(tid * per_thread), per_thread);
        let (xp, dyp) = mine.split_at_mut(pad.x_len(&p));
        let out = core::slice::from_raw_parts_mut(partials.add(t * wlen), wlen);
        for n in t * p.n / tasks..(t + 1) * p.n / tasks {
            pad.copy(&p, x.add(n * p.c * p.plane()), dy.add(n * p.o * p.spatial_out()), xp, dyp);
            filter_image(&p, &pad, xp, dyp, out);
        }
    });
    let dw = core::slice::from_raw_parts_mut(dw, wlen);
    dw.copy_from_slice(&partials[..wlen]);
    for partial in partials.chunks(wlen).skip(1) {
        dw.iter_mut().zip(partial).for_each(|(d, v)| *d += v);
    }
    drop(scratch);
    true
}

/// Adds one padded image's contribution to `dw` ([O][Cg][KH][KW]).
unsafe fn filter_image(p: &Conv, pad: &Padded, xp: &[f32], dyp: &[f32], dw: &mut [f32]) {
    for g in 0..p.groups {
        for c in 0..p.cg() {
            for kh in 0..p.kh {
                let mut o = 0;
                while o < p.og() {
                    let ob = (p.og() - o).min(OB);
                    let mut kw = 0;
                    while kw < p.kw {
                        let kb = (p.kw - kw).min(KB);
                        let at = Tap { g, c, kh, kw, o };
                        match (ob == OB, kb == KB) {
                            (true, true) => block::<OB, KB>(p, pad, xp, dyp, at, dw),
                            (true, false) => (0..kb).for_each(|k| block::<OB, 1>(p, pad, xp, dyp, Tap { kw: kw + k, ..at }, dw)),
                            (false, true) => (0..ob).for_each(|r| block::<1, KB>(p, pad, xp, dyp, Tap { o: o + r, ..at }, dw)),
                            (false, false) => (0..ob * kb).for_each(|i| block::<1, 1>(p, pad, xp, dyp, Tap { o: o + i / kb, kw: kw + i % kb, ..at }, dw)),
                        }
                        kw += kb;
                    }
                    o += ob;
                }
            }
        }
    }
}

/// The first weight a register block adds to: output channel `o` (within group g), input
/// channel `c` (within the group), kernel row kh, column kw.
#[derive(Clone, Copy)]
struct Tap {
    g: usize,
    c: usize,
    kh: usize,
    kw: usize,
    o: usize,
}

/// dW[o..o+R, c, kh, kw..kw+K] += one image's shifted dot products.
#[inline(always)]
unsafe fn block<const R: usize, const K: usize>(p: &Conv, pad: &Padded, xp: &[f32], dyp: &[f32], t: Tap, dw: &mut [f32]) {
    let mut acc = [[F4::zero(); K]; R];
    let (o0, dwid) = (t.g * p.og() + t.o, p.dw as usize);
    let x0 = xp.as_ptr().add(((t.g * p.cg() + t.c) * pad.rows + t.kh * p.dh as usize) * pad.cols + t.kw * dwid);
    for oh in 0..p.oh {
        let xrow = x0.add(oh * p.sh as usize * pad.cols);
        let dyrow = dyp.as_ptr().add((o0 * p.oh + oh) * pad.ow);
        let mut v = 0;
        while v < pad.ow {
            let xs: [F4; K] = core::array::from_fn(|k| F4::load(xrow.add(v + k * dwid)));
            for (r, row) in acc.iter_mut().enumerate() {
                let d = F4::load(dyrow.add(r * p.oh * pad.ow + v));
                for (a, &xv) in row.iter_mut().zip(&xs) {
                    *a = *a + d * xv;
                }
            }
            v += 4;
        }
    }
    for (r, row) in acc.iter().enumerate() {
        let at = (o0 + r) * p.patch() + (t.c * p.kh + t.kh) * p.kw + t.kw;
        row.iter().enumerate().for_each(|(k, a)| dw[at + k] += a.hsum());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conv::tests::geometry;
    use crate::testing::values;

    /// Every (image, output pixel, weight) product of the convolution, from the definition.
    fn each_product(p: &Conv, mut f: impl FnMut(usize, usize, usize)) {
        for n in 0..p.n {
            for o in 0..p.o {
                let g = o / p.og();
                for c in 0..p.cg() {
                    for kh in 0..p.kh {
                        for kw in 0..p.kw {
                            for oh in 0..p.oh {
                                for ow in 0..p.ow {
                                    let (ih, iw) = p.input_pos(oh, ow, kh, kw);
                                    if p.inside(ih, iw) {
                                        let x = ((n * p.c + g * p.cg() + c) * p.h + ih as usize) * p.w + iw as usize;
                                        f(x, ((n * p.o + o) * p.oh + oh) * p.ow + ow, ((o * p.cg() + c) * p.kh + kh) * p.kw + kw);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    const CASES: [[usize; 14]; 10] = [
        // The MNIST CNN's convs (batch 5: not a multiple of the task count).
        [5, 1, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        [5, 8, 7, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        // Row stride, dilation, uneven padding, ragged channel and column blocks.
        [3, 3, 11, 9, 6, 3, 5, 2, 1, 2, 1, 2, 1, 1],
        [2, 2, 9, 10, 5, 2, 4, 1, 1, 0, 3, 1, 2, 1],
        // Groups, depthwise, 1×1, 7-wide kernels (several column blocks).
        [3, 6, 8, 8, 9, 3, 3, 1, 1, 1, 1, 1, 1, 3],
        [2, 4, 6, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4],
        [3, 5, 5, 6, 7, 1, 1, 1, 1, 0, 0, 1, 1, 1],
        [2, 2, 9, 13, 3, 2, 7, 1, 1, 1, 3, 1, 1, 1],
        // Column stride, and padding past a 1-row kernel's reach: the GEMM paths.
        [3, 4, 9, 9, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2],
        [2, 3, 5, 6, 4, 1, 3, 1, 1, 1, 1, 1, 1, 1],
    ];

    #[test]
    fn weight_gradient_matches_the_definition() {
        for g in CASES {
            let geo = geometry(g);
            let p = unsafe { Conv::read(geo.as_ptr()) };
            let x = values(p.n * p.c * p.plane(), 1);
            let dy = values(p.n * p.o * p.spatial_out(), 2);
            let mut want = vec![0.0f32; p.o * p.patch()];
            each_product(&p, |xi, yi, wi| want[wi] += x[xi] * dy[yi]);
            let mut got = vec![f32::NAN; want.len()];
            assert_eq!(unsafe { fv_conv2d_backprop_filter(x.as_ptr(), dy.as_ptr(), got.as_mut_ptr(), geo.as_ptr()) }, 0);
            for (i, (a, b)) in got.iter().zip(&want).enumerate() {
                assert!((a - b).abs() < 1e-4, "{g:?} dw[{i}]: {a} vs {b}");
            }
        }
    }

    #[test]
    fn input_gradient_matches_the_definition() {
        for g in CASES {
            let geo = geometry(g);
            let p = unsafe { Conv::read(geo.as_ptr()) };
            let w = values(p.o * p.patch(), 3);
            let dy = values(p.n * p.o * p.spatial_out(), 4);
            let mut want = vec![0.0f32; p.n * p.c * p.plane()];
            each_product(&p, |xi, yi, wi| want[xi] += w[wi] * dy[yi]);
            let mut got = vec![f32::NAN; want.len()];
            assert_eq!(unsafe { fv_conv2d_backprop_input(dy.as_ptr(), w.as_ptr(), got.as_mut_ptr(), geo.as_ptr()) }, 0);
            for (i, (a, b)) in got.iter().zip(&want).enumerate() {
                assert!((a - b).abs() < 1e-4, "{g:?} dx[{i}]: {a} vs {b}");
            }
        }
    }
}
