//! 3×3 stride-1 convolution by Winograd's F(2×2, 3×3): each 2×2 output tile is Aᵀ[(G g Gᵀ) ⊙
//! (Bᵀ d B)]A over its 4×4 input tile d, i.e. 16 multiplies per tile and channel pair instead of
//! 36. Summed over channels, the 16 elementwise products are 16 independent GEMMs
//! [O×C]·[C×tiles] (tiles of every image side by side), run by the packed GEMM as one batch.
//!
//! Scratch: U [16][O][C] (transformed filters), V [16][C][N·T] (transformed input tiles), M
//! [16][O][N·T] (the products); the bias, residual and activation are applied in the output
//! transform, which writes each tile's 2×2 pixels (clipped at odd edges) straight into y.

use crate::conv::{Conv, Ptrs};
use crate::gemm::{gemm, Act, Dims, Epilogue, Out, Strided};
use crate::heap;
use crate::pool::for_range;
use crate::simd::{max_nan, F4};
use core::ops::{Add, Sub};

/// Whether the geometry is one this kernel computes: 3×3, stride 1, dilation 1, one group.
pub(crate) fn fits(p: &Conv) -> bool {
    p.kh == 3 && p.kw == 3 && p.sh == 1 && p.sw == 1 && p.dh == 1 && p.dw == 1 && p.groups == 1 && p.oh > 0 && p.ow > 0
}

/// y = act(conv2d(x, w) + bias + residual) for a geometry that `fits`. Returns false when
/// scratch memory could not be allocated (nothing was written then).
pub(crate) unsafe fn conv3x3(p: &Conv, x: *const f32, w: *const f32, y: *mut f32, epi: Epilogue) -> bool {
    let p = *p;
    let tiles = tiles(&p);
    let cols = p.n * tiles;
    let (u_len, v_len, m_len) = (16 * p.o * p.c, 16 * p.c * cols, 16 * p.o * cols);
    let mut scratch = match heap::scratch(u_len + v_len + m_len) {
        Some(s) => s,
        None => return false,
    };
    let (u, rest) = scratch.split_at_mut(u_len);
    let (v, m) = rest.split_at_mut(v_len);
    let (u, v, m) = (u.as_mut_ptr(), v.as_mut_ptr(), m.as_mut_ptr());
    transform_filters(&p, Ptrs(w, core::ptr::null(), u));
    transform_input(&p, Ptrs(x, core::ptr::null(), v));
    let d = Dims { batch: 16, m: p.o, n: cols, k: p.c };
    let a = Strided { ptr: u, batch: (p.o * p.c) as isize, rows: p.c as isize, cols: 1 };
    let b = Strided { ptr: v, batch: (p.c * cols) as isize, rows: cols as isize, cols: 1 };
    if !gemm(d, &a, &b, Out { ptr: m, batch: p.o * cols, ld: cols }, false) {
        return false;
    }
    transform_output(&p, Ptrs(m, core::ptr::null(), y), &epi);
    drop(scratch);
    true
}

/// 2×2 output tiles per image.
pub(crate) fn tiles(p: &Conv) -> usize {
    tiles_h(p) * tiles_w(p)
}

fn tiles_h(p: &Conv) -> usize {
    (p.oh + 1) / 2
}

fn tiles_w(p: &Conv) -> usize {
    (p.ow + 1) / 2
}

/// U[k][o][c] = (G g Gᵀ)[k] for each 3×3 filter g = w[o, c].
unsafe fn transform_filters(p: &Conv, data: Ptrs) {
    let plane = p.o * p.c;
    for_range(plane, 256, &move |start, end| {
        let (w, _, u) = data.get();
        for oc in start..end {
            let g = w.add(oc * 9);
            // Columns of G·g, then each row of (G·g)·Gᵀ from them.
            let t = [0, 1, 2].map(|j| times_g(*g.add(j), *g.add(3 + j), *g.add(6 + j)));
            for i in 0..4 {
                for (j, v) in times_g(t[0][i], t[1][i], t[2][i]).iter().enumerate() {
                    *u.add((i * 4 + j) * plane + oc) = *v;
                }
            }
        }
    });
}

/// G·(a, b, c)ᵀ.
#[inline(always)]
fn times_g(a: f32, b: f32, c: f32) -> [f32; 4] {
    [a, 0.5 * (a + b + c), 0.5 * (a - b + c), c]
}

