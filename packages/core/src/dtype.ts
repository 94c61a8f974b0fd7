/** Element types a tensor can hold. `bool` is stored one byte per element. */
export type DType = 'float32' | 'int32' | 'bool';

export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The flat, row-major storage a dtype uses on the host. */
export type ArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** Whether `array` is the storage type `dtype` uses. */
export function arrayMatches(array: TypedArray, dtype: DType): boolean {
  return array instanceof (dtype === 'float32' ? Float32Array : dtype === 'int32' ? Int32Array : Uint8Array);
}

/** Result type of mixing two dtypes in arithmetic: bool < int32 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}
