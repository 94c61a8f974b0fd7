/** Where a WebGPU entry point came from, or why none was found. */
export type GPUSource = { gpu: GPU; origin: string } | { gpu: null; reason: string };

/**
 * The browser's `navigator.gpu`, else (in Node) the optional `webgpu` package's Dawn binding.
 * Dawn for Node finds GPUs through Vulkan; on a machine without one, point the Vulkan loader at
 * a software driver (see the README) before this runs.
 */
export async function findGPU(): Promise<GPUSource> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, origin: 'navigator.gpu' };
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) return { gpu: null, reason: 'this browser has no navigator.gpu (WebGPU is off or unsupported)' };
  try {
    // A variable specifier keeps browser bundlers from trying to resolve the Node-only package.
    const specifier = 'webgpu';
    const dawn = (await import(/* @vite-ignore */ specifier)) as { create(flags: string[]): GPU };
    return { gpu: dawn.create([]), origin: "Dawn (npm 'webgpu')" };
  } catch (err) {
    return { gpu: null, reason: `the optional 'webgpu' package (Dawn for Node) could not be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
}
