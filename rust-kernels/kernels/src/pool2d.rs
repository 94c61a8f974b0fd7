//! Max and average pooling over NCHW planes, forward and backward. Padding never wins a max
//! (PyTorch pads with -inf); average pooling divides by the full window when
//! `count_include_pad`, else by the in-image part.

use crate::heap;
use crate::pool::{self, for_range};
use crate::simd::{max_nan, F4};

/// Geometry, as the host writes it: n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw (12 i32s).
#[derive(Clone, Copy)]
struct Window {
    h0: usize,
    h1: usize,
    w0: usize,
    w1: usize,
    padded: usize,
}

#[derive(Clone, Copy)]
struct Pool {
    planes: usize,
    h: usize,
    w: usize,
    oh: usize,
    ow: usize,
    kh: isize,
    kw: isize,
    sh: isize,
    sw: isize,
    ph: isize,
    pw: isize,
}

impl Pool {
    unsafe fn read(p: *const i32) -> Pool {
        let g = |i: usize| *p.add(i) as isize;
        Pool {
            planes: (g(0) * g(1)) as usize,
            h: g(2) as usize,
            w: g(3) as usize,
            oh: g(4) as usize,
            ow: g(5) as usize,
            kh: g(6),
            kw: g(7),
            sh: g(8),
            sw: g(9),
            ph: g(10),
            pw: g(11),
        }
    }

    /// The window of output (oh, ow): in-image rows and cols [start, end), and its area counting
    /// padding but not reaching past it (PyTorch's divisor with `count_include_pad`).
    fn window(&self, oh: usize, ow: usize) -> Window {
        let (h0, w0) = (oh as isize * self.sh - self.ph, ow as isize * self.sw - self.pw);
        let (he, we) = ((h0 + self.kh).min(self.h as isize + self.ph), (w0 + self.kw).min(self.w as isize + self.pw));
        let clip = |v: isize, hi: usize| v.clamp(0, hi as isize) as usize;
        Window { h0: clip(h0, self.h), h1: clip(he, self.h), w0: clip(w0, self.w), w1: clip(we, self.w), padded: ((he - h0) * (we - w0)) as usize }
    }

    /// Visits every (plane, output index, window) in parallel over planes, zeroing each plane of
    /// the gradient `dx` just before its windows (it is then still in cache when they add to it).
    /// Generic over `body` so the per-pixel work inlines into the loop.
    fn each_window<F: Fn(usize, usize, Window) + Sync>(&self, dx: *mut f32, body: F) {
        let p = *self;
        let out = Ptrs(dx, dx, dx);
        for_range(p.planes, 1, &|start, end| {
            for plane in start..end {
                unsafe { core::slice::from_raw_parts_mut(out.get().2.add(plane * p.in_plane()), p.in_plane()) }.fill(0.0);
                for oh in 0..p.oh {
                    for ow in 0..p.ow {
                        body(plane, oh * p.ow + ow, p.window(oh, ow));
                    }
                }
            }
        });
    }

    fn in_plane(&self) -> usize {
        self.h * self.w
    }
    fn out_plane(&self) -> usize {
        self.oh * self.ow
    }

    /// Offset (within the plane) of the window's first maximum (its first NaN if it has one);
    /// None for an empty window.
    #[inline(always)]
    unsafe fn argmax(&self, x: *const f32, win: Window) -> Option<usize> {
        if win.h0 >= win.h1 || win.w0 >= win.w1 {
            return None;
        }
        let mut best = win.h0 * self.w + win.w0;
        for ih in win.h0..win.h1 {
            for at in ih * self.w + win.w0..ih * self.w + win.w1 {
                best = first_max(x, best, at);
            }
        }
        Some(best)
    }

    /// 2×2 windows at stride 2 without padding, every one whole (ceil mode's partial windows take
    /// the general paths): the CNN case, with fast paths.
    fn tiles_2x2(&self) -> bool {
        self.kh == 2 && self.kw == 2 && self.sh == 2 && self.sw == 2 && self.ph == 0 && self.pw == 0 && 2 * self.oh <= self.h && 2 * self.ow <= self.w
    }

