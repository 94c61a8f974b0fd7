//! 2-D convolution (NCHW, weights [O, C/groups, KH, KW]) on the GEMM; its two gradients are in
//! `conv_grad`.
//!
//! - forward: Y[n,g] = act(W[g] · im2col(X[n,g]) + bias + residual), the bias, residual and
//!   activation applied by the GEMM's epilogue as each tile is stored; the im2col patches are
//!   packed straight into the GEMM's B panels. 1×1/stride-1/unpadded convs read X as B directly;
//!   depthwise convs (one input channel per group) run a direct SIMD kernel instead; 3×3
//!   stride-1 convs with enough channels and output tiles go to `winograd`.

use crate::gemm::{for_each_panel, gemm_with, packed_index, Act, Dims, Epilogue, Out, PackB, Strided, KC, NR};
use crate::pool::for_range;
use crate::simd::{max_nan, F4};
use crate::winograd;

/// Geometry, as the host writes it: 16 i32s.
#[derive(Clone, Copy)]
pub struct Conv {
    pub n: usize,
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub o: usize,
    pub kh: usize,
    pub kw: usize,
    pub oh: usize,
    pub ow: usize,
    pub sh: isize,
    pub sw: isize,
    pub ph: isize,
    pub pw: isize,
    pub dh: isize,
    pub dw: isize,
    pub groups: usize,
}

impl Conv {
    pub unsafe fn read(p: *const i32) -> Conv {
        let g = |i: usize| *p.add(i) as isize;
        Conv {
            n: g(0) as usize,
            c: g(1) as usize,
            h: g(2) as usize,
            w: g(3) as usize,
            o: g(4) as usize,
            kh: g(5) as usize,
            kw: g(6) as usize,
            oh: g(7) as usize,
            ow: g(8) as usize,
            sh: g(9),
            sw: g(10),
            ph: g(11),
            pw: g(12),
            dh: g(13),
            dw: g(14),
            groups: g(15) as usize,
        }
    }
    pub(crate) fn cg(&self) -> usize {
        self.c / self.groups
    }
    pub(crate) fn og(&self) -> usize {
        self.o / self.groups
    }
    /// Depth of one group's patch: Cg·KH·KW.
    pub(crate) fn patch(&self) -> usize {
        self.cg() * self.kh * self.kw
    }
    pub(crate) fn spatial_out(&self) -> usize {
        self.oh * self.ow
    }
    pub(crate) fn plane(&self) -> usize {
        self.h * self.w
    }
    pub(crate) fn is_pointwise(&self) -> bool {
        self.kh == 1 && self.kw == 1 && self.sh == 1 && self.sw == 1 && self.ph == 0 && self.pw == 0
    }
    /// Input row/col of output (oh, ow) for kernel tap (kh, kw).
    #[inline(always)]
    pub(crate) fn input_pos(&self, oh: usize, ow: usize, kh: usize, kw: usize) -> (isize, isize) {
        (oh as isize * self.sh - self.ph + kh as isize * self.dh, ow as isize * self.sw - self.pw + kw as isize * self.dw)
    }
    #[inline(always)]
    pub(crate) fn inside(&self, ih: isize, iw: isize) -> bool {
        ih >= 0 && iw >= 0 && (ih as usize) < self.h && (iw as usize) < self.w
    }
}

/// B operand of the forward GEMM: im2col of the image at `x + b·image`, rows are patch taps
/// (c, kh, kw) of its first Cg channels, columns output pixels.
struct Im2col {
    x: *const f32,
    image: usize,
    p: Conv,
}
unsafe impl Sync for Im2col {}

impl PackB for Im2col {
    fn pack_b(&self, b: usize, k0: usize, kc: usize, j0: usize, cols: usize, dst: &mut [f32]) {
        let base = unsafe { self.x.add(b * self.image) };
        let mut taps = [Tap::default(); KC];
        self.taps(k0, &mut taps[..kc]);
        for_each_panel(j0, cols, kc, dst, |j0, cols, panel| unsafe { self.pack_panel(base, &taps[..kc], j0, cols, panel) });
    }
}

