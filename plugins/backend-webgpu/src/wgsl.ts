import type { DType } from '@fovea/core';
import type { Uniforms } from './program.js';

/** Threads per workgroup for one-thread-per-element kernels. */
export const WG = 256;

/** The WGSL type a dtype computes in. */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

/**
 * The element type a dtype is stored as in a buffer: float32 as `F`, which each shader's
 * preamble makes f32, or f16 for f16 storage (see PipelineCache). Reads of `F` go through
 * `load`, writes through `store`: conversions that are the identity with f32 storage.
 */
export function storageType(dtype: DType): 'F' | 'i32' | 'u32' {
  return dtype === 'float32' ? 'F' : dtype === 'int32' ? 'i32' : 'u32';
}

/** A storage read as its compute type. */
export function load(dtype: DType, access: string): string {
  return dtype === 'float32' ? `f32(${access})` : access;
}

/** A computed value as its storage type. */
export function store(dtype: DType, value: string): string {
  return dtype === 'float32' ? `F(${value})` : value;
}

/** A float32 tensor binding (the common case for kernels that only take floats). */
export const floatBinding = (name: string): Binding => ({ name, type: 'F' });

export interface Binding {
  readonly name: string;
  readonly type: string;
}

/**
 * Storage bindings in the order PipelineCache lays them out, then the uniform block `u`. Float
 * storage `F` is `F{i}` for input i: each input may be f16 or f32 (see PipelineCache).
 */
export function bindings(inputs: readonly Binding[], outputs: readonly Binding[], uniforms: Uniforms): string {
  const lines = [uniforms.struct()];
  inputs.forEach((b, i) =>
    lines.push(`@group(0) @binding(${i}) var<storage, read> ${b.name}: array<${b.type.replace(/\bF\b/, `F${i}`)}>;`),
  );
  outputs.forEach((b, i) =>
    lines.push(`@group(0) @binding(${inputs.length + i}) var<storage, read_write> ${b.name}: array<${b.type.replace(/\bF\b/, `FO${i}`)}>;`),
  );
  lines.push(`@group(0) @binding(${inputs.length + outputs.length}) var<uniform> u: U;`);
  return lines.join('\n');
}

/**
 * Entry point running `body` once per element index `i` below `u.count`, over a 2-D grid so
 * more than 65535 workgroups' worth of elements fit.
 */
export function perElementMain(body: string): string {
  return `@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = i32(gid.x + gid.y * nwg.x * ${WG}u);
  if (i >= u.count) { return; }
${body}
}`;
}

/** Workgroups for `threads` threads, folded into y when x would pass the per-dimension limit. */
export function grid(threads: number, perGroup = WG): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / perGroup));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}

/**
 * Statements splitting flat index `index` into coordinates `${c}0…` of a shape held in uniforms
 * `${shape}0…` (rank ≥ 1).
 */
export function unravel(index: string, c: string, shape: string, rank: number): string {
  if (rank === 0) return '';
  const lines = [`  var ${c}_r = ${index};`];
  for (let d = rank - 1; d > 0; d--) {
    lines.push(`  let ${c}${d} = ${c}_r % u.${shape}${d};`, `  ${c}_r = ${c}_r / u.${shape}${d};`);
  }
  lines.push(`  let ${c}0 = ${c}_r;`);
  return lines.join('\n');
}

/** The expression Σ `${c}d * u.${strides}d` (0 for rank 0). */
export function dot(c: string, strides: string, rank: number): string {
  if (rank === 0) return '0';
  return Array.from({ length: rank }, (_, d) => `${c}${d} * u.${strides}${d}`).join(' + ');
}
