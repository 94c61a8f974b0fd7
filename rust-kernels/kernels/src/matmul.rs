//! batchMatmul: c[b] = op(a[b]) · op(b[b]), op being an optional transpose (a stride swap).

use crate::gemm::{gemm, Dims, Out, Strided};

/// a is [batch, m, k] ([batch, k, m] when `ta`), b is [batch, k, n] ([batch, n, k] when `tb`),
/// c is [batch, m, n]. Returns 1 when scratch memory ran out.
#[no_mangle]
pub unsafe extern "C" fn fv_batch_matmul(a: *const f32, b: *const f32, c: *mut f32, batch: usize, m: usize, n: usize, k: usize, ta: i32, tb: i32) -> i32 {
    let (m_, n_, k_) = (m as isize, n as isize, k as isize);
    let sa = if ta != 0 { Strided { ptr: a, batch: m_ * k_, rows: 1, cols: m_ } } else { Strided { ptr: a, batch: m_ * k_, rows: k_, cols: 1 } };
    let sb = if tb != 0 { Strided { ptr: b, batch: k_ * n_, rows: 1, cols: k_ } } else { Strided { ptr: b, batch: k_ * n_, rows: n_, cols: 1 } };
    let ok = gemm(Dims { batch, m, n, k }, &sa, &sb, Out { ptr: c, batch: m * n, ld: n }, false);
    (!ok) as i32
}
