import type { Backend, TensorInfo, TensorSpec } from './backend.js';
import { arrayMatches, bytesPerElement, type DType, type TypedArray } from './dtype.js';
import { BackendError, DTypeError, KernelNotFoundError, ShapeError, ValueError } from './errors.js';
import { getKernel, getOp, kernelBackends, listBackends, registries, backendEntry } from './registry.js';
import { fmtShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';
import { attachGradNode, isGradEnabled, noGrad } from './autograd.js';

interface DataEntry {
  readonly backend: string;
  count: number;
  readonly bytes: number;
}

export type BackendEvent =
  | { type: 'selected'; backend: string; reason: string }
  | { type: 'fallback'; backend: string; reason: string };

export type LogLevel = 'silent' | 'warn' | 'info';

/** Engine state, kept on the shared registries so every copy of core drives the same engine. */
class EngineState {
  readonly instances = new Map<string, Backend>();
  active: string | null = null;
  readonly data = new Map<unknown, DataEntry>();
  readonly liveTensors = new Map<string, number>();
  readonly scopes: Set<Tensor>[] = [];
  readonly listeners = new Set<(e: BackendEvent) => void>();
  logLevel: LogLevel = 'warn';
  nextId = 0;
  readonly finalizer = new FinalizationRegistry<{ dataId: unknown; backend: string }>((held) => {
    countTensor(held.backend, -1);
    releaseData(held.dataId);
  });
}

function state(): EngineState {
  const r = registries();
  r.engine ??= new EngineState();
  return r.engine as EngineState;
}

// ---------------------------------------------------------------- backends

function emit(event: BackendEvent): void {
  const s = state();
  for (const l of s.listeners) l(event);
  if (event.type === 'fallback' && s.logLevel !== 'silent') console.warn(`[fovea] ${event.reason}`);
  if (event.type === 'selected' && s.logLevel === 'info') console.info(`[fovea] backend '${event.backend}': ${event.reason}`);
}

/** Subscribes to backend selection and fallback events; returns the unsubscribe function. */
export function onBackendEvent(listener: (e: BackendEvent) => void): () => void {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}

/** `warn` (default) logs fallbacks; `info` also logs which backend was chosen. */
export function setLogLevel(level: LogLevel): void {
  state().logLevel = level;
}

function entryOrThrow(name: string) {
  const entry = backendEntry(name);
  if (!entry) throw new BackendError(`unknown backend '${name}'; registered: ${listBackends().join(', ') || 'none'} (import a backend package such as @fovea/backend-js)`);
  return entry;
}

function adopt(name: string, backend: Backend, reason: string): Backend {
  const s = state();
  s.instances.set(name, backend);
  s.active = name;
  emit({ type: 'selected', backend: name, reason });
  return backend;
}

/**
 * The active backend. Without an explicit choice, the highest-priority backend that can start
 * synchronously is used; backends that need `await ready()` are reported as skipped.
 */
export function getBackend(): Backend {
  const s = state();
  if (s.active) return s.instances.get(s.active)!;
  const skipped: string[] = [];
  for (const name of listBackends()) {
    const existing = s.instances.get(name);
    if (existing) return adopt(name, existing, 'highest priority available');
    let made: Backend | Promise<Backend>;
    try {
      made = entryOrThrow(name).factory();
    } catch (err) {
      skipped.push(`'${name}' failed to start (${(err as Error).message})`);
      continue;
    }
    if (made instanceof Promise) {
      made.catch(() => undefined);
      skipped.push(`'${name}' starts asynchronously (call \`await ready()\` to use it)`);
      continue;
    }
    const reason = skipped.length ? `fell back from ${skipped.join('; ')}` : 'highest priority registered';
    if (skipped.length) emit({ type: 'fallback', backend: name, reason: `using backend '${name}': ${skipped.join('; ')}` });
    return adopt(name, made, reason);
  }
  throw new BackendError(
    skipped.length ? `no backend could start synchronously: ${skipped.join('; ')}` : 'no backend is registered; import one, e.g. `import "@fovea/backend-js"`',
  );
}

export function getBackendName(): string {
  return getBackend().name;
}

/** Starts the best backend that initialises, trying them in priority order, and reports fallbacks. */
export async function ready(): Promise<Backend> {
  const s = state();
  if (s.active) return s.instances.get(s.active)!;
  const failures: string[] = [];
  for (const name of listBackends()) {
    try {
      const backend = s.instances.get(name) ?? (await entryOrThrow(name).factory());
      if (failures.length) emit({ type: 'fallback', backend: name, reason: `using backend '${name}': ${failures.join('; ')}` });
      return adopt(name, backend, failures.length ? `fell back from ${failures.join('; ')}` : 'highest priority registered');
    } catch (err) {
      failures.push(`'${name}' failed to initialise (${(err as Error).message})`);
    }
  }
  throw new BackendError(failures.length ? `no backend initialised: ${failures.join('; ')}` : 'no backend is registered');
}

/** Makes `name` the active backend, initialising it if needed. */
export async function setBackend(name: string): Promise<Backend> {
  const s = state();
  const backend = s.instances.get(name) ?? (await entryOrThrow(name).factory());
  return adopt(name, backend, 'chosen with setBackend');
}

/** The instance of a backend that was already initialised (for plugins and tests). */
export function findBackend(name: string): Backend | undefined {
  return state().instances.get(name);
}

/** Drops a backend instance (after `dispose`), so the next use selects again. */
export function removeBackend(name: string): void {
  const s = state();
  const b = s.instances.get(name);
  s.instances.delete(name);
  if (s.active === name) s.active = null;
  b?.dispose?.();
}

// ---------------------------------------------------------------- storage

function countTensor(backend: string, delta: number): void {
  const s = state();
  s.liveTensors.set(backend, (s.liveTensors.get(backend) ?? 0) + delta);
}

function retainData(dataId: unknown, backend: string, spec: TensorSpec): void {
  const s = state();
  const entry = s.data.get(dataId);
  if (entry) entry.count++;
  else s.data.set(dataId, { backend, count: 1, bytes: sizeOf(spec.shape) * bytesPerElement(spec.dtype) });
}

function releaseData(dataId: unknown): void {
  const s = state();
  const entry = s.data.get(dataId);
  if (!entry) return;
  if (--entry.count > 0) return;
  s.data.delete(dataId);
  s.instances.get(entry.backend)?.disposeData(dataId);
}

/** Wraps backend storage in a tensor, tracked by the innermost `tidy` scope. */
export function wrapData(dataId: unknown, spec: TensorSpec, backend: string): Tensor {
  const s = state();
  retainData(dataId, backend, spec);
  const t = new Tensor(s.nextId++, spec.shape, spec.dtype, dataId, backend);
  countTensor(backend, 1);
  s.finalizer.register(t, { dataId, backend }, t);
  s.scopes[s.scopes.length - 1]?.add(t);
  return t;
}

/** Creates a tensor on the active backend from host values (copied). */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  if (!arrayMatches(values, dtype)) throw new DTypeError(`values of type ${values.constructor.name} cannot back a ${dtype} tensor`);
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(`shape ${fmtShape(shape)} needs ${sizeOf(shape)} values but ${values.length} came`);
  }
  const backend = getBackend();
  const spec = { shape: [...shape], dtype };
  return wrapData(backend.write(values, spec), spec, backend.name);
}