    /// One plane of 2×2/2 max pooling: the two rows' maximum, then the maximum of its even and
    /// odd lanes (the odd ones read as the even lanes one float further on), 4 outputs a step.
    #[inline(always)]
    unsafe fn max_2x2(&self, x: *const f32, y: *mut f32) {
        for oh in 0..self.oh {
            let (r0, r1, out) = (x.add(2 * oh * self.w), x.add((2 * oh + 1) * self.w), y.add(oh * self.ow));
            let rows = |j: usize| F4::load(r0.add(j)).max(F4::load(r1.add(j)));
            let mut ow = 0;
            // The odd lanes' second load reaches float 2·ow + 8.
            while 2 * ow + 9 <= self.w && ow + 4 <= self.ow {
                let j = 2 * ow;
                F4::even_lanes(rows(j), rows(j + 4)).max(F4::even_lanes(rows(j + 1), rows(j + 5))).store(out.add(ow));
                ow += 4;
            }
            for ow in ow..self.ow {
                let j = 2 * ow;
                *out.add(ow) = [*r0.add(j + 1), *r1.add(j), *r1.add(j + 1)].into_iter().fold(*r0.add(j), max_nan);
            }
        }
    }

    /// One plane of the 2×2/2 max-pool gradient (the CNN case): windows tile the image, so each
    /// one writes its four pixels outright, with no zeroing pass and no per-window geometry.
    #[inline(always)]
    unsafe fn max_grad_2x2(&self, dy: *const f32, x: *const f32, dx: *mut f32) {
        if self.h != 2 * self.oh || self.w != 2 * self.ow {
            // An odd last row or column belongs to no window.
            core::slice::from_raw_parts_mut(dx, self.in_plane()).fill(0.0);
        }
        for oh in 0..self.oh {
            let (r0, r1) = (2 * oh * self.w, (2 * oh + 1) * self.w);
            let (x0, d0, d1) = (x.add(r0), dx.add(r0), dx.add(r1));
            for ow in 0..self.ow {
                let j = 2 * ow;
                let pick = [j + 1, j + self.w, j + self.w + 1].into_iter().fold(j, |best, at| first_max(x0, best, at));
                // Zeros, then dy over the winner: a store at a computed address, where `if`s
                // become a branch on which pixel won (unpredictable) whatever form they take.
                for d in [d0.add(j), d1.add(j)] {
                    *d = 0.0;
                    *d.add(1) = 0.0;
                }
                *d0.add(pick) = *dy.add(oh * self.ow + ow);
            }
        }
    }

    fn divisor(win: Window, include_pad: bool) -> f32 {
        if include_pad {
            win.padded as f32
        } else {
            ((win.h1 - win.h0) * (win.w1 - win.w0)) as f32
        }
    }
}

/// Which of `x[best]` (the running first maximum of a window) and `x[next]` (seen after it)
/// is now the first maximum: a greater value, or the first NaN (a NaN best is never replaced),
/// as torch.max picks. Only the index is selected and the value read again: V8 compiles an f32
/// select into a branch, and which element wins is unpredictable.
#[inline(always)]
unsafe fn first_max(x: *const f32, best: usize, next: usize) -> usize {
    let (b, v) = (*x.add(best), *x.add(next));
    if !(v <= b) & (b == b) {
        next
    } else {
        best
    }
}

#[derive(Clone, Copy)]
struct Ptrs(*const f32, *const f32, *mut f32);
unsafe impl Sync for Ptrs {}

impl Ptrs {
    /// Taking the whole struct makes closures capture it (Sync) rather than its raw fields.
    fn get(&self) -> (*const f32, *const f32, *mut f32) {
        (self.0, self.1, self.2)
    }
}

/// How a forward window's values combine; `INIT` is the identity padding contributes.
trait Combine {
    const INIT: f32;
    fn vector(a: F4, b: F4) -> F4;
    fn scalar(a: f32, b: f32) -> f32;
}

/// NaN-propagating maximum; padding (-inf) never wins.
struct Max;
impl Combine for Max {
    const INIT: f32 = f32::NEG_INFINITY;
    #[inline(always)]
    fn vector(a: F4, b: F4) -> F4 {
        a.max(b)
    }
    #[inline(always)]
    fn scalar(a: f32, b: f32) -> f32 {
        max_nan(a, b)
    }
}

struct Sum;
impl Combine for Sum {
    const INIT: f32 = 0.0;
    #[inline(always)]
    fn vector(a: F4, b: F4) -> F4 {
        a + b
    }
    #[inline(always)]
    fn scalar(a: f32, b: f32) -> f32 {
        a + b
    }
}

