//! Data movement: one strided copy serves transpose, expand, slice, pad and concat (the host
//! computes the strides); plus fill, gather and scatter-add.

use crate::nd::{coalesce, for_each_row, read_dims, row_len, MAX_RANK};

unsafe fn copy_typed<T: Copy>(src: *const T, dst: *mut T, shape: &[isize], ss: &[isize], ds: &[isize]) {
    // Long rows: a concat part or a slice of whole rows is then one copy, not one per row.
    let (rank, shape, [ss, ds]) = coalesce(shape, [ss, ds]);
    let (shape, ss, ds) = (&shape[..rank], &ss[..rank], &ds[..rank]);
    let n = row_len(shape) as isize;
    let (is, id) = (ss.last().copied().unwrap_or(0), ds.last().copied().unwrap_or(0));
    for_each_row(shape, [ss, ds], |[os, od], _| {
        let (s, d) = (src.offset(os), dst.offset(od));
        if is == 1 && id == 1 {
            core::ptr::copy_nonoverlapping(s, d, n as usize);
        } else {
            for i in 0..n {
                *d.offset(i * id) = *s.offset(i * is);
            }
        }
    });
}

/// Copies the `shape` block of elements from `src` to `dst`, each walked with its own element
/// strides (any sign; 0 repeats an element). `elem_bytes` is 1 or 4.
#[no_mangle]
pub unsafe extern "C" fn fv_copy_strided(elem_bytes: usize, src: *const u8, dst: *mut u8, rank: usize, shape_ptr: *const i32, ss_ptr: *const i32, ds_ptr: *const i32) -> i32 {
    let (shape, ss, ds) = (read_dims(shape_ptr, rank), read_dims(ss_ptr, rank), read_dims(ds_ptr, rank));
    let (shape, ss, ds) = (&shape[..rank], &ss[..rank], &ds[..rank]);
    match elem_bytes {
        4 => copy_typed(src as *const u32, dst as *mut u32, shape, ss, ds),
        1 => copy_typed(src, dst, shape, ss, ds),
        _ => return 3,
    }
    0
}

/// Fills `n` elements with the bit pattern `bits` (an f32/i32 for 4-byte elements, a byte for 1).
#[no_mangle]
pub unsafe extern "C" fn fv_fill(elem_bytes: usize, dst: *mut u8, n: usize, bits: u32) -> i32 {
    match elem_bytes {
        4 => core::slice::from_raw_parts_mut(dst as *mut u32, n).fill(bits),
        1 => core::slice::from_raw_parts_mut(dst, n).fill(bits as u8),
        _ => return 3,
    }
    0
}

/// Walks every position of `shape` (the index tensor's), calling `f(pos_offset, base_offset)`
/// where `base_offset` indexes the strided tensor with the `axis` dim left out.
fn for_each_index(shape: &[isize], strides: &[isize], axis: usize, mut f: impl FnMut(usize, isize)) {
    if axis >= shape.len() {
        return;
    }
    let mut no_axis = [0isize; MAX_RANK];
    no_axis[..shape.len()].copy_from_slice(strides);
    no_axis[axis] = 0;
    let n = row_len(shape);
    let inner = no_axis[shape.len() - 1];
    let contiguous = crate::nd::contiguous_strides(shape);
    for_each_row(shape, [&no_axis[..shape.len()], &contiguous[..shape.len()]], |[ob, _], r| {
        for i in 0..n {
            f(r * n + i, ob + i as isize * inner);
        }
    });
}

/// out[..i..] = x[..index[..i..]..] along `axis`; `out` and `index` have `ishape`, `x` is walked
/// with `xstrides` and has `axis_len` entries on `axis`. Returns 2 on an index out of range.
#[no_mangle]
pub unsafe extern "C" fn fv_gather(elem_bytes: usize, x: *const u8, index: *const i32, out: *mut u8, rank: usize, ishape_ptr: *const i32, xs_ptr: *const i32, axis: usize, axis_len: i32) -> i32 {
    let (shape, xs) = (read_dims(ishape_ptr, rank), read_dims(xs_ptr, rank));
    let step = xs[axis];
    let mut bad = false;
    for_each_index(&shape[..rank], &xs[..rank], axis, |pos, base| {
        let k = *index.add(pos);
        if k < 0 || k >= axis_len {
            bad = true;
            return;
        }
        let src = base + k as isize * step;
        match elem_bytes {
            4 => *(out as *mut u32).add(pos) = *(x as *const u32).offset(src),
            _ => *out.add(pos) = *x.offset(src),
        }
    });
    if bad { 2 } else { 0 }
}

/// out[..index[..i..]..] += src[..i..] along `axis`, for every position of the index tensor
/// (`ishape`; `src` is walked with `src_strides`, `out` with `out_strides`). `out` already holds
/// the base. f32 (dtype 0) or i32 (1). Returns 2 on an index out of range.
#[no_mangle]
pub unsafe extern "C" fn fv_scatter_add(dtype: i32, out: *mut u8, index: *const i32, src: *const u8, rank: usize, ishape_ptr: *const i32, src_strides_ptr: *const i32, out_strides_ptr: *const i32, axis: usize, axis_len: i32) -> i32 {
    let (shape, ss, os) = (read_dims(ishape_ptr, rank), read_dims(src_strides_ptr, rank), read_dims(out_strides_ptr, rank));
    let shape = &shape[..rank];
    // Source offsets per index position, gathered first so both walks stay simple.
    let mut src_off = Vec::with_capacity(shape.iter().product::<isize>() as usize);
    let contiguous = crate::nd::contiguous_strides(shape);
    for_each_row(shape, [&ss[..rank], &contiguous[..rank]], |[o, _], _| {
        for i in 0..row_len(shape) as isize {
            src_off.push(o + i * ss[rank - 1]);
        }
    });
    let step = os[axis];
    let mut bad = false;
    for_each_index(shape, &os[..rank], axis, |pos, base| {
        let k = *index.add(pos);
        if k < 0 || k >= axis_len {
            bad = true;
            return;
        }
        let dst = base + k as isize * step;
        if dtype == 0 {
            *(out as *mut f32).offset(dst) += *(src as *const f32).offset(src_off[pos]);
        } else {
            let d = (out as *mut i32).offset(dst);
            *d = (*d).wrapping_add(*(src as *const i32).offset(src_off[pos]));
        }
    });
    if bad { 2 } else { 0 }
}