/** Internal: disposal, called by Tensor.dispose. */
export function disposeTensor(t: Tensor): void {
  const s = state();
  s.finalizer.unregister(t);
  countTensor(t.backendName, -1);
  for (const scope of s.scopes) scope.delete(t);
  releaseData(t.dataId);
}

/** Internal: points `t` at other storage, used by `assign` and backend moves. */
export function rebind(t: Tensor, dataId: unknown, backend: string): void {
  const s = state();
  retainData(dataId, backend, t);
  s.finalizer.unregister(t);
  countTensor(t.backendName, -1);
  releaseData(t.dataId);
  t.setStorage(dataId, backend);
  countTensor(backend, 1);
  s.finalizer.register(t, { dataId, backend }, t);
}

function backendOf(name: string): Backend {
  const b = state().instances.get(name);
  if (!b) throw new BackendError(`backend '${name}' holding this tensor is no longer available`);
  return b;
}

export function readSync(t: Tensor): TypedArray {
  const b = backendOf(t.backendName);
  if (!b.readSync) {
    throw new BackendError(`backend '${b.name}' cannot read synchronously; use \`await tensor.data()\` instead of dataSync()`);
  }
  return b.readSync(t.dataId, t);
}

export function read(t: Tensor): Promise<TypedArray> {
  return backendOf(t.backendName).read(t.dataId, t);
}

