//! Elementwise ops: unary maps, broadcasting binary ops, `where` and `cast`.
//! Inner loops are plain slices so LLVM vectorises them with simd128.

use crate::nd::{for_each_row, read_dims, row_len};

/// Dtype codes shared with the host.
pub const F32: i32 = 0;
pub const I32: i32 = 1;
pub const BOOL: i32 = 2;

/// y = f(x) elementwise; generic over `f` so each op gets its own (vectorised) loop.
#[inline(always)]
unsafe fn map<T: Copy>(x: *const T, y: *mut T, n: usize, f: impl Fn(T) -> T) {
    let (x, y) = (core::slice::from_raw_parts(x, n), core::slice::from_raw_parts_mut(y, n));
    y.iter_mut().zip(x).for_each(|(o, &v)| *o = f(v));
}

/// y = op(x) over `n` floats. Ops: 0 neg, 1 abs, 2 exp, 3 log, 4 sqrt, 5 relu, 6 sigmoid, 7 tanh.
#[no_mangle]
pub unsafe extern "C" fn fv_unary_f32(op: i32, x: *const f32, y: *mut f32, n: usize) -> i32 {
    match op {
        0 => map(x, y, n, |v: f32| -v),
        1 => map(x, y, n, f32::abs),
        2 => map(x, y, n, f32::exp),
        3 => map(x, y, n, f32::ln),
        4 => map(x, y, n, f32::sqrt),
        // `v < 0 ? 0 : v` keeps NaN, as torch.relu does.
        5 => map(x, y, n, |v: f32| if v < 0.0 { 0.0 } else { v }),
        6 => map(x, y, n, |v: f32| 1.0 / (1.0 + (-v).exp())),
        7 => map(x, y, n, f32::tanh),
        _ => return 3,
    }
    0
}

/// y = op(x) over `n` int32s. Ops: 0 neg, 1 abs (wrapping, like two's complement hardware).
#[no_mangle]
pub unsafe extern "C" fn fv_unary_i32(op: i32, x: *const i32, y: *mut i32, n: usize) -> i32 {
    match op {
        0 => map(x, y, n, i32::wrapping_neg),
        1 => map(x, y, n, i32::wrapping_abs),
        _ => return 3,
    }
    0
}

/// Broadcasting map of two operands into a contiguous output of `shape`.
unsafe fn broadcast2<T: Copy, U: Copy>(f: impl Fn(T, T) -> U, a: *const T, b: *const T, out: *mut U, shape: &[isize], sa: &[isize], sb: &[isize]) {
    let n = row_len(shape);
    let (ia, ib) = (sa.last().copied().unwrap_or(0), sb.last().copied().unwrap_or(0));
    for_each_row(shape, [sa, sb], |[oa, ob], r| {
        let o = core::slice::from_raw_parts_mut(out.add(r * n), n);
        let (pa, pb) = (a.offset(oa), b.offset(ob));
        match (ia, ib) {
            (1, 1) => {
                let (x, y) = (core::slice::from_raw_parts(pa, n), core::slice::from_raw_parts(pb, n));
                o.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (&x, &y))| *o = f(x, y));
            }
            (1, 0) => {
                let (x, y) = (core::slice::from_raw_parts(pa, n), *pb);
                o.iter_mut().zip(x).for_each(|(o, &x)| *o = f(x, y));
            }
            (0, 1) => {
                let (x, y) = (*pa, core::slice::from_raw_parts(pb, n));
                o.iter_mut().zip(y).for_each(|(o, &y)| *o = f(x, y));
            }
            _ => o.iter_mut().enumerate().for_each(|(i, o)| *o = f(*pa.offset(i as isize * ia), *pb.offset(i as isize * ib))),
        }
    });
}

trait Arith: Copy + PartialOrd + PartialEq {
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn pow(self, o: Self) -> Self;
    fn maximum(self, o: Self) -> Self;
}

impl Arith for f32 {
    fn add(self, o: f32) -> f32 { self + o }
    fn sub(self, o: f32) -> f32 { self - o }
    fn mul(self, o: f32) -> f32 { self * o }
    fn div(self, o: f32) -> f32 { self / o }
    fn pow(self, o: f32) -> f32 { self.powf(o) }
    fn maximum(self, o: f32) -> f32 { crate::simd::max_nan(self, o) }
}