/// Bᵀ·d·B, for one tile (f32) or four side by side (F4).
#[inline(always)]
fn input_tile<T: Copy + Add<Output = T> + Sub<Output = T>>(d: [[T; 4]; 4]) -> [[T; 4]; 4] {
    let r = [0, 1, 2, 3].map(|j| [d[0][j] - d[2][j], d[1][j] + d[2][j], d[2][j] - d[1][j], d[1][j] - d[3][j]]);
    // r is (Bᵀ·d)ᵀ: row i of the result combines its column i.
    [0, 1, 2, 3].map(|i| [r[0][i] - r[2][i], r[1][i] + r[2][i], r[2][i] - r[1][i], r[1][i] - r[3][i]])
}

/// Aᵀ·m·A for m given as its 16 values (row-major), one tile or four.
#[inline(always)]
fn output_tile<T: Copy + Add<Output = T> + Sub<Output = T>>(m: [T; 16]) -> [[T; 2]; 2] {
    let r = [0, 1, 2, 3].map(|j| [m[j] + m[4 + j] + m[8 + j], m[4 + j] - m[8 + j] - m[12 + j]]);
    [0, 1].map(|i| [r[0][i] + r[1][i] + r[2][i], r[1][i] - r[2][i] - r[3][i]])
}

/// V[k][c][n·T + t] = (Bᵀ d B)[k] for tile t of channel c of image n, d its 4×4 input patch
/// (zero outside the image). Four tiles of a row at a time where their 4×10 patch is inside the
/// image (stride-2 lanes: an even-lane shuffle of two loads per patch column).
unsafe fn transform_input(p: &Conv, data: Ptrs) {
    let p = *p;
    let (tw, tiles) = (tiles_w(&p), tiles(&p));
    let (cols, stride) = (p.n * tiles, p.c * p.n * tiles);
    for_range(p.n * p.c, 1, &move |start, end| {
        let (x, _, v) = data.get();
        for plane in start..end {
            let (n, c) = (plane / p.c, plane % p.c);
            let src = x.add(plane * p.plane());
            let dst = v.add(c * cols + n * tiles);
            let store = |t: usize, tile: [[f32; 4]; 4]| (0..16).for_each(|k| *dst.add(k * stride + t) = tile[k / 4][k % 4]);
            for ty in 0..tiles_h(&p) {
                let ih0 = 2 * ty as isize - p.ph;
                let rows_inside = ih0 >= 0 && ih0 as usize + 4 <= p.h;
                let mut tx = 0;
                while tx < tw {
                    let (t, iw0) = (ty * tw + tx, 2 * tx as isize - p.pw);
                    if rows_inside && tx + 4 <= tw && iw0 >= 0 && iw0 as usize + 11 <= p.w {
                        let origin = src.offset(ih0 * p.w as isize + iw0);
                        let d = [0, 1, 2, 3].map(|i| [0, 1, 2, 3].map(|j| {
                            let at = origin.add(i * p.w + j);
                            F4::even_lanes(F4::load(at), F4::load(at.add(4)))
                        }));
                        let tile = input_tile(d);
                        (0..16).for_each(|k| tile[k / 4][k % 4].store(dst.add(k * stride + t)));
                        tx += 4;
                    } else {
                        store(t, input_tile(load_tile(&p, src, ih0, iw0)));
                        tx += 1;
                    }
                }
            }
        }
    });
}

/// The 4×4 patch of `src` (one channel) whose top-left is (ih0, iw0), zero outside it.
#[inline(always)]
unsafe fn load_tile(p: &Conv, src: *const f32, ih0: isize, iw0: isize) -> [[f32; 4]; 4] {
    let mut d = [[0.0f32; 4]; 4];
    for (i, row) in d.iter_mut().enumerate() {
        let ih = ih0 + i as isize;
        if ih < 0 || ih as usize >= p.h {
            continue;
        }
        let line = src.offset(ih * p.w as isize);
        for (j, v) in row.iter_mut().enumerate() {
            let iw = iw0 + j as isize;
            if iw >= 0 && (iw as usize) < p.w {
                *v = *line.offset(iw);
            }
        }
    }
    d
}