/** Moves a tensor's storage to `backend` (synchronously when its current backend can read so). */
function moveTo(t: Tensor, backend: Backend): void {
  const values = readSync(t);
  rebind(t, backend.write(values, t), backend.name);
}

/** Moves a tensor to another backend, waiting for an asynchronous read where needed. */
export async function moveToBackend(t: Tensor, name: string): Promise<Tensor> {
  const target = state().instances.get(name) ?? (await entryOrThrow(name).factory());
  state().instances.set(name, target);
  if (t.backendName !== name) rebind(t, target.write(await read(t), t), name);
  return t;
}

// ---------------------------------------------------------------- scopes

function collect(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (value instanceof Tensor) into.add(value);
  else if (depth < 4 && value && typeof value === 'object') {
    for (const v of Array.isArray(value) ? value : Object.values(value)) collect(v, into, depth + 1);
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (anywhere in an array
 * or object) and those passed to `keep`. Returned tensors move to the enclosing scope.
 */
export function tidy<T>(fn: () => T): T {
  const s = state();
  const scope = new Set<Tensor>();
  s.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    s.scopes.pop();
    for (const t of scope) t.dispose();
    throw err;
  }
  s.scopes.pop();
  if (result instanceof Promise) {
    throw new ValueError('tidy() takes a synchronous function; tensors created after an await cannot be tracked');
  }
  const returned = new Set<Tensor>();
  collect(result, returned);
  const parent = s.scopes[s.scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Exempts a tensor from every enclosing `tidy`. */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of state().scopes) scope.delete(t);
  return t;
}

/** Disposes a tensor or every tensor in an array/object. */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collect(value, found);
  for (const t of found) t.dispose();
}

export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  backends: Record<string, { numTensors: number; numDataBuffers: number; numBytes: number } & Record<string, number>>;
}

/** Live tensors and bytes, in total and per backend. */
export function memory(): MemoryInfo {
  const s = state();
  const info: MemoryInfo = { numTensors: 0, numDataBuffers: 0, numBytes: 0, backends: {} };
  const slot = (name: string) => (info.backends[name] ??= { numTensors: 0, numDataBuffers: 0, numBytes: 0 });
  for (const [name, n] of s.liveTensors) {
    slot(name).numTensors += n;
    info.numTensors += n;
  }
  for (const entry of s.data.values()) {
    slot(entry.backend).numDataBuffers++;
    slot(entry.backend).numBytes += entry.bytes;
    info.numDataBuffers++;
    info.numBytes += entry.bytes;
  }
  for (const [name, b] of s.instances) Object.assign(slot(name), b.memoryInfo?.() ?? {});
  return info;
}

// ---------------------------------------------------------------- dispatch

function infoOn(t: Tensor, backend: Backend): TensorInfo {
  if (t.backendName !== backend.name) moveTo(t, backend);
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}

/**
 * Runs an op by name: validates and infers shapes, then runs the active backend's kernel, or the
 * op's decomposition where there is none, and records the gradient when one is needed.
 */
export function runOp<A>(name: string, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const def = getOp(name);
  for (const t of inputs) t.assertLive(name);
  const specs = def.infer(inputs, attrs);
  const backend = getBackend();
  const needsGrad = isGradEnabled() && !def.nondifferentiable && inputs.some((t) => t.requiresGrad);
  if (def.view) {
    const outs = [wrapData(inputs[0]!.dataId, specs[0]!, inputs[0]!.backendName)];
    if (needsGrad) attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  const kernel = getKernel(name, backend.name);
  if (kernel) {
    const ids = kernel({ backend, inputs: inputs.map((t) => infoOn(t, backend)), attrs: attrs as any, outputs: specs });
    const outs = ids.map((id, i) => wrapData(id, specs[i]!, backend.name));
    if (needsGrad) attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  if (!def.decompose) throw new KernelNotFoundError(name, backend.name, kernelBackends(name));
  if (needsGrad && def.grad) {
    // The op's own gradient needs only its inputs and outputs: the decomposition's
    // intermediates can go at once.
    const outs = noGrad(() => tidy(() => def.decompose!(inputs, attrs)));
    attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  // Without a gradient to record nothing can refer to the intermediates; when recording, the
  // inner ops' gradient nodes hold them until backward.
  return needsGrad ? def.decompose(inputs, attrs) : tidy(() => def.decompose!(inputs, attrs));
}