/// Integer semantics: wrapping arithmetic, division truncates toward zero and x/0 is 0 (wasm
/// would trap), negative powers truncate to 0 unless the base is ±1.
impl Arith for i32 {
    fn add(self, o: i32) -> i32 { self.wrapping_add(o) }
    fn sub(self, o: i32) -> i32 { self.wrapping_sub(o) }
    fn mul(self, o: i32) -> i32 { self.wrapping_mul(o) }
    fn div(self, o: i32) -> i32 { if o == 0 { 0 } else { self.wrapping_div(o) } }
    fn pow(self, o: i32) -> i32 {
        if o >= 0 {
            self.wrapping_pow(o as u32)
        } else {
            match self { 1 => 1, -1 => if o % 2 == 0 { 1 } else { -1 }, _ => 0 }
        }
    }
    fn maximum(self, o: i32) -> i32 { self.max(o) }
}

impl Arith for u8 {
    fn add(self, o: u8) -> u8 { self | o }
    fn sub(self, o: u8) -> u8 { self ^ o }
    fn mul(self, o: u8) -> u8 { self & o }
    fn div(self, o: u8) -> u8 { if o == 0 { 0 } else { self } }
    fn pow(self, o: u8) -> u8 { if o == 0 { 1 } else { self } }
    fn maximum(self, o: u8) -> u8 { self.max(o) }
}

unsafe fn binary_typed<T: Arith>(op: i32, a: *const T, b: *const T, out: *mut u8, shape: &[isize], sa: &[isize], sb: &[isize]) -> i32 {
    let out_t = out as *mut T;
    match op {
        0 => broadcast2(T::add, a, b, out_t, shape, sa, sb),
        1 => broadcast2(T::sub, a, b, out_t, shape, sa, sb),
        2 => broadcast2(T::mul, a, b, out_t, shape, sa, sb),
        3 => broadcast2(T::div, a, b, out_t, shape, sa, sb),
        4 => broadcast2(T::pow, a, b, out_t, shape, sa, sb),
        5 => broadcast2(T::maximum, a, b, out_t, shape, sa, sb),
        6 => broadcast2(|x: T, y: T| (x < y) as u8, a, b, out, shape, sa, sb),
        7 => broadcast2(|x: T, y: T| (x == y) as u8, a, b, out, shape, sa, sb),
        _ => return 3,
    }
    0
}

/// out = op(a, b) broadcast to `shape` (rank dims at `shape_ptr`; the operands' element
/// strides at `sa_ptr`/`sb_ptr`, 0 on broadcast dims). Ops: 0 add, 1 sub, 2 mul, 3 div, 4 pow,
/// 5 maximum, 6 less, 7 equal (the last two write bools).
#[no_mangle]
pub unsafe extern "C" fn fv_binary(op: i32, dtype: i32, a: *const u8, b: *const u8, out: *mut u8, rank: usize, shape_ptr: *const i32, sa_ptr: *const i32, sb_ptr: *const i32) -> i32 {
    let (shape, sa, sb) = (read_dims(shape_ptr, rank), read_dims(sa_ptr, rank), read_dims(sb_ptr, rank));
    let (shape, sa, sb) = (&shape[..rank], &sa[..rank], &sb[..rank]);
    match dtype {
        F32 => binary_typed(op, a as *const f32, b as *const f32, out, shape, sa, sb),
        I32 => binary_typed(op, a as *const i32, b as *const i32, out, shape, sa, sb),
        BOOL => binary_typed(op, a, b, out, shape, sa, sb),
        _ => 3,
    }
}

unsafe fn where_typed<T: Copy>(c: *const u8, a: *const T, b: *const T, out: *mut T, shape: &[isize], st: [&[isize]; 3]) {
    let n = row_len(shape);
    let inner = [st[0].last().copied().unwrap_or(0), st[1].last().copied().unwrap_or(0), st[2].last().copied().unwrap_or(0)];
    for_each_row(shape, st, |[oc, oa, ob], r| {
        let (c, a, b, o) = (c.offset(oc), a.offset(oa), b.offset(ob), out.add(r * n));
        // Rows that are contiguous or broadcast get a loop of their own (relu's gradient is
        // where(mask, dy, 0)), which the compiler vectorises; other strides take the general one.
        match inner {
            [1, 1, 1] => select_row::<T, 1, 1, 1>(c, a, b, o, n, inner),
            [1, 1, 0] => select_row::<T, 1, 1, 0>(c, a, b, o, n, inner),
            [1, 0, 1] => select_row::<T, 1, 0, 1>(c, a, b, o, n, inner),
            _ => select_row::<T, -1, -1, -1>(c, a, b, o, n, inner),
        }
    });
}

/// One row of `where`; a const stride of 0 or 1 is fixed at compile time, -1 reads `strides`.
#[inline(always)]
unsafe fn select_row<T: Copy, const SC: isize, const SA: isize, const SB: isize>(c: *const u8, a: *const T, b: *const T, o: *mut T, n: usize, strides: [isize; 3]) {
    let step = |fixed: isize, k: usize| if fixed >= 0 { fixed } else { strides[k] };
    let (sc, sa, sb) = (step(SC, 0), step(SA, 1), step(SB, 2));
    for i in 0..n as isize {
        // Both sides are read so the choice is a select, not a branch.
        let (x, y) = (*a.offset(i * sa), *b.offset(i * sb));
        *o.offset(i) = if *c.offset(i * sc) != 0 { x } else { y };
    }
}

