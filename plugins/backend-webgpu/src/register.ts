import { registerBackend, registerKernels } from '@fovea/core';
import { findGPU } from './gpu-source.js';
import { webgpuKernels } from './kernels/index.js';
import { WebGPUBackend, describeAdapter } from './webgpu-backend.js';

/** Why importing this package did or did not register the backend. */
export let registration: { registered: true; adapter: string } | { registered: false; reason: string };

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
  registerBackend('webgpu', () => WebGPUBackend.create({ gpu }), { priority: 3 });
  registration = { registered: true, adapter: describeAdapter(adapter.info) };
}
if (!registration.registered) console.info(`[fovea] backend 'webgpu' not registered: ${registration.reason}`);