/// Forward pooling, one output row at a time and separably, so almost all the work is SIMD:
/// the window's input rows are combined into a row buffer laid out in padded coordinates
/// (`pw` INIT values, the image row, INIT to the end), then each buffer position q becomes the
/// combination of its KW neighbours q..q+KW (stride 1, unaligned vector loads), and output ow
/// reads position ow·sw. `finish(value, oh, ow)` writes the output (the average's divisor).
/// Returns 1 when the row buffers cannot be allocated.
unsafe fn forward<C: Combine>(p: &Pool, x: *const f32, y: *mut f32, finish: impl Fn(f32, usize, usize) -> f32 + Sync) -> i32 {
    if p.planes == 0 || p.oh == 0 || p.ow == 0 {
        return 0;
    }
    let (sw, kw, pw) = (p.sw as usize, p.kw as usize, p.pw as usize);
    let positions = (p.ow - 1) * sw + 1;
    // Vector reads reach 3 positions past the last one, plus the window.
    let len = ((positions + 3) / 4 * 4 + kw - 1).max(pw + p.w);
    let threads = pool::threads();
    let mut scratch = match heap::scratch(threads * len) {
        Some(s) => s,
        None => return 1,
    };
    let ptrs = Ptrs(x, scratch.as_mut_ptr(), y);
    let p = *p;
    let tasks = p.planes.min(4 * threads);
    pool::run(tasks, &|t, tid| {
        let (x, buf, y) = ptrs.get();
        let buf = (buf as *mut f32).add(tid * len);
        for plane in t * p.planes / tasks..(t + 1) * p.planes / tasks {
            let xp = x.add(plane * p.in_plane());
            for oh in 0..p.oh {
                let Window { h0, h1, .. } = p.window(oh, 0);
                combine_rows::<C>(xp.add(h0 * p.w), h1 - h0, p.w, buf.add(pw));
                (0..pw).chain(pw + p.w..len).for_each(|q| *buf.add(q) = C::INIT);
                combine_neighbours::<C>(buf, positions, kw);
                let out = y.add(plane * p.out_plane() + oh * p.ow);
                (0..p.ow).for_each(|ow| *out.add(ow) = finish(*buf.add(ow * sw), oh, ow));
            }
        }
    });
    drop(scratch);
    0
}

/// out[i] = combination of rows[r·w + i] over `rows` rows (INIT when there are none).
#[inline(always)]
unsafe fn combine_rows<C: Combine>(rows: *const f32, count: usize, w: usize, out: *mut f32) {
    let mut i = 0;
    while i + 4 <= w {
        let mut v = F4::splat(C::INIT);
        (0..count).for_each(|r| v = C::vector(v, F4::load(rows.add(r * w + i))));
        v.store(out.add(i));
        i += 4;
    }
    for i in i..w {
        *out.add(i) = (0..count).fold(C::INIT, |v, r| C::scalar(v, *rows.add(r * w + i)));
    }
}

/// buf[q] = combination of buf[q..q+k] for q < positions, in place (each write lands behind
/// every later read).
#[inline(always)]
unsafe fn combine_neighbours<C: Combine>(buf: *mut f32, positions: usize, k: usize) {
    let mut q = 0;
    while q < positions {
        let mut v = F4::load(buf.add(q));
        (1..k).for_each(|j| v = C::vector(v, F4::load(buf.add(q + j))));
        v.store(buf.add(q));
        q += 4;
    }
}

#[no_mangle]
pub unsafe extern "C" fn fv_max_pool2d(x: *const f32, y: *mut f32, geometry: *const i32) -> i32 {
    let p = Pool::read(geometry);
    if p.tiles_2x2() {
        let ptrs = Ptrs(x, x, y);
        for_range(p.planes, 1, &move |start, end| {
            let (x, _, y) = ptrs.get();
            (start..end).for_each(|plane| p.max_2x2(x.add(plane * p.in_plane()), y.add(plane * p.out_plane())));
        });
        return 0;
    }
    forward::<Max>(&p, x, y, |v, _, _| v)
}

#[no_mangle]
pub unsafe extern "C" fn fv_avg_pool2d(x: *const f32, y: *mut f32, geometry: *const i32, count_include_pad: i32) -> i32 {
    let p = Pool::read(geometry);
    forward::<Sum>(&p, x, y, |s, oh, ow| s / Pool::divisor(p.window(oh, ow), count_include_pad != 0))
}

