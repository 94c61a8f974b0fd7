//! Reductions over the middle axis of an [outer, len, inner] view (the host merges the reduced
//! axes into one block, transposing first when they are not adjacent), and softmax.

use crate::simd::{max_nan, F4};

/// Sum of a contiguous run with four SIMD partial sums (also more accurate than one chain).
unsafe fn sum_run(x: *const f32, n: usize) -> f32 {
    let mut acc = [F4::zero(); 4];
    let mut i = 0;
    while i + 16 <= n {
        for (j, a) in acc.iter_mut().enumerate() {
            *a = *a + F4::load(x.add(i + 4 * j));
        }
        i += 16;
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])).hsum();
    while i < n {
        s += *x.add(i);
        i += 1;
    }
    s
}

unsafe fn max_run(x: *const f32, n: usize) -> f32 {
    let mut m = f32::NEG_INFINITY;
    let mut i = 0;
    if n >= 4 {
        let mut acc = F4::load(x);
        i = 4;
        while i + 4 <= n {
            acc = acc.max(F4::load(x.add(i)));
            i += 4;
        }
        m = acc.hmax();
    }
    while i < n {
        m = max_nan(m, *x.add(i));
        i += 1;
    }
    m
}

/// y[o, i] = reduce over l of x[o, l, i]. Ops: 0 sum, 1 max. dtype 0 f32, 1 i32.
#[no_mangle]
pub unsafe extern "C" fn fv_reduce(op: i32, dtype: i32, x: *const u8, y: *mut u8, outer: usize, len: usize, inner: usize) -> i32 {
    match (op, dtype) {
        (0, 0) | (1, 0) => reduce_f32(op == 1, x as *const f32, y as *mut f32, outer, len, inner),
        (0, 1) => reduce_i32(|a: i32, b| a.wrapping_add(b), 0, x as *const i32, y as *mut i32, outer, len, inner),
        (1, 1) => reduce_i32(i32::max, i32::MIN, x as *const i32, y as *mut i32, outer, len, inner),
        _ => return 3,
    }
    0
}

unsafe fn reduce_f32(is_max: bool, x: *const f32, y: *mut f32, outer: usize, len: usize, inner: usize) {
    for o in 0..outer {
        let xo = x.add(o * len * inner);
        let yo = core::slice::from_raw_parts_mut(y.add(o * inner), inner);
        if inner == 1 {
            yo[0] = if is_max { max_run(xo, len) } else { sum_run(xo, len) };
            continue;
        }
        // Accumulate whole rows (vectorised across `inner`).
        yo.fill(if is_max { f32::NEG_INFINITY } else { 0.0 });
        for l in 0..len {
            let row = core::slice::from_raw_parts(xo.add(l * inner), inner);
            if is_max {
                yo.iter_mut().zip(row).for_each(|(a, &v)| *a = max_nan(*a, v));
            } else {
                yo.iter_mut().zip(row).for_each(|(a, &v)| *a += v);
            }
        }
    }
}

unsafe fn reduce_i32(f: impl Fn(i32, i32) -> i32, init: i32, x: *const i32, y: *mut i32, outer: usize, len: usize, inner: usize) {
    for o in 0..outer {
        for i in 0..inner {
            let mut acc = init;
            for l in 0..len {
                acc = f(acc, *x.add((o * len + l) * inner + i));
            }
            *y.add(o * inner + i) = acc;
        }
    }
}

/// y[o, i] = first l maximising x[o, l, i] (NaN counts as the maximum). dtype 0 f32, 1 i32.
#[no_mangle]
pub unsafe extern "C" fn fv_argmax(dtype: i32, x: *const u8, y: *mut i32, outer: usize, len: usize, inner: usize) -> i32 {
    for o in 0..outer {
        for i in 0..inner {
            let at = |l: usize| (o * len + l) * inner + i;
            let mut best = 0usize;
            if dtype == 0 {
                let x = x as *const f32;
                for l in 1..len {
                    let (v, b) = (*x.add(at(l)), *x.add(at(best)));
                    if !b.is_nan() && (v > b || v.is_nan()) {
                        best = l;
                    }
                }
            } else {
                let x = x as *const i32;
                for l in 1..len {
                    if *x.add(at(l)) > *x.add(at(best)) {
                        best = l;
                    }
                }
            }
            *y.add(o * inner + i) = best as i32;
        }
    }
    0
}

/// Softmax (or log-softmax when `log` != 0) over the middle axis of [outer, len, inner].
#[no_mangle]
pub unsafe extern "C" fn fv_softmax(x: *const f32, y: *mut f32, outer: usize, len: usize, inner: usize, log: i32) -> i32 {
    let mut buf = Vec::new();
    for o in 0..outer {
        for i in 0..inner {
            let base = o * len * inner + i;
            let xs = (0..len).map(|l| *x.add(base + l * inner));
            let m = xs.clone().fold(f32::NEG_INFINITY, max_nan);
            buf.clear();
            buf.extend(xs.map(|v| v - m));
            let total: f32 = buf.iter().map(|v| v.exp()).sum();
            let log_total = total.ln();
            for (l, v) in buf.iter().enumerate() {
                *y.add(base + l * inner) = if log != 0 { v - log_total } else { v.exp() / total };
            }
        }
    }
    0
}