/// Patch row k's tap (c, kh, kw): its offset from a pixel's input origin and its row/column
/// shift, computed once per B block and shared by all its panels.
#[derive(Clone, Copy, Default)]
struct Tap {
    offset: isize,
    dh: isize,
    dw: isize,
}

/// The pixels of one B panel that share an output row: panel columns `j..j+len`, whose input
/// origin (tap (0, 0, 0)) is (ih0, iw0).
#[derive(Clone, Copy, Default)]
struct Run {
    j: usize,
    len: usize,
    ih0: isize,
    iw0: isize,
}

impl Im2col {
    /// The taps of patch rows k0.. (incrementally: no divisions per row).
    fn taps(&self, k0: usize, out: &mut [Tap]) {
        let p = &self.p;
        let per_channel = p.kh * p.kw;
        let (mut c, mut kh, mut kw) = (k0 / per_channel, (k0 % per_channel) / p.kw, k0 % p.kw);
        for t in out {
            let (dh, dw) = (kh as isize * p.dh, kw as isize * p.dw);
            *t = Tap { offset: (c * p.plane()) as isize + dh * p.w as isize + dw, dh, dw };
            kw += 1;
            if kw == p.kw {
                kw = 0;
                kh += 1;
                if kh == p.kh {
                    kh = 0;
                    c += 1;
                }
            }
        }
    }

    /// Pixels j0..j0+cols as runs within output rows.
    fn runs(&self, j0: usize, cols: usize, runs: &mut [Run; NR]) -> usize {
        let p = &self.p;
        let (mut count, mut j) = (0, 0);
        while j < cols {
            let (oh, ow) = ((j0 + j) / p.ow, (j0 + j) % p.ow);
            let (ih0, iw0) = p.input_pos(oh, ow, 0, 0);
            runs[count] = Run { j, len: (p.ow - ow).min(cols - j), ih0, iw0 };
            j += runs[count].len;
            count += 1;
        }
        count
    }

    /// Whether every tap of a full-panel run reads inside the image, `reach` values per row.
    fn interior(&self, r: &Run) -> bool {
        let p = &self.p;
        let reach = if p.sw == 2 { 2 * NR } else { (NR - 1) * p.sw as usize + 1 };
        let (last_h, last_w) = (r.ih0 + ((p.kh - 1) as isize) * p.dh, r.iw0 + ((p.kw - 1) as isize) * p.dw + reach as isize);
        r.len == NR && r.ih0 >= 0 && r.iw0 >= 0 && (last_h as usize) < p.h && (last_w as usize) <= p.w
    }

    /// One NR-pixel panel. A panel in one output row whose taps all read inside the image is
    /// one strided copy per tap (vector loads at stride 1 and 2); otherwise each run of pixels
    /// sharing an output row is checked per tap, and only runs reaching into the padding check
    /// each pixel.
    unsafe fn pack_panel(&self, base: *const f32, taps: &[Tap], j0: usize, cols: usize, dst: &mut [f32]) {
        let p = &self.p;
        let mut runs = [Run::default(); NR];
        let count = self.runs(j0, cols, &mut runs);
        let out = dst.as_mut_ptr();
        if count == 1 && self.interior(&runs[0]) {
            let origin = base.offset(runs[0].ih0 * p.w as isize + runs[0].iw0);
            for (k, t) in taps.iter().enumerate() {
                copy_strided(origin.offset(t.offset), p.sw, NR, 2 * NR, out.add(k * NR));
            }
            return;
        }
        for (k, t) in taps.iter().enumerate() {
            (cols..NR).for_each(|j| *out.add(k * NR + j) = 0.0);
            for r in &runs[..count] {
                let o = out.add(k * NR + r.j);
                let (ih, iw) = (r.ih0 + t.dh, r.iw0 + t.dw);
                if ih < 0 || ih as usize >= p.h {
                    (0..r.len).for_each(|t| *o.add(t) = 0.0);
                    continue;
                }
                let row = base.offset(t.offset - t.dh * p.w as isize - t.dw + ih * p.w as isize);
                let last = iw + (r.len as isize - 1) * p.sw;
                if iw >= 0 && (last as usize) < p.w {
                    copy_strided(row.offset(iw), p.sw, r.len, p.w - iw as usize, o);
                } else {
                    for t in 0..r.len {
                        let at = iw + t as isize * p.sw;
                        *o.add(t) = if at >= 0 && (at as usize) < p.w { *row.offset(at) } else { 0.0 };
                    }
                }
            }
        }
    }
}

