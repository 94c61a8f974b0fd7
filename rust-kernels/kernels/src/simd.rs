//! A 4-lane f32 vector. On wasm32 it is a `v128` (simd128); elsewhere a plain array, so the
//! same kernels run natively under `cargo test`.

use core::ops::{Add, Div, Mul, Sub};

#[cfg(target_arch = "wasm32")]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F4(pub v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }
        /// Unaligned load of 4 floats.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4(v128_load(p as *const v128))
        }
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }
        #[inline(always)]
        pub fn add(self, o: F4) -> F4 {
            F4(f32x4_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn sub(self, o: F4) -> F4 {
            F4(f32x4_sub(self.0, o.0))
        }
        #[inline(always)]
        pub fn mul(self, o: F4) -> F4 {
            F4(f32x4_mul(self.0, o.0))
        }
        #[inline(always)]
        pub fn div(self, o: F4) -> F4 {
            F4(f32x4_div(self.0, o.0))
        }
        /// Lane-wise maximum that propagates NaN, like `torch.maximum`.
        #[inline(always)]
        pub fn max(self, o: F4) -> F4 {
            F4(f32x4_max(self.0, o.0))
        }
        /// Rows of a 4×4 block → its columns.
        #[inline(always)]
        pub fn transpose4(r: [F4; 4]) -> [F4; 4] {
            let lo01 = i32x4_shuffle::<0, 4, 1, 5>(r[0].0, r[1].0);
            let hi01 = i32x4_shuffle::<2, 6, 3, 7>(r[0].0, r[1].0);
            let lo23 = i32x4_shuffle::<0, 4, 1, 5>(r[2].0, r[3].0);
            let hi23 = i32x4_shuffle::<2, 6, 3, 7>(r[2].0, r[3].0);
            [
                F4(i32x4_shuffle::<0, 1, 4, 5>(lo01, lo23)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(lo01, lo23)),
                F4(i32x4_shuffle::<0, 1, 4, 5>(hi01, hi23)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(hi01, hi23)),
            ]
        }
        /// Lanes 0 and 2 of `a`, then of `b` (the even elements of 8 consecutive floats).
        #[inline(always)]
        pub fn even_lanes(a: F4, b: F4) -> F4 {
            F4(i32x4_shuffle::<0, 2, 4, 6>(a.0, b.0))
        }
        #[inline(always)]
        pub fn lanes(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct F4(pub [f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4((p as *const [f32; 4]).read_unaligned())
        }
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            (p as *mut [f32; 4]).write_unaligned(self.0)
        }
        #[inline(always)]
        fn zip(self, o: F4, f: impl Fn(f32, f32) -> f32) -> F4 {
            F4([f(self.0[0], o.0[0]), f(self.0[1], o.0[1]), f(self.0[2], o.0[2]), f(self.0[3], o.0[3])])
        }
        pub fn add(self, o: F4) -> F4 {
            self.zip(o, |a, b| a + b)
        }
        pub fn sub(self, o: F4) -> F4 {
            self.zip(o, |a, b| a - b)
        }
        pub fn mul(self, o: F4) -> F4 {
            self.zip(o, |a, b| a * b)
        }
        pub fn div(self, o: F4) -> F4 {
            self.zip(o, |a, b| a / b)
        }
        pub fn max(self, o: F4) -> F4 {
            self.zip(o, crate::simd::max_nan)
        }
        pub fn transpose4(r: [F4; 4]) -> [F4; 4] {
            [0, 1, 2, 3].map(|q| F4([r[0].0[q], r[1].0[q], r[2].0[q], r[3].0[q]]))
        }
        pub fn even_lanes(a: F4, b: F4) -> F4 {
            F4([a.0[0], a.0[2], b.0[0], b.0[2]])
        }
        pub fn lanes(self) -> [f32; 4] {
            self.0
        }
    }
}

pub use imp::F4;

impl F4 {
    #[inline(always)]
    pub fn zero() -> F4 {
        F4::splat(0.0)
    }
    #[inline(always)]
    pub fn hsum(self) -> f32 {
        let l = self.lanes();
        (l[0] + l[1]) + (l[2] + l[3])
    }
    #[inline(always)]
    pub fn hmax(self) -> f32 {
        let l = self.lanes();
        max_nan(max_nan(l[0], l[1]), max_nan(l[2], l[3]))
    }
}

impl Add for F4 {
    type Output = F4;
    #[inline(always)]
    fn add(self, o: F4) -> F4 {
        F4::add(self, o)
    }
}
impl Sub for F4 {
    type Output = F4;
    #[inline(always)]
    fn sub(self, o: F4) -> F4 {
        F4::sub(self, o)
    }
}
impl Mul for F4 {
    type Output = F4;
    #[inline(always)]
    fn mul(self, o: F4) -> F4 {
        F4::mul(self, o)
    }
}
impl Div for F4 {
    type Output = F4;
    #[inline(always)]
    fn div(self, o: F4) -> F4 {
        F4::div(self, o)
    }
}

/// Scalar maximum that propagates NaN from either side (f32::max drops it).
#[inline(always)]
pub fn max_nan(a: f32, b: f32) -> f32 {
    if a.is_nan() || a > b {
        a
    } else {
        b
    }
}
