//! The two gradients of 2-D convolution (geometry in `conv::Conv`), on the GEMM.
//!
//! - input gradient: dcol = W[g]ᵀ · dY[n,g] per image, scattered back with col2im.
//! - weight gradient: dW[g] = dY[g] · im2col(X[g])ᵀ with the images concatenated along the depth,
//!   so one GEMM covers the whole batch.

use crate::conv::{zero_pad_columns, Conv, Ptrs};
use crate::gemm::{gemm, packed_index, Dims, Out, PackA, PackB, Strided, MR, NC_MAX};
use crate::heap;
use crate::pool::for_range;

/// dx = conv2d's input gradient for dy and w. Returns 1 when scratch memory ran out.
#[no_mangle]
pub unsafe extern "C" fn fv_conv2d_backprop_input(dy: *const f32, w: *const f32, dx: *mut f32, geometry: *const i32) -> i32 {
    let p = Conv::read(geometry);
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
    let d = Dims { batch: p.groups, m: p.og(), n: p.patch(), k: p.n * p.spatial_out() };
    let out = Out { ptr: dw, batch: p.og() * p.patch(), ld: p.patch() };
    (!gemm(d, &DyByImage { dy, p }, &Im2colT { x, p }, out, false)) as i32
}
