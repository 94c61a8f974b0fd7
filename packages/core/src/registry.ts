import type { BackendFactory, BackendOptions, KernelImpl } from './backend.js';
import type { OpDef } from './op.js';
import { RegistrationError, UnknownOpError } from './errors.js';

interface BackendEntry {
  readonly factory: BackendFactory;
  readonly priority: number;
}

/** Everything plugins register. One object per process, shared by every copy of core. */
export interface Registries {
  readonly ops: Map<string, OpDef<any>>;
  /** op name → backend name → kernel */
  readonly kernels: Map<string, Map<string, KernelImpl>>;
  readonly backends: Map<string, BackendEntry>;
  /** Engine state hangs here too so that two copies of core drive one engine. */
  engine?: unknown;
  gradEnabled: boolean;
}

// Versioned so that an incompatible future core does not pick up this layout.
const KEY = Symbol.for('@fovea/core/registries@1');

export function registries(): Registries {
  const g = globalThis as { [KEY]?: Registries };
  g[KEY] ??= { ops: new Map(), kernels: new Map(), backends: new Map(), gradEnabled: true };
  return g[KEY];
}

export interface RegisterOptions {
  replace?: boolean;
}

export function registerOp<A>(def: OpDef<A>, options: RegisterOptions = {}): void {
  const { ops } = registries();
  if (ops.has(def.name) && !options.replace) {
    throw new RegistrationError(`op '${def.name}' is already registered (pass {replace: true} to override it)`);
  }
  ops.set(def.name, def);
}

export function getOp(name: string): OpDef<any> {
  const def = registries().ops.get(name);
  if (!def) throw new UnknownOpError(`unknown op '${name}'; registered ops: ${[...registries().ops.keys()].sort().join(', ')}`);
  return def;
}

export function listOps(): string[] {
  return [...registries().ops.keys()].sort();
}

export function registerKernel(op: string, backend: string, impl: KernelImpl, options: RegisterOptions = {}): void {
  const { kernels } = registries();
  let byBackend = kernels.get(op);
  if (!byBackend) kernels.set(op, (byBackend = new Map()));
  if (byBackend.has(backend) && !options.replace) {
    throw new RegistrationError(`a '${op}' kernel for backend '${backend}' is already registered (pass {replace: true} to override it)`);
  }
  byBackend.set(backend, impl);
}

/** Registers a table of kernels for one backend. */
export function registerKernels(backend: string, table: Record<string, KernelImpl>, options: RegisterOptions = {}): void {
  for (const [op, impl] of Object.entries(table)) registerKernel(op, backend, impl, options);
}

export function getKernel(op: string, backend: string): KernelImpl | undefined {
  return registries().kernels.get(op)?.get(backend);
}

/** Backends that have a kernel for `op`. */
export function kernelBackends(op: string): string[] {
  return [...(registries().kernels.get(op)?.keys() ?? [])].sort();
}

/** Ops with a kernel on `backend`. */
export function listKernels(backend: string): string[] {
  return [...registries().kernels].filter(([, m]) => m.has(backend)).map(([op]) => op).sort();
}

export function registerBackend(name: string, factory: BackendFactory, options: BackendOptions = {}): void {
  const { backends } = registries();
  if (backends.has(name) && !options.replace) {
    throw new RegistrationError(`backend '${name}' is already registered (pass {replace: true} to override it)`);
  }
  backends.set(name, { factory, priority: options.priority ?? 0 });
}

export function backendEntry(name: string): BackendEntry | undefined {
  return registries().backends.get(name);
}

/** Registered backend names, highest priority first. */
export function listBackends(): string[] {
  return [...registries().backends].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}