/// out = cond ? a : b, all three broadcast to `shape`; `elem_bytes` is 1 (bool) or 4.
#[no_mangle]
pub unsafe extern "C" fn fv_where(elem_bytes: usize, cond: *const u8, a: *const u8, b: *const u8, out: *mut u8, rank: usize, shape_ptr: *const i32, sc_ptr: *const i32, sa_ptr: *const i32, sb_ptr: *const i32) -> i32 {
    let (shape, sc, sa, sb) = (read_dims(shape_ptr, rank), read_dims(sc_ptr, rank), read_dims(sa_ptr, rank), read_dims(sb_ptr, rank));
    let st = [&sc[..rank], &sa[..rank], &sb[..rank]];
    match elem_bytes {
        4 => where_typed(cond, a as *const u32, b as *const u32, out as *mut u32, &shape[..rank], st),
        1 => where_typed(cond, a, b, out, &shape[..rank], st),
        _ => return 3,
    }
    0
}

/// Converts `n` elements between dtypes: float→int truncates toward zero (saturating, NaN→0),
/// anything→bool is `x != 0`, bool→number is 0/1.
#[no_mangle]
pub unsafe extern "C" fn fv_cast(from: i32, x: *const u8, to: i32, y: *mut u8, n: usize) -> i32 {
    macro_rules! map {
        ($src:ty, $dst:ty, $f:expr) => {{
            let (x, y) = (core::slice::from_raw_parts(x as *const $src, n), core::slice::from_raw_parts_mut(y as *mut $dst, n));
            y.iter_mut().zip(x).for_each(|(o, &v)| *o = $f(v));
        }};
    }
    match (from, to) {
        (F32, I32) => map!(f32, i32, |v: f32| v as i32),
        (F32, BOOL) => map!(f32, u8, |v: f32| (v != 0.0) as u8),
        (I32, F32) => map!(i32, f32, |v: i32| v as f32),
        (I32, BOOL) => map!(i32, u8, |v: i32| (v != 0) as u8),
        (BOOL, F32) => map!(u8, f32, |v: u8| (v != 0) as u8 as f32),
        (BOOL, I32) => map!(u8, i32, |v: u8| (v != 0) as i32),
        (F32, F32) | (I32, I32) => core::ptr::copy(x, y, n * 4),
        (BOOL, BOOL) => map!(u8, u8, |v: u8| (v != 0) as u8),
        _ => return 3,
    }
    0
}

/// One Adam update of `n` parameters, matching @fovea/optim's `adamStep` decomposition operation
/// for operation (the host rounds each constant to f32 as the decomposition's scalars are).
/// `ptrs` holds nine pointers: param, grad, expAvg, expAvgSq, maxExpAvgSq (null without
/// AMSGrad), then the outputs in the same order. `mode`: 0 no weight decay, 1 L2 (`decay` = wd,
/// added to the gradient), 2 decoupled (`decay` = 1 - lr·wd). `bias2` = sqrt(1 - beta2^t),
/// `step_size` = lr / (1 - beta1^t).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fv_adam(ptrs: *const *mut f32, n: usize, mode: i32, decay: f32, beta1: f32, one_minus_beta1: f32, beta2: f32, one_minus_beta2: f32, bias2: f32, eps: f32, step_size: f32) -> i32 {
    if !(0..=2).contains(&mode) {
        return 3;
    }
    let arg = |i: usize| *ptrs.add(i);
    let (p, g, m, v, vmax) = (arg(0), arg(1), arg(2), arg(3), arg(4));
    let (po, mo, vo, vmaxo) = (arg(5), arg(6), arg(7), arg(8));
    let amsgrad = !vmax.is_null();
    for i in 0..n {
        let (mut gi, mut wi) = (*g.add(i), *p.add(i));
        match mode {
            1 => gi = gi + wi * decay,
            2 => wi = wi * decay,
            _ => {}
        }
        let mi = *m.add(i) * beta1 + gi * one_minus_beta1;
        let vi = *v.add(i) * beta2 + gi * gi * one_minus_beta2;
        let top = if amsgrad { crate::simd::max_nan(*vmax.add(i), vi) } else { vi };
        *po.add(i) = wi - mi / (top.sqrt() / bias2 + eps) * step_size;
        *mo.add(i) = mi;
        *vo.add(i) = vi;
        if amsgrad {
            *vmaxo.add(i) = top;
        }
    }
    0
}
