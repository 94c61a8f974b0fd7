import { registerBackend, registerKernels } from '@fovea/core';
import { findGPU } from './gpu-source.js';
import { webgpuKernels } from './kernels/index.js';
import { isSoftwareAdapter } from './tile-config.js';
import { WebGPUBackend, adapterFacts, describeAdapter } from './webgpu-backend.js';

/** Below js (1): picked by default only when nothing else registered. */
const SOFTWARE_PRIORITY = 0;

/** Why importing this package did or did not register the backend. */
export let registration: { registered: true; adapter: string; software: boolean } | { registered: false; reason: string };

// Registered only where an adapter exists: a machine without WebGPU must not pick a backend
// that can never start. The probe's adapter is not kept, since a device consumes its adapter.
const found = await findGPU();
const adapter = found.gpu ? await found.gpu.requestAdapter() : null;
if (!found.gpu) {
  registration = { registered: false, reason: found.reason };
} else if (!adapter) {
  registration = { registered: false, reason: `${found.origin} offers no adapter (no usable GPU or driver)` };
} else {
  const gpu = found.gpu;
  registerKernels('webgpu', webgpuKernels);
  // A software adapter (SwiftShader, lavapipe) runs shaders on the CPU, far slower than the wasm
  // backend: it stays available by name (`setBackend('webgpu')`) but is never the default.
  const software = isSoftwareAdapter(adapterFacts(adapter));
  registerBackend('webgpu', () => WebGPUBackend.create({ gpu }), { priority: software ? SOFTWARE_PRIORITY : 3 });
  registration = { registered: true, adapter: describeAdapter(adapter.info), software };
  if (software) console.info(`[fovea] backend 'webgpu' registered below js and wasm: ${registration.adapter} is a software adapter`);
}
if (!registration.registered) console.info(`[fovea] backend 'webgpu' not registered: ${registration.reason}`);

