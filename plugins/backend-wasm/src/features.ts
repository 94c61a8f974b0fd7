/** What this JavaScript runtime offers the kernels. */
export interface Features {
  simd: boolean;
  /** Shared wasm memory and workers are usable; `threadsReason` says why not otherwise. */
  threads: boolean;
  threadsReason: string;
  node: boolean;
}

// (module (func (result v128) v128.const i32x4 0 0 0 0))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b,
]);

export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function sharedMemoryWorks(): boolean {
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

export function detectFeatures(): Features {
  const node = isNode();
  const simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  let threadsReason = '';
  // Isolation first: browsers hide SharedArrayBuffer from pages that lack it, and the fix to
  // tell the user is the headers, not that shared memory is missing.
  if (!node && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    threadsReason = 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';
  } else if (typeof SharedArrayBuffer === 'undefined' || !sharedMemoryWorks()) threadsReason = 'shared WebAssembly memory is unavailable';
  else if (!node && typeof Worker === 'undefined') threadsReason = 'Web Workers are unavailable';
  return { simd, threads: threadsReason === '', threadsReason, node };
}

/** Hardware threads of this machine (1 when unknown). */
export async function hardwareThreads(): Promise<number> {
  if (isNode()) {
    // Not import(): bundlers building for browsers fail on node: modules (see locate.ts).
    const os = process.getBuiltinModule('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}
