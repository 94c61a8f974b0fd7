// The WebGPU flag values are fixed by the spec. Spelling them out here keeps the backend free of
// the `GPUBufferUsage`/`GPUMapMode` globals, which Node's Dawn binding does not install.

export const BufferUsage = {
  MAP_READ: 0x1,
  MAP_WRITE: 0x2,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
  QUERY_RESOLVE: 0x200,
} as const;

export const MapMode = { READ: 0x1 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;
