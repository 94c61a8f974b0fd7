// WGSL helpers for IEEE special values. WGSL rejects infinities and NaNs in constant
// expressions, so they are made from bits at run time; and compilers may fold `x != x` to
// false (SwiftShader does), so NaN is tested on the bits too.

export const SPECIALS = `
fn f32_inf() -> f32 { let bits = 0x7f800000u; return bitcast<f32>(bits); }
fn f32_nan() -> f32 { let bits = 0x7fc00000u; return bitcast<f32>(bits); }`;

export const IS_NAN = `
fn is_nan(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }`;
