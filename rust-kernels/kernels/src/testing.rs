//! Test data shared by the kernels' unit tests.

/// `len` values in [-0.5, 0.5) from a fixed linear congruential sequence: the same on every run.
pub fn values(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(1664525).wrapping_add(1013904223);
            (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        })
        .collect()
}