/// out[t] = src[t·stride] for t < len, `room` values being readable from src: four at a time
/// with vector loads at stride 1 and 2 (stride 2 keeps the even lanes of two loads).
#[inline(always)]
unsafe fn copy_strided(src: *const f32, stride: isize, len: usize, room: usize, out: *mut f32) {
    let mut t = 0;
    if stride == 1 {
        while t + 4 <= len {
            F4::load(src.add(t)).store(out.add(t));
            t += 4;
        }
    } else if stride == 2 {
        while t + 4 <= len && 2 * t + 8 <= room {
            F4::even_lanes(F4::load(src.add(2 * t)), F4::load(src.add(2 * t + 4))).store(out.add(t));
            t += 4;
        }
    }
    for t in t..len {
        *out.add(t) = *src.offset(t as isize * stride);
    }
}

/// Zeroes the columns of the last B panel past `cols`.
pub(crate) fn zero_pad_columns(kc: usize, cols: usize, dst: &mut [f32]) {
    let padded = (cols + NR - 1) / NR * NR;
    for k in 0..kc {
        for j in cols..padded {
            dst[packed_index(k, j, kc)] = 0.0;
        }
    }
}

/// y = act(conv2d(x, w) + bias[o] + residual), `bias` ([O]) and `residual` (laid out like y)
/// being optional (null), `act` 0 for none, 1 for relu. Returns 1 when scratch memory could not
/// be allocated.
#[no_mangle]
pub unsafe extern "C" fn fv_conv2d(x: *const f32, w: *const f32, bias: *const f32, residual: *const f32, y: *mut f32, geometry: *const i32, act: u32) -> i32 {
    let p = Conv::read(geometry);
    let act = if act == Act::Relu as u32 { Act::Relu } else { Act::None };
    if p.cg() == 1 {
        depthwise(&p, Ptrs(x, w, y), Epilogue { row_bias: bias, col_bias: core::ptr::null(), residual, act });
        return 0;
    }
    // Winograd F(2×2, 3×3) where it measured faster than im2col (ResNet-18's 64-256 channel
    // 3×3 convs, batch 1: 0.64-0.79× the time, busy 2-core machine): its 16 GEMMs are
    // [O×C]·[C×tiles], so with few tiles (512 channels at 7², 16 tiles: 1.3-1.4×) each packed
    // filter value is used too few times, and with few channels the transforms dominate.
    if winograd::fits(&p) && p.c >= 32 && p.o >= 32 && winograd::tiles(&p) * p.n >= 32 {
        let epi = Epilogue { row_bias: bias, col_bias: core::ptr::null(), residual, act };
        return if winograd::conv3x3(&p, x, w, y, epi) { 0 } else { 1 };
    }
    let (og, so, image) = (p.og(), p.spatial_out(), p.c * p.plane());
    // One GEMM per group, its products the images: the epilogue's bias is per product-independent.
    for g in 0..p.groups {
        let d = Dims { batch: p.n, m: og, n: so, k: p.patch() };
        // The group's weights, the same for every product (image).
        let a = Strided { ptr: w.add(g * og * p.patch()), batch: 0, rows: p.patch() as isize, cols: 1 };
        let out = Out { ptr: y.add(g * og * so), batch: p.o * so, ld: so };
        let shift = |ptr: *const f32, by: usize| if ptr.is_null() { ptr } else { ptr.add(by) };
        let epi = Epilogue { row_bias: shift(bias, g * og), col_bias: core::ptr::null(), residual: shift(residual, g * og * so), act };
        let xg = x.add(g * p.cg() * p.plane());
        let ok = if p.is_pointwise() {
            gemm_with(d, &a, &Strided { ptr: xg, batch: image as isize, rows: p.plane() as isize, cols: 1 }, out, false, epi)
        } else {
            gemm_with(d, &a, &Im2col { x: xg, image, p }, out, false, epi)
        };
        if !ok {
            return 1;
        }
    }
    0
}

