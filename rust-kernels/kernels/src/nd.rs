//! N-dimensional iteration: walks the rows (all dims but the last) of an output shape while
//! tracking the element offsets of several strided operands. Broadcasting is a stride of 0.

/// Up to this many dims cross the host boundary.
pub const MAX_RANK: usize = 8;

/// Reads `len` i32s the host wrote into wasm memory.
pub unsafe fn read_dims(ptr: *const i32, len: usize) -> [isize; MAX_RANK] {
    let mut out = [0isize; MAX_RANK];
    for (i, o) in out.iter_mut().enumerate().take(len.min(MAX_RANK)) {
        *o = *ptr.add(i) as isize;
    }
    out
}

/// Calls `row(offsets, row_index)` for every row of `shape` (the last dim is the row); the
/// offsets are the element offsets of each operand at the row's start. Rank 0 is one row of 1.
pub fn for_each_row<const K: usize>(shape: &[isize], strides: [&[isize]; K], mut row: impl FnMut([isize; K], usize)) {
    let rank = shape.len();
    if rank <= 1 {
        row([0; K], 0);
        return;
    }
    if shape.iter().any(|&d| d == 0) {
        return;
    }
    let outer = rank - 1;
    let mut idx = [0isize; MAX_RANK];
    let mut offs = [0isize; K];
    let rows: isize = shape[..outer].iter().product();
    for r in 0..rows as usize {
        row(offs, r);
        // Odometer increment over the outer dims, updating every operand's offset.
        let mut d = outer;
        while d > 0 {
            d -= 1;
            idx[d] += 1;
            for (o, s) in offs.iter_mut().zip(strides.iter()) {
                *o += s[d];
            }
            if idx[d] < shape[d] {
                break;
            }
            for (o, s) in offs.iter_mut().zip(strides.iter()) {
                *o -= s[d] * shape[d];
            }
            idx[d] = 0;
        }
    }
}

/// The same walk over fewer dims: size-1 dims dropped (all-ones is rank 0: one element), and each dim merged into the next where
/// every operand steps over it as over one longer dim (a concat part or a contiguous block
/// becomes one long row). Returns the rank, shape and strides per operand.
pub fn coalesce<const K: usize>(shape: &[isize], strides: [&[isize]; K]) -> (usize, [isize; MAX_RANK], [[isize; MAX_RANK]; K]) {
    let (mut rank, mut dims, mut out) = (0, [0isize; MAX_RANK], [[0isize; MAX_RANK]; K]);
    for d in 0..shape.len() {
        if shape[d] == 1 {
            continue;
        }
        let merges = rank > 0 && (0..K).all(|o| out[o][rank - 1] == strides[o][d] * shape[d]);
        if merges {
            dims[rank - 1] *= shape[d];
            (0..K).for_each(|o| out[o][rank - 1] = strides[o][d]);
        } else {
            dims[rank] = shape[d];
            (0..K).for_each(|o| out[o][rank] = strides[o][d]);
            rank += 1;
        }
    }
    (rank, dims, out)
}

/// Length of the last dim (1 for a scalar).
pub fn row_len(shape: &[isize]) -> usize {
    shape.last().copied().unwrap_or(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_rows_with_broadcast_strides() {
        let shape = [2isize, 3, 4];
        let a = [12isize, 4, 1];
        let b = [0isize, 1, 0];
        let mut seen = vec![];
        for_each_row(&shape, [&a, &b], |o, r| seen.push((o, r)));
        assert_eq!(seen.len(), 6);
        assert_eq!(seen[4], ([16, 1], 4));
        assert_eq!(seen[5], ([20, 2], 5));
    }

    #[test]
    fn coalesces_dims_walked_as_one() {
        // A [1, 64, 55, 55] concat part written at channel offset in a [1, 128, 55, 55] output: one row.
        let (rank, shape, [s, d]) = coalesce(&[1, 64, 55, 55], [&[193600, 3025, 55, 1], &[387200, 3025, 55, 1]]);
        assert_eq!((rank, &shape[..rank], &s[..rank], &d[..rank]), (1, &[193600][..], &[1][..], &[1][..]));
        // A transpose keeps its dims.
        let (rank, shape, [s, d]) = coalesce(&[2, 3, 4], [&[1, 2, 6], &[12, 4, 1]]);
        assert_eq!((rank, &shape[..rank], &s[..rank], &d[..rank]), (3, &[2, 3, 4][..], &[1, 2, 6][..], &[12, 4, 1][..]));
        // A broadcast source into a contiguous output is one row; all-ones shapes are a scalar.
        let (rank, shape, [s, d]) = coalesce(&[2, 3, 4], [&[0, 0, 0], &[12, 4, 1]]);
        assert_eq!((rank, &shape[..rank], &s[..rank], &d[..rank]), (1, &[24][..], &[0][..], &[1][..]));
        let (rank, shape, _) = coalesce(&[1, 1], [&[1, 1]]);
        assert_eq!((rank, row_len(&shape[..rank])), (0, 1));
    }
}

/// Row-major element strides of `shape`.
pub fn contiguous_strides(shape: &[isize]) -> [isize; MAX_RANK] {
    let mut s = [0isize; MAX_RANK];
    let mut acc = 1;
    for d in (0..shape.len()).rev() {
        s[d] = acc;
        acc *= shape[d];
    }
    s
}
