//! Max and average pooling over NCHW planes, forward and backward. Padding never wins a max
//! (PyTorch pads with -inf); average pooling divides by the full window when
//! `count_include_pad`, else by the in-image part.

use crate::pool::for_range;
use crate::simd::max_nan;

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

    /// Visits every (plane, output index, window) in parallel over planes.
    /// Generic over `body` so the per-pixel work inlines into the loop.
    fn each_window<F: Fn(usize, usize, Window) + Sync>(&self, body: F) {
        let p = *self;
        for_range(p.planes, 1, &|start, end| {
            for plane in start..end {
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

    /// Offset (within the plane) of the window's first maximum; None for an empty window.
    unsafe fn argmax(&self, x: *const f32, win: Window) -> Option<usize> {
        let mut best: Option<(usize, f32)> = None;
        for ih in win.h0..win.h1 {
            for iw in win.w0..win.w1 {
                let at = ih * self.w + iw;
                let v = *x.add(at);
                match best {
                    Some((_, b)) if !(v > b || (v.is_nan() && !b.is_nan())) => {}
                    _ => best = Some((at, v)),
                }
            }
        }
        best.map(|(at, _)| at)
    }

    fn divisor(win: Window, include_pad: bool) -> f32 {
        if include_pad {
            win.padded as f32
        } else {
            ((win.h1 - win.h0) * (win.w1 - win.w0)) as f32
        }
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

#[no_mangle]
pub unsafe extern "C" fn fv_max_pool2d(x: *const f32, y: *mut f32, geometry: *const i32) -> i32 {
    let p = Pool::read(geometry);
    let ptrs = Ptrs(x, x, y);
    p.each_window(move |plane, at, win| {
        let (x, _, y) = ptrs.get();
        let xp = x.add(plane * p.in_plane());
        let Window { h0, h1, w0, w1, .. } = win;
        let mut m = f32::NEG_INFINITY;
        for ih in h0..h1 {
            for iw in w0..w1 {
                m = max_nan(m, *xp.add(ih * p.w + iw));
            }
        }
        *y.add(plane * p.out_plane() + at) = m;
    });
    0
}

#[no_mangle]
pub unsafe extern "C" fn fv_avg_pool2d(x: *const f32, y: *mut f32, geometry: *const i32, count_include_pad: i32) -> i32 {
    let p = Pool::read(geometry);
    let ptrs = Ptrs(x, x, y);
    p.each_window(move |plane, at, win| {
        let (x, _, y) = ptrs.get();
        let xp = x.add(plane * p.in_plane());
        let Window { h0, h1, w0, w1, .. } = win;
        let mut s = 0.0;
        for ih in h0..h1 {
            for iw in w0..w1 {
                s += *xp.add(ih * p.w + iw);
            }
        }
        *y.add(plane * p.out_plane() + at) = s / Pool::divisor(win, count_include_pad != 0);
    });
    0
}

/// dx = gradient of max pooling: each dy goes to its window's first maximum in x.
#[no_mangle]
pub unsafe extern "C" fn fv_max_pool2d_grad(dy: *const f32, x: *const f32, dx: *mut f32, geometry: *const i32) -> i32 {
    let p = Pool::read(geometry);
    core::slice::from_raw_parts_mut(dx, p.planes * p.in_plane()).fill(0.0);
    let ptrs = Ptrs(dy, x, dx);
    // Windows of one plane only write that plane, and planes are split between tasks.
    p.each_window(move |plane, at, win| {
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
    core::slice::from_raw_parts_mut(dx, p.planes * p.in_plane()).fill(0.0);
    let ptrs = Ptrs(dy, dy, dx);
    p.each_window(move |plane, at, win| {
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
