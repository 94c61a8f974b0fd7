//! Fovea's WebAssembly kernels: plain `extern "C"` exports over pointers into the module's
//! linear memory, called by @fovea/backend-wasm. Status codes returned by kernels:
//! 0 ok, 1 out of memory, 2 index out of range, 3 unknown op or dtype code.

pub mod conv;
pub mod conv_grad;
pub mod elementwise;
pub mod gemm;
pub mod heap;
pub mod matmul;
pub mod movement;
pub mod nd;
pub mod pool;
pub mod pool2d;
pub mod reduce;
pub mod simd;
#[cfg(test)]
mod testing;
pub mod winograd;