#[derive(Clone, Copy)]
pub(crate) struct Ptrs(pub(crate) *const f32, pub(crate) *const f32, pub(crate) *mut f32);
unsafe impl Sync for Ptrs {}

impl Ptrs {
    /// Taking the whole struct makes closures capture it (Sync) rather than its raw fields.
    pub(crate) fn get(&self) -> (*const f32, *const f32, *mut f32) {
        (self.0, self.1, self.2)
    }
}

/// Direct conv for one input channel per group: each output plane starts at its bias and
/// accumulates KH·KW shifted, scaled input rows (contiguous SIMD axpy when the column stride is
/// 1), then takes the residual and the activation while it is still in cache.
/// `data` is (x, w, y); `epi.row_bias` is the bias per output channel.
unsafe fn depthwise(p: &Conv, data: Ptrs, epi: Epilogue) {
    let (p, epi) = (*p, &epi);
    for_range(p.n * p.o, 1, &move |start, end| {
        let (x, w, y) = data.get();
        let (bias, residual) = (epi.row_bias, epi.residual);
        for plane in start..end {
            let (n, o) = (plane / p.o, plane % p.o);
            let chan = x.add((n * p.c + o / p.og()) * p.plane());
            let out = core::slice::from_raw_parts_mut(y.add(plane * p.spatial_out()), p.spatial_out());
            out.fill(if bias.is_null() { 0.0 } else { *bias.add(o) });
            for kh in 0..p.kh {
                for kw in 0..p.kw {
                    let wv = *w.add((o * p.kh + kh) * p.kw + kw);
                    let (lo, hi) = valid_cols(&p, kw);
                    for oh in 0..p.oh {
                        let (ih, iw_lo) = p.input_pos(oh, lo, kh, kw);
                        if ih < 0 || ih as usize >= p.h || lo >= hi {
                            continue;
                        }
                        let src = chan.offset(ih * p.w as isize + iw_lo);
                        axpy(wv, src, p.sw, &mut out[oh * p.ow + lo..oh * p.ow + hi]);
                    }
                }
            }
            let res = if residual.is_null() { None } else { Some(core::slice::from_raw_parts(residual.add(plane * p.spatial_out()), p.spatial_out())) };
            finish(out, res, epi.act);
        }
    });
}

/// out = act(out + residual), four lanes at a time.
fn finish(out: &mut [f32], residual: Option<&[f32]>, act: Act) {
    if residual.is_none() && act == Act::None {
        return;
    }
    let apply = |v: F4, r: F4| {
        let v = v + r;
        if act == Act::Relu {
            v.max(F4::zero())
        } else {
            v
        }
    };
    let mut i = 0;
    unsafe {
        while i + 4 <= out.len() {
            let d = out.as_mut_ptr().add(i);
            apply(F4::load(d), residual.map_or(F4::zero(), |r| F4::load(r.as_ptr().add(i)))).store(d);
            i += 4;
        }
    }
    for i in i..out.len() {
        let v = out[i] + residual.map_or(0.0, |r| r[i]);
        out[i] = if act == Act::Relu { max_nan(v, 0.0) } else { v };
    }
}

/// Output columns [lo, hi) whose input column for tap `kw` is inside the image.
fn valid_cols(p: &Conv, kw: usize) -> (usize, usize) {
    let shift = kw as isize * p.dw - p.pw;
    // iw = ow·sw + shift must satisfy 0 ≤ iw < w.
    let lo = if shift >= 0 { 0 } else { ((-shift + p.sw - 1) / p.sw) as usize };
    let last = p.w as isize - 1 - shift;
    let hi = if last < 0 { 0 } else { ((last / p.sw) as usize + 1).min(p.ow) };
    (lo.min(hi), hi)
}