/// dx = gradient of max pooling: each dy goes to its window's first maximum in x.
#[no_mangle]
pub unsafe extern "C" fn fv_max_pool2d_grad(dy: *const f32, x: *const f32, dx: *mut f32, geometry: *const i32) -> i32 {
    let p = Pool::read(geometry);
    let ptrs = Ptrs(dy, x, dx);
    if p.tiles_2x2() {
        for_range(p.planes, 1, &move |start, end| {
            let (dy, x, dx) = ptrs.get();
            (start..end).for_each(|plane| p.max_grad_2x2(dy.add(plane * p.out_plane()), x.add(plane * p.in_plane()), dx.add(plane * p.in_plane())));
        });
        return 0;
    }
    // Windows of one plane only write that plane, and planes are split between tasks.
    p.each_window(dx, move |plane, at, win| {
        let (dy, x, dx) = ptrs.get();
        if let Some(i) = p.argmax(x.add(plane * p.in_plane()), win) {
            *dx.add(plane * p.in_plane() + i) += *dy.add(plane * p.out_plane() + at);
        }
    });
    0
}

/// dx = gradient of average pooling: each dy is spread evenly over its window.
#[no_mangle]
pub unsafe extern "C" fn fv_avg_pool2d_grad(dy: *const f32, dx: *mut f32, geometry: *const i32, count_include_pad: i32) -> i32 {
    let p = Pool::read(geometry);
    let ptrs = Ptrs(dy, dy, dx);
    p.each_window(dx, move |plane, at, win| {
        let (dy, _, dx) = ptrs.get();
        let g = *dy.add(plane * p.out_plane() + at) / Pool::divisor(win, count_include_pad != 0);
        let Window { h0, h1, w0, w1, .. } = win;
        let dp = dx.add(plane * p.in_plane());
        for ih in h0..h1 {
            for iw in w0..w1 {
                *dp.add(ih * p.w + iw) += g;
            }
        }
    });
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows read straight from the definition: padding never wins the max; the average divides
    /// by the window clipped to the padded input (include_pad) or to the image.
    fn naive(g: [i32; 12], x: &[f32], include_pad: bool) -> (Vec<f32>, Vec<f32>) {
        let [n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw] = g.map(|v| v as isize);
        let (mut max, mut avg) = (vec![], vec![]);
        for plane in 0..n * c {
            for i in 0..oh {
                for j in 0..ow {
                    let (h0, w0) = (i * sh - ph, j * sw - pw);
                    let (he, we) = ((h0 + kh).min(h + ph), (w0 + kw).min(w + pw));
                    let (mut m, mut s, mut inside) = (f32::NEG_INFINITY, 0.0, 0);
                    for ih in h0.max(0)..he.min(h) {
                        for iw in w0.max(0)..we.min(w) {
                            let v = x[(plane * h * w + ih * w + iw) as usize];
                            m = max_nan(m, v);
                            s += v;
                            inside += 1;
                        }
                    }
                    max.push(m);
                    avg.push(s / if include_pad { ((he - h0) * (we - w0)) as f32 } else { inside as f32 });
                }
            }
        }
        (max, avg)
    }

    /// Both gradients straight from the definition: dy goes to the window's first maximum (its
    /// first NaN) or is spread over the window by the average's divisor.
    fn naive_grads(g: [i32; 12], x: &[f32], dy: &[f32], include_pad: bool) -> (Vec<f32>, Vec<f32>) {
        let [n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw] = g.map(|v| v as isize);
        let (mut dmax, mut davg) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        for plane in 0..n * c {
            for i in 0..oh {
                for j in 0..ow {
                    let (h0, w0) = (i * sh - ph, j * sw - pw);
                    let (he, we) = ((h0 + kh).min(h + ph), (w0 + kw).min(w + pw));
                    let pixels: Vec<usize> = (h0.max(0)..he.min(h)).flat_map(|ih| (w0.max(0)..we.min(w)).map(move |iw| (plane * h * w + ih * w + iw) as usize)).collect();
                    let g = dy[(plane * oh * ow + i * ow + j) as usize];
                    let first_nan = pixels.iter().find(|&&at| x[at].is_nan());
                    let first_max = pixels.iter().fold(None, |b: Option<usize>, &at| if b.map_or(true, |b| x[at] > x[b]) { Some(at) } else { b });
                    if let Some(&at) = first_nan.or(first_max.as_ref()) {
                        dmax[at] += g;
                    }
                    let divisor = if include_pad { ((he - h0) * (we - w0)) as f32 } else { pixels.len() as f32 };
                    pixels.iter().for_each(|&at| davg[at] += g / divisor);
                }
            }
        }
        (dmax, davg)
    }

    #[test]
    fn gradients_match_the_definition() {
        // 2×2/2 (the fast path) on even and odd sizes, overlapping 3×3/2 padded, ceil mode's
        // partial window, stride above the kernel; ties (equal values) and a NaN.
        let cases = [[2, 3, 6, 8, 3, 4, 2, 2, 2, 2, 0, 0], [1, 2, 7, 5, 3, 2, 2, 2, 2, 2, 0, 0], [1, 2, 13, 11, 7, 6, 3, 3, 2, 2, 1, 1], [1, 3, 9, 10, 3, 3, 2, 3, 4, 4, 1, 1], [2, 1, 5, 5, 3, 3, 2, 2, 2, 2, 0, 0]];
        for g in cases {
            let len = (g[0] * g[1] * g[2] * g[3]) as usize;
            let mut x: Vec<f32> = (0..len).map(|i| ((i * 37) % 7) as f32).collect();
            x[len / 3] = f32::NAN;
            let dy: Vec<f32> = (0..(g[0] * g[1] * g[4] * g[5]) as usize).map(|i| i as f32 * 0.5 - 3.0).collect();
            for include_pad in [false, true] {
                let (dmax, davg) = naive_grads(g, &x, &dy, include_pad);
                // Garbage in dx first: the kernels must write every element.
                let (mut got_max, mut got_avg) = (vec![f32::NAN; len], vec![f32::NAN; len]);
                unsafe {
                    assert_eq!(fv_max_pool2d_grad(dy.as_ptr(), x.as_ptr(), got_max.as_mut_ptr(), g.as_ptr()), 0);
                    assert_eq!(fv_avg_pool2d_grad(dy.as_ptr(), got_avg.as_mut_ptr(), g.as_ptr(), include_pad as i32), 0);
                }
                assert_eq!(got_max, dmax, "{g:?} max");
                for (got, want) in got_avg.iter().zip(&davg) {
                    assert!((got - want).abs() < 1e-5, "{g:?} avg: {got} vs {want}");
                }
            }
        }
    }

    #[test]
    fn forward_matches_the_definition() {
        // n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw: 3×3/2 padded, ceil mode's partial last
        // window, stride above the kernel, a 1-wide image, 2×2/2 (narrow; wide rows with an odd
        // width: vector steps, then scalar ones).
        let cases = [[1, 2, 13, 11, 7, 6, 3, 3, 2, 2, 1, 1], [2, 1, 8, 8, 4, 4, 3, 3, 2, 2, 0, 0], [1, 3, 9, 10, 3, 3, 2, 3, 4, 4, 1, 1], [1, 1, 5, 1, 3, 1, 3, 1, 2, 1, 1, 0], [1, 2, 6, 6, 3, 3, 2, 2, 2, 2, 0, 0], [2, 2, 10, 21, 5, 10, 2, 2, 2, 2, 0, 0]];
        for g in cases {
            let len = (g[0] * g[1] * g[2] * g[3]) as usize;
            let mut x: Vec<f32> = (0..len).map(|i| ((i * 37) % 23) as f32 - 11.0).collect();
            x[len / 2] = f32::NAN;
            for include_pad in [false, true] {
                let (max, avg) = naive(g, &x, include_pad);
                let (mut y_max, mut y_avg) = (vec![0.0; max.len()], vec![0.0; avg.len()]);
                unsafe {
                    assert_eq!(fv_max_pool2d(x.as_ptr(), y_max.as_mut_ptr(), g.as_ptr()), 0);
                    assert_eq!(fv_avg_pool2d(x.as_ptr(), y_avg.as_mut_ptr(), g.as_ptr(), include_pad as i32), 0);
                }
                for (got, want) in y_max.iter().zip(&max).chain(y_avg.iter().zip(&avg)) {
                    assert!(got == want || (got.is_nan() && want.is_nan()) || (got - want).abs() < 1e-5, "{g:?}: {got} vs {want}");
                }
            }
        }
    }
}