/// y[n, o] tile t = act(Aᵀ m A + bias[o] + residual), m = M[·][o][n·T + t], clipped at the
/// bottom and right edges of odd-sized outputs. Four tiles of a row at a time where all their
/// pixels are inside the output.
unsafe fn transform_output(p: &Conv, data: Ptrs, epi: &Epilogue) {
    let p = *p;
    let (tw, tiles) = (tiles_w(&p), tiles(&p));
    let (cols, stride) = (p.n * tiles, p.o * p.n * tiles);
    for_range(p.n * p.o, 1, &move |start, end| {
        let (m, _, y) = data.get();
        for plane in start..end {
            let (n, o) = (plane / p.o, plane % p.o);
            let src = m.add(o * cols + n * tiles);
            let out = y.add(plane * p.spatial_out());
            let residual = if epi.residual.is_null() { epi.residual } else { epi.residual.add(plane * p.spatial_out()) };
            let bias = if epi.row_bias.is_null() { 0.0 } else { *epi.row_bias.add(o) };
            let finish = |at: usize, v: f32| {
                let v = v + bias + if residual.is_null() { 0.0 } else { *residual.add(at) };
                *out.add(at) = if epi.act == Act::Relu { max_nan(v, 0.0) } else { v };
            };
            for ty in 0..tiles_h(&p) {
                let oh0 = 2 * ty;
                let mut tx = 0;
                while tx < tw {
                    let t = ty * tw + tx;
                    if oh0 + 2 <= p.oh && 2 * tx + 8 <= p.ow {
                        let tile = output_tile(core::array::from_fn(|k| F4::load(src.add(k * stride + t))));
                        for (i, [even, odd]) in tile.iter().enumerate() {
                            let (e, o) = (even.lanes(), odd.lanes());
                            let at = (oh0 + i) * p.ow + 2 * tx;
                            (0..8).for_each(|l| finish(at + l, if l % 2 == 0 { e[l / 2] } else { o[l / 2] }));
                        }
                        tx += 4;
                        continue;
                    }
                    let tile = output_tile(core::array::from_fn(|k| *src.add(k * stride + t)));
                    for (i, row) in tile.iter().enumerate() {
                        for (j, v) in row.iter().enumerate() {
                            if oh0 + i < p.oh && 2 * tx + j < p.ow {
                                finish((oh0 + i) * p.ow + 2 * tx + j, *v);
                            }
                        }
                    }
                    tx += 1;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conv::tests::naive;
    use crate::testing::values;

    #[test]
    fn matches_the_definition() {
        // n, c, h, w, o, pad: odd and even sizes, padding 0 and 1, batch > 1, outputs narrower
        // than a tile, channel counts off the GEMM's blocks, rows wide enough for the four-tile
        // paths and their ragged ends.
        let cases: [[usize; 6]; 9] = [[1, 3, 9, 23, 4, 1], [2, 2, 10, 21, 3, 0], [1, 3, 5, 5, 4, 1], [2, 5, 7, 9, 6, 1], [2, 4, 8, 6, 3, 0], [1, 6, 9, 7, 5, 0], [3, 2, 3, 3, 2, 1], [1, 2, 3, 4, 3, 0], [2, 33, 6, 5, 35, 1]];
        for case in cases {
            let [n, c, h, w, o, pad] = case;
            let (oh, ow) = (h + 2 * pad - 2, w + 2 * pad - 2);
            let geometry = [n, c, h, w, o, 3, 3, oh, ow, 1, 1, pad, pad, 1, 1, 1].map(|v| v as i32);
            let p = unsafe { Conv::read(geometry.as_ptr()) };
            let x = values(n * c * h * w, 1);
            let wt = values(o * c * 9, 2);
            let bias = values(o, 3);
            let residual = values(n * o * oh * ow, 4);
            for relu in [false, true] {
                let want = naive(&p, &x, &wt, &bias, &residual, relu);
                let mut y = vec![f32::NAN; want.len()];
                let act = if relu { Act::Relu } else { Act::None };
                let epi = Epilogue { row_bias: bias.as_ptr(), col_bias: core::ptr::null(), residual: residual.as_ptr(), act };
                assert!(unsafe { conv3x3(&p, x.as_ptr(), wt.as_ptr(), y.as_mut_ptr(), epi) });
                for (i, (got, want)) in y.iter().zip(&want).enumerate() {
                    assert!((got - want).abs() < 1e-4, "{case:?} relu {relu} at {i}: {got} vs {want}");
                }
            }
        }
    }

    #[test]
    fn without_bias_or_residual() {
        let geometry = [1, 4, 6, 7, 3, 3, 3, 6, 7, 1, 1, 1, 1, 1, 1, 1];
        let p = unsafe { Conv::read(geometry.as_ptr()) };
        let (x, wt) = (values(4 * 42, 5), values(3 * 4 * 9, 6));
        let want = naive(&p, &x, &wt, &[0.0; 3], &vec![0.0; 3 * 42], false);
        let mut y = vec![f32::NAN; want.len()];
        assert!(unsafe { conv3x3(&p, x.as_ptr(), wt.as_ptr(), y.as_mut_ptr(), Epilogue::NONE) });
        for (got, want) in y.iter().zip(&want) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }
}
