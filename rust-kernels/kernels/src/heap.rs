//! Tensor storage: the host allocates and frees through these, on the main thread only.
//! Rust's allocator grows the wasm memory as needed; a failed growth comes back as a null
//! pointer, which the host turns into a typed error.

use std::alloc::{alloc, dealloc, Layout};

const ALIGN: usize = 16;

/// Returns a 16-byte aligned block of `bytes` (> 0), or 0 when memory cannot grow.
#[no_mangle]
pub extern "C" fn fv_alloc(bytes: usize) -> *mut u8 {
    match Layout::from_size_align(bytes.max(1), ALIGN) {
        Ok(layout) => unsafe { alloc(layout) },
        Err(_) => core::ptr::null_mut(),
    }
}

/// Frees a block from `fv_alloc`; `bytes` must be the size it was allocated with.
#[no_mangle]
pub unsafe extern "C" fn fv_free(ptr: *mut u8, bytes: usize) {
    if !ptr.is_null() {
        dealloc(ptr, Layout::from_size_align_unchecked(bytes.max(1), ALIGN));
    }
}

/// Scratch space for kernels, or `None` when memory cannot grow (the caller then reports
/// failure to the host instead of aborting). The contents are left as the allocator hands them
/// over: callers write every element before reading it (GEMM packs zero-fill their padding, a
/// column buffer is a GEMM output). Zeroing here cost more than the small products it served:
/// a GEMM takes ~400 KB of pack space per thread and a conv gradient runs one GEMM per image.
pub fn scratch(len: usize) -> Option<Vec<f32>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).ok()?;
    // Safety: the capacity is reserved and wasm memory always holds some f32 bit pattern; no
    // caller reads an element it has not written (see above).
    unsafe { v.set_len(len) };
    Some(v)
}