/// out[i] += a · src[i·stride].
unsafe fn axpy(a: f32, src: *const f32, stride: isize, out: &mut [f32]) {
    let mut i = 0;
    if stride == 1 {
        let av = F4::splat(a);
        while i + 4 <= out.len() {
            let d = out.as_mut_ptr().add(i);
            (F4::load(d) + av * F4::load(src.add(i))).store(d);
            i += 4;
        }
    }
    while i < out.len() {
        out[i] += a * *src.offset(i as isize * stride);
        i += 1;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testing::values;

    /// n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups (output size derived).
    pub(crate) fn geometry(g: [usize; 14]) -> [i32; 16] {
        let [n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups] = g;
        let oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        let ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        [n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups].map(|v| v as i32)
    }

    /// act(conv + bias + residual) straight from the definition.
    pub(crate) fn naive(p: &Conv, x: &[f32], w: &[f32], bias: &[f32], residual: &[f32], relu: bool) -> Vec<f32> {
        let mut y = vec![0.0; p.n * p.o * p.spatial_out()];
        for n in 0..p.n {
            for o in 0..p.o {
                for oh in 0..p.oh {
                    for ow in 0..p.ow {
                        let mut s = bias[o];
                        for ci in 0..p.cg() {
                            let c = o / p.og() * p.cg() + ci;
                            for kh in 0..p.kh {
                                for kw in 0..p.kw {
                                    let (ih, iw) = p.input_pos(oh, ow, kh, kw);
                                    if p.inside(ih, iw) {
                                        s += x[((n * p.c + c) * p.h + ih as usize) * p.w + iw as usize] * w[((o * p.cg() + ci) * p.kh + kh) * p.kw + kw];
                                    }
                                }
                            }
                        }
                        let at = ((n * p.o + o) * p.oh + oh) * p.ow + ow;
                        s += residual[at];
                        y[at] = if relu { s.max(0.0) } else { s };
                    }
                }
            }
        }
        y
    }

    #[test]
    fn forward_with_epilogue_matches_the_definition() {
        // n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups: runs shorter than a panel (5
        // and 13 wide rows), padding, stride 2 (vector path and the row's tail), dilation,
        // groups, 1×1, 1×1 stride 2, depthwise with a multiplier.
        let cases: [[usize; 14]; 8] = [
            [2, 3, 5, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1],
            [1, 4, 11, 13, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1],
            [1, 3, 23, 37, 5, 7, 7, 2, 2, 3, 3, 1, 1, 1],
            [2, 4, 9, 10, 6, 3, 3, 2, 1, 2, 2, 2, 2, 2],
            [2, 6, 7, 9, 10, 1, 1, 1, 1, 0, 0, 1, 1, 1],
            [1, 6, 14, 14, 8, 1, 1, 2, 2, 0, 0, 1, 1, 1],
            [2, 4, 9, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 4],
            [1, 40, 6, 6, 301, 3, 3, 1, 1, 1, 1, 1, 1, 1],
        ];
        for g in cases {
            let geometry = geometry(g);
            let p = unsafe { Conv::read(geometry.as_ptr()) };
            let x = values(p.n * p.c * p.plane(), 1);
            let wt = values(p.o * p.patch(), 2);
            let bias = values(p.o, 3);
            let residual = values(p.n * p.o * p.spatial_out(), 4);
            for relu in [false, true] {
                let want = naive(&p, &x, &wt, &bias, &residual, relu);
                let mut y = vec![f32::NAN; want.len()];
                let status = unsafe { fv_conv2d(x.as_ptr(), wt.as_ptr(), bias.as_ptr(), residual.as_ptr(), y.as_mut_ptr(), geometry.as_ptr(), relu as u32) };
                assert_eq!(status, 0);
                for (i, (got, want)) in y.iter().zip(&want).enumerate() {
                    assert!((got - want).abs() < 1e-4, "{g:?} relu {relu} at {i}: {got} vs {want}");
                }
            }
        }
    }
}
