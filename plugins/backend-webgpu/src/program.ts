/**
 * A kernel launch, described independently of any device: the WGSL it needs (built only when
 * the pipeline cache misses), the uniforms that carry its shapes, and its grid.
 */
export interface Program {
  /**
   * Names the generated shader: programs with equal keys must generate equal WGSL. Shapes live
   * in uniforms, so a key names a shader family (op, dtypes, rank), not a shape.
   */
  readonly key: string;
  readonly wgsl: () => string;
  readonly uniforms: Uniforms;
  /** Workgroups per dimension. */
  readonly grid: readonly [number, number, number];
  /** Floating-point operations it does (a multiply-add counts 2), for the profiler's rates. */
  readonly flops?: number;
  /** Binds the shared fault record as its last output, to report bad indices (see index-faults.ts). */
  readonly checksIndices?: boolean;
}

type Scalar = 'i32' | 'u32' | 'f32';

/**
 * A uniform block of named 4-byte scalars. Scalars only: WGSL pads arrays in uniform space to
 * 16-byte strides, and generators unroll over ranks anyway (`s0, s1, …`).
 */
export class Uniforms {
  private readonly fields: { name: string; type: Scalar; value: number }[] = [];

  i32(name: string, value: number): this {
    this.fields.push({ name, type: 'i32', value });
    return this;
  }

  u32(name: string, value: number): this {
    this.fields.push({ name, type: 'u32', value });
    return this;
  }

  f32(name: string, value: number): this {
    this.fields.push({ name, type: 'f32', value });
    return this;
  }

  /** One i32 field per entry: `prefix0`, `prefix1`, … */
  ints(prefix: string, values: readonly number[]): this {
    values.forEach((v, i) => this.i32(`${prefix}${i}`, v));
    return this;
  }

  /** Adds these fields after `other`'s (a kernel that takes another piece's uniforms too). */
  appendTo(other: Uniforms): void {
    other.fields.push(...this.fields);
  }

  /** The WGSL struct `U` (a padding field keeps an empty block legal). */
  struct(): string {
    const fields = this.fields.length ? this.fields : [{ name: 'unused', type: 'i32' }];
    return `struct U {\n${fields.map((f) => `  ${f.name}: ${f.type},`).join('\n')}\n}`;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    const size = Math.max(16, Math.ceil((this.fields.length * 4) / 16) * 16);
    const view = new DataView(new ArrayBuffer(size));
    this.fields.forEach((f, i) => {
      if (f.type === 'f32') view.setFloat32(i * 4, f.value, true);
      else if (f.type === 'u32') view.setUint32(i * 4, f.value, true);
      else view.setInt32(i * 4, f.value, true);
    });
    return new Uint8Array(view.buffer);
  }
}
