var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// ../../packages/core/src/errors.ts
var FoveaError, ShapeError, DTypeError, ValueError, UnknownOpError, UnknownModelError, KernelNotFoundError, BackendError, DisposedError, RegistrationError, GradError;
var init_errors = __esm({
  "../../packages/core/src/errors.ts"() {
    "use strict";
    FoveaError = class extends Error {
      constructor(message) {
        super(message);
        this.name = new.target.name;
      }
    };
    ShapeError = class extends FoveaError {
    };
    DTypeError = class extends FoveaError {
    };
    ValueError = class extends FoveaError {
    };
    UnknownOpError = class extends FoveaError {
    };
    UnknownModelError = class extends FoveaError {
    };
    KernelNotFoundError = class extends FoveaError {
      constructor(op, backend, registered) {
        super(
          `op '${op}' has no kernel on backend '${backend}' and no decomposition; backends with a '${op}' kernel: ${registered.length ? registered.join(", ") : "none"}`
        );
        this.op = op;
        this.backend = backend;
        this.registered = registered;
      }
      op;
      backend;
      registered;
    };
    BackendError = class extends FoveaError {
    };
    DisposedError = class extends FoveaError {
    };
    RegistrationError = class extends FoveaError {
    };
    GradError = class extends FoveaError {
    };
  }
});

// ../../packages/core/src/dtype.ts
function isDType(value) {
  return typeof value === "string" && DTYPES.includes(value);
}
function allocArray(dtype, size2) {
  switch (dtype) {
    case "float32":
      return new Float32Array(size2);
    case "int32":
      return new Int32Array(size2);
    case "bool":
      return new Uint8Array(size2);
  }
}
function bytesPerElement(dtype) {
  return dtype === "bool" ? 1 : 4;
}
function arrayMatches(array, dtype) {
  return array instanceof (dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : Uint8Array);
}
function promoteTypes(a, b2) {
  if (a === "float32" || b2 === "float32") return "float32";
  return "int32";
}
var DTYPES;
var init_dtype = __esm({
  "../../packages/core/src/dtype.ts"() {
    "use strict";
    DTYPES = ["float32", "int32", "bool"];
  }
});

// ../../packages/core/src/registry.ts
function registries() {
  const g = globalThis;
  g[KEY] ??= { ops: /* @__PURE__ */ new Map(), kernels: /* @__PURE__ */ new Map(), backends: /* @__PURE__ */ new Map(), gradEnabled: true };
  return g[KEY];
}
function registerOp(def, options = {}) {
  const { ops: ops2 } = registries();
  if (ops2.has(def.name) && !options.replace) {
    throw new RegistrationError(`op '${def.name}' is already registered (pass {replace: true} to override it)`);
  }
  ops2.set(def.name, def);
}
function getOp(name) {
  const def = registries().ops.get(name);
  if (!def) throw new UnknownOpError(`unknown op '${name}'; registered ops: ${[...registries().ops.keys()].sort().join(", ")}`);
  return def;
}
function listOps() {
  return [...registries().ops.keys()].sort();
}
function registerKernel(op, backend, impl, options = {}) {
  const { kernels } = registries();
  let byBackend = kernels.get(op);
  if (!byBackend) kernels.set(op, byBackend = /* @__PURE__ */ new Map());
  if (byBackend.has(backend) && !options.replace) {
    throw new RegistrationError(`a '${op}' kernel for backend '${backend}' is already registered (pass {replace: true} to override it)`);
  }
  byBackend.set(backend, impl);
}
function registerKernels(backend, table2, options = {}) {
  for (const [op, impl] of Object.entries(table2)) registerKernel(op, backend, impl, options);
}
function getKernel(op, backend) {
  return registries().kernels.get(op)?.get(backend);
}
function kernelBackends(op) {
  return [...registries().kernels.get(op)?.keys() ?? []].sort();
}
function listKernels(backend) {
  return [...registries().kernels].filter(([, m]) => m.has(backend)).map(([op]) => op).sort();
}
function registerBackend(name, factory, options = {}) {
  const { backends } = registries();
  if (backends.has(name) && !options.replace) {
    throw new RegistrationError(`backend '${name}' is already registered (pass {replace: true} to override it)`);
  }
  backends.set(name, { factory, priority: options.priority ?? 0 });
}
function backendEntry(name) {
  return registries().backends.get(name);
}
function listBackends() {
  return [...registries().backends].sort((a, b2) => b2[1].priority - a[1].priority).map(([n]) => n);
}
var KEY;
var init_registry = __esm({
  "../../packages/core/src/registry.ts"() {
    "use strict";
    init_errors();
    KEY = /* @__PURE__ */ Symbol.for("@fovea/core/registries@1");
  }
});

// ../../packages/core/src/shape.ts
function sizeOf(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
function stridesOf(shape) {
  const strides = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}
function shapesEqual(a, b2) {
  return a.length === b2.length && a.every((d, i) => d === b2[i]);
}
function fmtShape(shape) {
  return `[${shape.join(", ")}]`;
}
function broadcastShapes(a, b2, op) {
  const n = Math.max(a.length, b2.length);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b2[b2.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b2)} do not broadcast (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
function normalizeAxis(axis, rank, op) {
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    throw new ValueError(`${op}: dim ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
function normalizeAxes(dim, rank, op) {
  if (dim === null || dim === void 0) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dim === "number" ? [dim] : dim;
  const axes = [...new Set(list.map((d) => normalizeAxis(d, rank, op)))];
  return axes.sort((x, y) => x - y);
}
function checkShape(shape, op) {
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ValueError(`${op}: shape ${JSON.stringify(shape)} must hold non-negative integers`);
    }
  }
  return shape;
}
var init_shape = __esm({
  "../../packages/core/src/shape.ts"() {
    "use strict";
    init_errors();
  }
});

// ../../packages/core/src/autograd.ts
function isGradEnabled() {
  return registries().gradEnabled;
}
function withGradMode(enabled, fn) {
  const r = registries();
  const previous = r.gradEnabled;
  r.gradEnabled = enabled;
  try {
    return fn();
  } finally {
    r.gradEnabled = previous;
  }
}
function noGrad(fn) {
  return withGradMode(false, fn);
}
function enableGrad(fn) {
  return withGradMode(true, fn);
}
function link(node) {
  node.outputs.forEach((t, i) => {
    t.gradFn = node;
    t.outputIndex = i;
    if (t.dtype === "float32") t.requiresGrad = true;
  });
}
function attachGradNode(def, inputs, outputs, attrs) {
  const backward3 = def.grad ? (dys) => def.grad(dys, { inputs: node.inputs, outputs: node.outputs, attrs }) : def.decompose ? (dys) => vjpOfDecomposition(def, node.inputs, attrs, dys) : null;
  if (!backward3) throw new GradError(`op '${def.name}' has neither a gradient nor a decomposition to differentiate`);
  const node = { name: def.name, inputs, outputs, backward: backward3, freed: false };
  link(node);
}
function vjpOfDecomposition(def, inputs, attrs, dys) {
  return vjp((...xs) => def.decompose(xs, attrs), inputs, dys).map((g, i) => inputs[i].requiresGrad ? g : null);
}
function detachTensor(t) {
  t.assertLive("detach");
  return wrapData(t.dataId, t, t.backendName);
}
function zerosFor(t) {
  return fromValues(allocArray(t.dtype, t.size), t.shape, t.dtype);
}
function topoOrder(roots) {
  const order = [];
  const seen = /* @__PURE__ */ new Set();
  const stack2 = [];
  for (const r of roots) {
    if (!r.gradFn || seen.has(r.gradFn)) continue;
    seen.add(r.gradFn);
    stack2.push([r.gradFn, 0]);
    while (stack2.length) {
      const top = stack2[stack2.length - 1];
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1]++;
        const next = node.inputs[i].gradFn;
        if (next && !seen.has(next)) {
          seen.add(next);
          stack2.push([next, 0]);
        }
      } else {
        stack2.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}
function checkGrad(g, t, where2) {
  if (!shapesEqual(g.shape, t.shape)) {
    throw new ShapeError(`${where2}: gradient of shape ${fmtShape(g.shape)} for a tensor of shape ${fmtShape(t.shape)}`);
  }
}
function distinct(grads, given) {
  const taken = new Set(given);
  return grads.map((g) => {
    if (!g) return g;
    const own = taken.has(g) ? detachTensor(g) : g;
    taken.add(own);
    return own;
  });
}
function gradients(roots, seeds, wrt, options = {}) {
  const grads = /* @__PURE__ */ new Map();
  const wanted = wrt ? new Set(wrt) : null;
  const owned = /* @__PURE__ */ new Set();
  const add2 = (t, g) => {
    checkGrad(g, t, "backward");
    const prev = grads.get(t);
    if (!prev) {
      grads.set(t, g);
      return;
    }
    const sum3 = runOp("add", [prev, g], {})[0];
    if (owned.has(prev)) prev.dispose();
    if (owned.has(g)) g.dispose();
    grads.set(t, sum3);
    owned.add(sum3);
  };
  roots.forEach((r, i) => add2(r, seeds[i]));
  const nodes = topoOrder(roots);
  const mode = options.createGraph ? enableGrad : noGrad;
  for (const node of nodes) {
    if (node.freed) throw new GradError(`backward through '${node.name}' a second time: its graph was freed (pass {retainGraph: true} the first time)`);
    if (!node.outputs.some((o) => grads.has(o))) continue;
    const dys = node.outputs.map((o) => grads.get(o) ?? zerosFor(o));
    const inputGrads = distinct(mode(() => tidy(() => node.backward(dys))), [...dys, ...node.inputs, ...node.outputs]);
    node.outputs.forEach((o, i) => {
      const g = grads.get(o);
      if (!g) dys[i].dispose();
      else if (!wanted?.has(o)) {
        grads.delete(o);
        if (owned.has(g)) g.dispose();
      }
    });
    node.inputs.forEach((x, i) => {
      const g = inputGrads[i];
      if (g && x.requiresGrad) {
        owned.add(g);
        add2(x, g);
      } else g?.dispose();
    });
    if (!options.retainGraph) node.freed = true;
  }
  if (wanted) {
    for (const [t, g] of grads) {
      if (wanted.has(t)) continue;
      if (owned.has(g)) g.dispose();
      grads.delete(t);
    }
  }
  return grads;
}
function backward(root, seed, options = {}) {
  root.assertLive("backward");
  if (!root.requiresGrad) throw new GradError("backward: this tensor does not require grad (no input of it had requiresGrad set)");
  if (!seed && root.size !== 1) {
    throw new GradError(`backward: a gradient is needed for a non-scalar output of shape ${fmtShape(root.shape)}`);
  }
  const start = seed ?? fromValues(new Float32Array([1]), root.shape, "float32");
  const grads = gradients([root], [start], void 0, options);
  for (const [t, g] of grads) {
    if (!t.isLeaf) continue;
    keep(g);
    if (t.grad) {
      const sum3 = keep(noGrad(() => runOp("add", [t.grad, g], {})[0]));
      t.grad.dispose();
      g.dispose();
      t.grad = sum3;
    } else t.grad = g === start || g === seed ? keep(detachTensor(g)) : g;
  }
  if (!seed) start.dispose();
}
function grad(outputs, inputs, options = {}) {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const seeds = options.gradOutputs ?? outs.map((o) => fromValues(new Float32Array(o.size).fill(1), o.shape, "float32"));
  const grads = gradients(outs, seeds, inputs, options);
  return inputs.map((x) => grads.get(x) ?? null);
}
function vjp(fn, inputs, dys) {
  return enableGrad(() => {
    const xs = inputs.map((t) => {
      const d = detachTensor(t);
      if (t.dtype === "float32") d.requiresGrad = true;
      return d;
    });
    const out = fn(...xs);
    const grads = gradients(Array.isArray(out) ? out : [out], dys, xs);
    return xs.map((x) => grads.get(x) ?? null);
  });
}
function zeroGrad(tensors) {
  for (const t of tensors) {
    t.grad?.dispose();
    t.grad = null;
  }
}
function defineFunction(name, fn) {
  return {
    apply(...inputs) {
      const ctx = new FunctionContext();
      const raw = noGrad(() => fn.forward(ctx, ...inputs));
      const outputs = Array.isArray(raw) ? raw : [raw];
      if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
        const node = {
          name,
          inputs,
          outputs,
          freed: false,
          backward: (dys) => {
            const g = fn.backward(ctx, ...dys);
            return Array.isArray(g) ? g : [g];
          }
        };
        link(node);
      }
      return raw;
    }
  };
}
var FunctionContext;
var init_autograd = __esm({
  "../../packages/core/src/autograd.ts"() {
    "use strict";
    init_dtype();
    init_engine();
    init_errors();
    init_registry();
    init_shape();
    init_tensor();
    FunctionContext = class {
      saved = [];
      /** Non-tensor values the backward needs. */
      values = {};
      saveForBackward(...tensors) {
        this.saved = tensors;
      }
    };
  }
});

// ../../packages/core/src/engine.ts
function state() {
  const r = registries();
  r.engine ??= new EngineState();
  return r.engine;
}
function emit(event) {
  const s = state();
  for (const l of s.listeners) l(event);
  if (event.type === "fallback" && s.logLevel !== "silent") console.warn(`[fovea] ${event.reason}`);
  if (event.type === "selected" && s.logLevel === "info") console.info(`[fovea] backend '${event.backend}': ${event.reason}`);
}
function onBackendEvent(listener) {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}
function setLogLevel(level) {
  state().logLevel = level;
}
function entryOrThrow(name) {
  const entry = backendEntry(name);
  if (!entry) throw new BackendError(`unknown backend '${name}'; registered: ${listBackends().join(", ") || "none"} (import a backend package such as @fovea/backend-js)`);
  return entry;
}
function adopt(name, backend, reason) {
  const s = state();
  s.instances.set(name, backend);
  s.active = name;
  emit({ type: "selected", backend: name, reason });
  return backend;
}
function getBackend() {
  const s = state();
  if (s.active) return s.instances.get(s.active);
  const skipped = [];
  for (const name of listBackends()) {
    const existing = s.instances.get(name);
    if (existing) return adopt(name, existing, "highest priority available");
    let made;
    try {
      made = entryOrThrow(name).factory();
    } catch (err) {
      skipped.push(`'${name}' failed to start (${err.message})`);
      continue;
    }
    if (made instanceof Promise) {
      made.catch(() => void 0);
      skipped.push(`'${name}' starts asynchronously (call \`await ready()\` to use it)`);
      continue;
    }
    const reason = skipped.length ? `fell back from ${skipped.join("; ")}` : "highest priority registered";
    if (skipped.length) emit({ type: "fallback", backend: name, reason: `using backend '${name}': ${skipped.join("; ")}` });
    return adopt(name, made, reason);
  }
  throw new BackendError(
    skipped.length ? `no backend could start synchronously: ${skipped.join("; ")}` : 'no backend is registered; import one, e.g. `import "@fovea/backend-js"`'
  );
}
function getBackendName() {
  return getBackend().name;
}
async function ready() {
  const s = state();
  if (s.active) return s.instances.get(s.active);
  const failures = [];
  for (const name of listBackends()) {
    try {
      const backend = s.instances.get(name) ?? await entryOrThrow(name).factory();
      if (failures.length) emit({ type: "fallback", backend: name, reason: `using backend '${name}': ${failures.join("; ")}` });
      return adopt(name, backend, failures.length ? `fell back from ${failures.join("; ")}` : "highest priority registered");
    } catch (err) {
      failures.push(`'${name}' failed to initialise (${err.message})`);
    }
  }
  throw new BackendError(failures.length ? `no backend initialised: ${failures.join("; ")}` : "no backend is registered");
}
async function setBackend(name) {
  const s = state();
  const backend = s.instances.get(name) ?? await entryOrThrow(name).factory();
  return adopt(name, backend, "chosen with setBackend");
}
function findBackend(name) {
  return state().instances.get(name);
}
function removeBackend(name) {
  const s = state();
  const b2 = s.instances.get(name);
  s.instances.delete(name);
  if (s.active === name) s.active = null;
  b2?.dispose?.();
}
function countTensor(backend, delta) {
  const s = state();
  s.liveTensors.set(backend, (s.liveTensors.get(backend) ?? 0) + delta);
}
function retainData(dataId, backend, spec) {
  const s = state();
  const entry = s.data.get(dataId);
  if (entry) entry.count++;
  else s.data.set(dataId, { backend, count: 1, bytes: sizeOf(spec.shape) * bytesPerElement(spec.dtype) });
}
function releaseData(dataId) {
  const s = state();
  const entry = s.data.get(dataId);
  if (!entry) return;
  if (--entry.count > 0) return;
  s.data.delete(dataId);
  s.instances.get(entry.backend)?.disposeData(dataId);
}
function wrapData(dataId, spec, backend) {
  const s = state();
  retainData(dataId, backend, spec);
  const t = new Tensor(s.nextId++, spec.shape, spec.dtype, dataId, backend);
  countTensor(backend, 1);
  s.finalizer.register(t, { dataId, backend }, t);
  s.scopes[s.scopes.length - 1]?.add(t);
  return t;
}
function fromValues(values, shape, dtype) {
  if (!arrayMatches(values, dtype)) throw new DTypeError(`values of type ${values.constructor.name} cannot back a ${dtype} tensor`);
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(`shape ${fmtShape(shape)} needs ${sizeOf(shape)} values but ${values.length} came`);
  }
  const backend = getBackend();
  const spec = { shape: [...shape], dtype };
  return wrapData(backend.write(values, spec), spec, backend.name);
}
function disposeTensor(t) {
  const s = state();
  s.finalizer.unregister(t);
  countTensor(t.backendName, -1);
  for (const scope of s.scopes) scope.delete(t);
  releaseData(t.dataId);
}
function rebind(t, dataId, backend) {
  const s = state();
  retainData(dataId, backend, t);
  s.finalizer.unregister(t);
  countTensor(t.backendName, -1);
  releaseData(t.dataId);
  t.setStorage(dataId, backend);
  countTensor(backend, 1);
  s.finalizer.register(t, { dataId, backend }, t);
}
function backendOf(name) {
  const b2 = state().instances.get(name);
  if (!b2) throw new BackendError(`backend '${name}' holding this tensor is no longer available`);
  return b2;
}
function readSync(t) {
  const b2 = backendOf(t.backendName);
  if (!b2.readSync) {
    throw new BackendError(`backend '${b2.name}' cannot read synchronously; use \`await tensor.data()\` instead of dataSync()`);
  }
  return b2.readSync(t.dataId, t);
}
function read(t) {
  return backendOf(t.backendName).read(t.dataId, t);
}
function moveTo(t, backend) {
  const values = readSync(t);
  rebind(t, backend.write(values, t), backend.name);
}
async function moveToBackend(t, name) {
  const target = state().instances.get(name) ?? await entryOrThrow(name).factory();
  state().instances.set(name, target);
  if (t.backendName !== name) rebind(t, target.write(await read(t), t), name);
  return t;
}
function collect(value, into, depth = 0) {
  if (value instanceof Tensor) into.add(value);
  else if (depth < 4 && value && typeof value === "object") {
    for (const v of Array.isArray(value) ? value : Object.values(value)) collect(v, into, depth + 1);
  }
}
function tidy(fn) {
  const s = state();
  const scope = /* @__PURE__ */ new Set();
  s.scopes.push(scope);
  let result;
  try {
    result = fn();
  } catch (err) {
    s.scopes.pop();
    for (const t of scope) t.dispose();
    throw err;
  }
  s.scopes.pop();
  if (result instanceof Promise) {
    throw new ValueError("tidy() takes a synchronous function; tensors created after an await cannot be tracked");
  }
  const returned = /* @__PURE__ */ new Set();
  collect(result, returned);
  const parent = s.scopes[s.scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}
function keep(t) {
  for (const scope of state().scopes) scope.delete(t);
  return t;
}
function dispose(value) {
  const found2 = /* @__PURE__ */ new Set();
  collect(value, found2);
  for (const t of found2) t.dispose();
}
function memory() {
  const s = state();
  const info = { numTensors: 0, numDataBuffers: 0, numBytes: 0, backends: {} };
  const slot = (name) => info.backends[name] ??= { numTensors: 0, numDataBuffers: 0, numBytes: 0 };
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
  for (const [name, b2] of s.instances) Object.assign(slot(name), b2.memoryInfo?.() ?? {});
  return info;
}
function infoOn(t, backend) {
  if (t.backendName !== backend.name) moveTo(t, backend);
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}
function runOp(name, inputs, attrs) {
  const def = getOp(name);
  for (const t of inputs) t.assertLive(name);
  const specs = def.infer(inputs, attrs);
  const backend = getBackend();
  const needsGrad = isGradEnabled() && !def.nondifferentiable && inputs.some((t) => t.requiresGrad);
  if (def.view) {
    const outs = [wrapData(inputs[0].dataId, specs[0], inputs[0].backendName)];
    if (needsGrad) attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  const kernel3 = getKernel(name, backend.name);
  if (kernel3) {
    const ids = kernel3({ backend, inputs: inputs.map((t) => infoOn(t, backend)), attrs, outputs: specs });
    const outs = ids.map((id, i) => wrapData(id, specs[i], backend.name));
    if (needsGrad) attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  if (!def.decompose) throw new KernelNotFoundError(name, backend.name, kernelBackends(name));
  if (needsGrad && def.grad) {
    const outs = noGrad(() => tidy(() => def.decompose(inputs, attrs)));
    attachGradNode(def, inputs, outs, attrs);
    return outs;
  }
  return needsGrad ? def.decompose(inputs, attrs) : tidy(() => def.decompose(inputs, attrs));
}
var EngineState;
var init_engine = __esm({
  "../../packages/core/src/engine.ts"() {
    "use strict";
    init_dtype();
    init_errors();
    init_registry();
    init_shape();
    init_tensor();
    init_autograd();
    EngineState = class {
      instances = /* @__PURE__ */ new Map();
      active = null;
      data = /* @__PURE__ */ new Map();
      liveTensors = /* @__PURE__ */ new Map();
      scopes = [];
      listeners = /* @__PURE__ */ new Set();
      logLevel = "warn";
      nextId = 0;
      finalizer = new FinalizationRegistry((held) => {
        countTensor(held.backend, -1);
        releaseData(held.dataId);
      });
    };
  }
});

// ../../packages/core/src/tensor.ts
function nest(values, shape, dtype) {
  const cast2 = (v) => dtype === "bool" ? v !== 0 : v;
  if (shape.length === 0) return cast2(values[0]);
  const build = (offset, dim) => {
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? cast2(values[offset + i]) : build(offset + i * stride, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}
var Tensor;
var init_tensor = __esm({
  "../../packages/core/src/tensor.ts"() {
    "use strict";
    init_errors();
    init_engine();
    init_autograd();
    init_shape();
    Tensor = class {
      constructor(id, shape, dtype, dataId, backend) {
        this.id = id;
        this.dtype = dtype;
        this.shape = Object.freeze([...shape]);
        this.#dataId = dataId;
        this.#backend = backend;
      }
      id;
      dtype;
      shape;
      #dataId;
      #backend;
      #disposed = false;
      #requiresGrad = false;
      /** Accumulated gradient after `backward()`, for tensors that require grad. */
      grad = null;
      /** The autograd node that produced this tensor, if it was computed from tensors that need grad. */
      gradFn = null;
      /** Which of `gradFn`'s outputs this tensor is. */
      outputIndex = 0;
      get dataId() {
        return this.#dataId;
      }
      get backendName() {
        return this.#backend;
      }
      get size() {
        return sizeOf(this.shape);
      }
      get ndim() {
        return this.shape.length;
      }
      get isDisposed() {
        return this.#disposed;
      }
      /** True for tensors created by the user (not by an op that recorded a gradient). */
      get isLeaf() {
        return this.gradFn === null;
      }
      get requiresGrad() {
        return this.#requiresGrad;
      }
      set requiresGrad(value) {
        if (value && this.dtype !== "float32") throw new DTypeError(`only float32 tensors can require gradients, not ${this.dtype}`);
        if (!value && this.gradFn) throw new ValueError("requiresGrad can only be turned off on leaf tensors; use detach()");
        this.#requiresGrad = value;
      }
      /** Sets `requiresGrad` and returns the tensor, like PyTorch's `requires_grad_()`. */
      requiresGrad_(value = true) {
        this.requiresGrad = value;
        return this;
      }
      /** Internal: called by the engine when storage moves. */
      setStorage(dataId, backend) {
        this.#dataId = dataId;
        this.#backend = backend;
      }
      assertLive(op) {
        if (this.#disposed) throw new DisposedError(`${op}: tensor #${this.id} ${fmtShape(this.shape)} was disposed`);
      }
      /** Reads the values (waits for queued work on asynchronous backends). */
      async data() {
        this.assertLive("data");
        return read(this);
      }
      /** Reads the values now; throws a BackendError on backends that can only read asynchronously. */
      dataSync() {
        this.assertLive("dataSync");
        return readSync(this);
      }
      /** Values as nested arrays (numbers; booleans for bool tensors). */
      toArray() {
        return nest(this.dataSync(), this.shape, this.dtype);
      }
      async array() {
        return nest(await this.data(), this.shape, this.dtype);
      }
      /** The single value of a one-element tensor. */
      item() {
        if (this.size !== 1) throw new ShapeError(`item() needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
        return this.dataSync()[0];
      }
      /** Frees the storage (shared storage is freed when its last tensor goes). Safe to call twice. */
      dispose() {
        if (this.#disposed) return;
        this.#disposed = true;
        disposeTensor(this);
        this.grad?.dispose();
        this.grad = null;
      }
      /** Copies `value`'s storage into this tensor in place (shapes and dtypes must match). */
      assign(value) {
        this.assertLive("assign");
        value.assertLive("assign");
        if (!shapesEqual(value.shape, this.shape) || value.dtype !== this.dtype) {
          throw new ShapeError(`assign: expected ${this.dtype} ${fmtShape(this.shape)}, got ${value.dtype} ${fmtShape(value.shape)}`);
        }
        rebind(this, value.dataId, value.backendName);
        return this;
      }
      /** Moves the storage to another backend. */
      to(backend) {
        this.assertLive("to");
        return moveToBackend(this, backend);
      }
      /** Backpropagates from this tensor into the `.grad` of every leaf that requires grad. */
      backward(gradient2, options = {}) {
        backward(this, gradient2, options);
      }
      /** A tensor sharing this one's storage, cut from the autograd graph. */
      detach() {
        return detachTensor(this);
      }
      toString() {
        const values = this.#disposed ? "disposed" : this.#backend;
        return `Tensor(${this.dtype} ${fmtShape(this.shape)}, ${values})`;
      }
    };
  }
});

// ../../packages/core/src/ops/util.ts
function run(name, inputs, attrs = {}) {
  return runOp(name, inputs, attrs)[0];
}
function defineOps(...defs) {
  for (const def of defs) registerOp(def, { replace: true });
}
function scalarTensor(value, dtype) {
  const data = dtype === "float32" ? new Float32Array(1) : dtype === "int32" ? new Int32Array(1) : new Uint8Array(1);
  data[0] = Number(value);
  return fromValues(data, [], dtype);
}
function operandDType(v) {
  if (v instanceof Tensor) return v.dtype;
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) ? "int32" : "float32";
}
function operands(a, b2, op, arithmetic = true) {
  const ta = a instanceof Tensor ? a.dtype : null;
  const tb = b2 instanceof Tensor ? b2.dtype : null;
  let dtype;
  if (ta && tb) dtype = ta === tb ? ta : promoteTypes(ta, tb);
  else if (ta || tb) {
    const t = ta ?? tb;
    const s = operandDType(ta ? b2 : a);
    dtype = s === "float32" && t !== "float32" ? "float32" : s === "int32" && t === "bool" ? "int32" : t;
  } else throw new ValueError(`${op}: at least one operand must be a tensor`);
  if (arithmetic && dtype === "bool") dtype = "int32";
  return [toDType(a, dtype), toDType(b2, dtype)];
}
function toDType(v, dtype) {
  if (!(v instanceof Tensor)) return scalarTensor(v, dtype);
  return v.dtype === dtype ? v : run("cast", [v], { dtype });
}
function asFloat(x) {
  return x.dtype === "float32" ? x : run("cast", [x], { dtype: "float32" });
}
function requireDType(spec, dtypes, op, what = "input") {
  if (!dtypes.includes(spec.dtype)) {
    throw new DTypeError(`${op}: ${what} must be ${dtypes.join(" or ")}, got ${spec.dtype} ${fmtShape(spec.shape)}`);
  }
}
function requireFinite(value, op, name) {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ValueError(`${op}: ${name} must be a finite number, got ${value}`);
  return value;
}
function requireInt(value, op, name, min2) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min2) {
    throw new ValueError(`${op}: ${name} must be an integer >= ${min2}, got ${value}`);
  }
  return value;
}
function unbroadcast(g, shape) {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  const axes = [];
  g.shape.forEach((d, i) => {
    if (i < lead || shape[i - lead] === 1 && d !== 1) axes.push(i);
  });
  const summed = axes.length ? run("sum", [g], { axes, keepdim: true }) : g;
  return run("reshape", [summed], { shape });
}
function pair(v, op, name) {
  const p = typeof v === "number" ? [v, v] : [...v];
  if (p.length !== 2 || p.some((x) => typeof x !== "number" || Number.isNaN(x))) throw new ValueError(`${op}: ${name} must be a number or [h, w], got ${String(v)}`);
  return p;
}
function convAttrs(op, options) {
  return {
    stride: pair(options.stride ?? 1, op, "stride"),
    padding: pair(options.padding ?? 0, op, "padding"),
    dilation: pair(options.dilation ?? 1, op, "dilation"),
    groups: options.groups ?? 1
  };
}
var init_util = __esm({
  "../../packages/core/src/ops/util.ts"() {
    "use strict";
    init_dtype();
    init_engine();
    init_errors();
    init_registry();
    init_shape();
    init_tensor();
  }
});

// ../../packages/core/src/ops/elementwise.ts
function unary(name, dtypes, grad4, decompose4) {
  return {
    name,
    infer: ([x]) => {
      requireDType(x, dtypes, name);
      return [{ shape: x.shape, dtype: x.dtype }];
    },
    grad: grad4,
    decompose: decompose4
  };
}
function sameDTypes(name, specs, from = 0) {
  const dtype = specs[from].dtype;
  for (const s of specs.slice(from)) {
    if (s.dtype !== dtype) throw new DTypeError(`${name}: operands must share a dtype, got ${specs.map((t) => t.dtype).join(", ")}`);
  }
  return dtype;
}
function binary(name, grad4, out) {
  return {
    name,
    infer: ([a, b2]) => {
      const dtype = sameDTypes(name, [a, b2]);
      if (!out) requireDType(a, NUMERIC, name);
      return [{ shape: broadcastShapes(a.shape, b2.shape, name), dtype: out ?? dtype }];
    },
    grad: grad4,
    nondifferentiable: !grad4
  };
}
function unaryFloatInfer(name) {
  return ([x]) => {
    requireDType(x, FLOAT, name);
    return [{ shape: x.shape, dtype: x.dtype }];
  };
}
function minimum(a, b2) {
  const [ta, tb] = operands(a, b2, "minimum");
  return neg(run("maximum", [neg(ta), neg(tb)]));
}
function where(cond, a, b2) {
  return run("where", [cond, ...operands(a, b2, "where", false)]);
}
function cast(x, dtype) {
  return x.dtype === dtype ? run("reshape", [x], { shape: x.shape }) : run("cast", [x], { dtype });
}
function sign(x) {
  const f = asFloat(x);
  return sub(cast(greater(f, 0), "float32"), cast(less(f, 0), "float32"));
}
function leakyRelu(x, negativeSlope = 0.01) {
  requireFinite(negativeSlope, "leakyRelu", "negativeSlope");
  const f = asFloat(x);
  return where(greater(f, 0), f, mul(f, negativeSlope));
}
function elu(x, alpha = 1) {
  requireFinite(alpha, "elu", "alpha");
  const f = asFloat(x);
  return where(greater(f, 0), f, mul(sub(exp(minimum(f, 0)), 1), alpha));
}
function softplus(x) {
  const f = asFloat(x);
  return add(relu(f), log(add(exp(neg(abs(f))), 1)));
}
function prelu(x, weight) {
  const shape = x.shape.map((_, i) => i === 1 ? weight.size : 1);
  const w2 = weight.size === 1 ? run("reshape", [weight], { shape: [] }) : run("reshape", [weight], { shape });
  return where(greater(x, 0), x, mul(x, w2));
}
function clamp(x, min2, max3) {
  if (min2 !== void 0 && max3 !== void 0 && min2 > max3) throw new ValueError(`clamp: min ${min2} is above max ${max3}`);
  let y = x;
  if (min2 !== void 0) y = where(less(y, requireFinite(min2, "clamp", "min")), min2, y);
  if (max3 !== void 0) y = where(greater(y, requireFinite(max3, "clamp", "max")), max3, y);
  return y;
}
var FLOAT, NUMERIC, mul_, neg_, zero, neg, abs, exp, log, sqrt, relu, sigmoid, tanh, add, sub, mul, div, pow, maximum, less, greater, equal, logicalNot, notEqual, lessEqual, greaterEqual, square, reciprocal;
var init_elementwise = __esm({
  "../../packages/core/src/ops/elementwise.ts"() {
    "use strict";
    init_dtype();
    init_errors();
    init_shape();
    init_util();
    FLOAT = ["float32"];
    NUMERIC = ["float32", "int32"];
    mul_ = (a, b2) => run("mul", [a, b2]);
    neg_ = (a) => run("neg", [a]);
    zero = (like) => scalarTensor(0, like.dtype);
    defineOps(
      unary("neg", NUMERIC, ([dy]) => [neg_(dy)]),
      unary("abs", NUMERIC, ([dy], { inputs: [x] }) => [mul_(dy, sign(x))]),
      unary("exp", FLOAT, ([dy], { outputs: [y] }) => [mul_(dy, y)]),
      unary("log", FLOAT, ([dy], { inputs: [x] }) => [run("div", [dy, x])]),
      unary("sqrt", FLOAT, ([dy], { outputs: [y] }) => [run("div", [dy, mul_(y, scalarTensor(2, "float32"))])]),
      binary("add", ([dy], { inputs: [a, b2] }) => [unbroadcast(dy, a.shape), unbroadcast(dy, b2.shape)]),
      binary("sub", ([dy], { inputs: [a, b2] }) => [unbroadcast(dy, a.shape), unbroadcast(neg_(dy), b2.shape)]),
      binary("mul", ([dy], { inputs: [a, b2] }) => [unbroadcast(mul_(dy, b2), a.shape), unbroadcast(mul_(dy, a), b2.shape)]),
      binary("div", ([dy], { inputs: [a, b2] }) => {
        const da = run("div", [dy, b2]);
        return [unbroadcast(da, a.shape), unbroadcast(neg_(mul_(da, run("div", [a, b2]))), b2.shape)];
      }),
      binary("pow", ([dy], { inputs: [a, b2], outputs: [y] }) => {
        const one = scalarTensor(1, "float32");
        const da = mul_(dy, mul_(b2, run("pow", [a, run("sub", [b2, one])])));
        const positive = run("less", [zero(a), a]);
        const logA = run("where", [positive, run("log", [run("where", [positive, a, one])]), zero(a)]);
        return [unbroadcast(da, a.shape), unbroadcast(mul_(dy, mul_(y, logA)), b2.shape)];
      }),
      binary("maximum", ([dy], { inputs: [a, b2] }) => {
        const half = run("div", [dy, scalarTensor(2, "float32")]);
        const tie = run("equal", [a, b2]);
        const ga = run("where", [tie, half, run("where", [run("less", [b2, a]), dy, zero(dy)])]);
        const gb = run("sub", [dy, ga]);
        return [unbroadcast(ga, a.shape), unbroadcast(gb, b2.shape)];
      }),
      binary("less", void 0, "bool"),
      binary("equal", void 0, "bool"),
      {
        name: "where",
        infer: ([c, a, b2]) => {
          requireDType(c, ["bool"], "where", "condition");
          const dtype = sameDTypes("where", [c, a, b2], 1);
          return [{ shape: broadcastShapes(broadcastShapes(c.shape, a.shape, "where"), b2.shape, "where"), dtype }];
        },
        grad: ([dy], { inputs: [c, a, b2] }) => [
          null,
          unbroadcast(run("where", [c, dy, zero(dy)]), a.shape),
          unbroadcast(run("where", [c, zero(dy), dy]), b2.shape)
        ]
      },
      {
        name: "cast",
        infer: ([x], { dtype }) => {
          if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${JSON.stringify(dtype)}`);
          return [{ shape: x.shape, dtype }];
        },
        grad: ([dy], { inputs: [x] }) => [x.dtype === "float32" ? dy : null]
      },
      // Composite activations: decompositions for any backend, explicit gradients so fused kernels
      // train without replaying the decomposition.
      {
        name: "relu",
        infer: unaryFloatInfer("relu"),
        decompose: ([x]) => [run("where", [run("less", [zero(x), x]), x, zero(x)])],
        grad: ([dy], { outputs: [y] }) => [run("where", [run("less", [zero(y), y]), dy, zero(dy)])]
      },
      {
        name: "sigmoid",
        infer: unaryFloatInfer("sigmoid"),
        decompose: ([x]) => [run("div", [scalarTensor(1, "float32"), run("add", [scalarTensor(1, "float32"), run("exp", [neg_(x)])])])],
        grad: ([dy], { outputs: [y] }) => [mul_(dy, mul_(y, run("sub", [scalarTensor(1, "float32"), y])))]
      },
      {
        name: "tanh",
        infer: unaryFloatInfer("tanh"),
        decompose: ([x]) => {
          const two = scalarTensor(2, "float32");
          return [run("sub", [mul_(two, run("sigmoid", [mul_(two, x)])), scalarTensor(1, "float32")])];
        },
        grad: ([dy], { outputs: [y] }) => [mul_(dy, run("sub", [scalarTensor(1, "float32"), mul_(y, y)]))]
      }
    );
    neg = (x) => run("neg", [x.dtype === "bool" ? asFloat(x) : x]);
    abs = (x) => run("abs", [x.dtype === "bool" ? asFloat(x) : x]);
    exp = (x) => run("exp", [asFloat(x)]);
    log = (x) => run("log", [asFloat(x)]);
    sqrt = (x) => run("sqrt", [asFloat(x)]);
    relu = (x) => run("relu", [asFloat(x)]);
    sigmoid = (x) => run("sigmoid", [asFloat(x)]);
    tanh = (x) => run("tanh", [asFloat(x)]);
    add = (a, b2) => run("add", operands(a, b2, "add"));
    sub = (a, b2) => run("sub", operands(a, b2, "sub"));
    mul = (a, b2) => run("mul", operands(a, b2, "mul"));
    div = (a, b2) => run("div", operands(a, b2, "div").map(asFloat));
    pow = (a, b2) => run("pow", operands(a, b2, "pow").map(asFloat));
    maximum = (a, b2) => run("maximum", operands(a, b2, "maximum"));
    less = (a, b2) => run("less", operands(a, b2, "less", false));
    greater = (a, b2) => less(b2, a);
    equal = (a, b2) => run("equal", operands(a, b2, "equal", false));
    logicalNot = (x) => {
      if (x.dtype !== "bool") throw new DTypeError(`logicalNot: input must be bool, got ${x.dtype}`);
      return equal(x, false);
    };
    notEqual = (a, b2) => logicalNot(equal(a, b2));
    lessEqual = (a, b2) => logicalNot(greater(a, b2));
    greaterEqual = (a, b2) => logicalNot(less(a, b2));
    square = (x) => mul(x, x);
    reciprocal = (x) => div(1, x);
  }
});

// ../../packages/core/src/ops/reduce.ts
function reducedShape(shape, axes, keepdim) {
  return keepdim ? shape.map((d, i) => axes.includes(i) ? 1 : d) : shape.filter((_, i) => !axes.includes(i));
}
function checkAxes(name, x, axes) {
  if (!Array.isArray(axes) || axes.length === 0) throw new ValueError(`${name}: axes must be a non-empty array, got ${JSON.stringify(axes)}`);
  return axes.map((a) => normalizeAxis(a, x.shape.length, name));
}
function expandBack(dy, x, { axes, keepdim }) {
  const kept = keepdim ? dy : run("reshape", [dy], { shape: reducedShape(x.shape, axes, true) });
  return run("expand", [kept], { shape: x.shape });
}
function softmaxInfer(name) {
  return ([x], { axis }) => {
    requireDType(x, ["float32"], name);
    normalizeAxis(axis, x.shape.length, name);
    return [{ shape: x.shape, dtype: x.dtype }];
  };
}
function reduceWith(name, x, dim, keepdim) {
  const axes = normalizeAxes(dim, x.shape.length, name);
  if (axes.length === 0) return run("reshape", [x], { shape: x.shape });
  return run(name, [x], { axes, keepdim });
}
function sum(x, dim, keepdim = false) {
  return reduceWith("sum", x, dim, keepdim);
}
function mean(x, dim, keepdim = false) {
  const axes = normalizeAxes(dim, x.shape.length, "mean");
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(asFloat(x), axes, keepdim), n);
}
function max(x, dim, keepdim = false) {
  return reduceWith("max", x, dim, keepdim);
}
function min(x, dim, keepdim = false) {
  return neg(max(neg(x), dim, keepdim));
}
function argmax(x, dim, keepdim = false) {
  if (dim === void 0) return run("argmax", [run("reshape", [x], { shape: [x.size] })], { axis: 0, keepdim: false });
  return run("argmax", [x], { axis: normalizeAxis(dim, x.shape.length, "argmax"), keepdim });
}
function argmin(x, dim, keepdim = false) {
  return argmax(neg(x), dim, keepdim);
}
function logsumexp(x, dim, keepdim = false) {
  const f = asFloat(x);
  const axes = normalizeAxes(dim, f.shape.length, "logsumexp");
  const top = max(f, axes, true).detach();
  const m = where(less(abs(top), Infinity), top, 0);
  const out = add(log(sum(exp(sub(f, m)), axes, true)), m);
  return keepdim ? out : run("reshape", [out], { shape: reducedShape(f.shape, axes, false) });
}
function softmax(x, dim) {
  return run("softmax", [asFloat(x)], { axis: normalizeAxis(dim, x.shape.length, "softmax") });
}
function logSoftmax(x, dim) {
  return run("logSoftmax", [asFloat(x)], { axis: normalizeAxis(dim, x.shape.length, "logSoftmax") });
}
function variance(x, dim, options = {}) {
  const axes = normalizeAxes(dim, x.shape.length, "variance");
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  const centred = sub(x, mean(x, axes, true));
  return div(sum(mul(centred, centred), axes, options.keepdim ?? false), options.unbiased === false ? n : n - 1);
}
var init_reduce = __esm({
  "../../packages/core/src/ops/reduce.ts"() {
    "use strict";
    init_errors();
    init_shape();
    init_elementwise();
    init_util();
    defineOps(
      {
        name: "sum",
        infer: ([x], { axes, keepdim }) => {
          checkAxes("sum", x, axes);
          return [{ shape: reducedShape(x.shape, axes, keepdim), dtype: x.dtype === "bool" ? "int32" : x.dtype }];
        },
        grad: ([dy], { inputs: [x], attrs }) => [expandBack(dy, x, attrs)]
      },
      {
        name: "max",
        infer: ([x], { axes, keepdim }) => {
          checkAxes("max", x, axes);
          requireDType(x, ["float32", "int32"], "max");
          if (axes.some((a) => x.shape[a] === 0)) throw new ValueError(`max: cannot reduce an empty dimension`);
          return [{ shape: reducedShape(x.shape, axes, keepdim), dtype: x.dtype }];
        },
        // Ties share the gradient evenly (PyTorch's amax rule).
        grad: ([dy], { inputs: [x], outputs: [y], attrs }) => {
          const mask = cast(equal(x, expandBack(y, x, attrs)), "float32");
          const count = run("sum", [mask], { axes: attrs.axes, keepdim: true });
          return [mul(div(mask, count), expandBack(dy, x, attrs))];
        }
      },
      {
        name: "argmax",
        infer: ([x], { axis, keepdim }) => {
          normalizeAxis(axis, x.shape.length, "argmax");
          requireDType(x, ["float32", "int32"], "argmax");
          if (x.shape[axis] === 0) throw new ValueError("argmax: cannot reduce an empty dimension");
          return [{ shape: reducedShape(x.shape, [axis], keepdim), dtype: "int32" }];
        },
        nondifferentiable: true
      },
      {
        name: "softmax",
        infer: softmaxInfer("softmax"),
        decompose: ([x], { axis }) => {
          const e = exp(sub(x, max(x, axis, true)));
          return [div(e, sum(e, axis, true))];
        },
        grad: ([dy], { outputs: [y], attrs: { axis } }) => [mul(y, sub(dy, sum(mul(dy, y), axis, true)))]
      },
      {
        name: "logSoftmax",
        infer: softmaxInfer("logSoftmax"),
        decompose: ([x], { axis }) => [sub(x, logsumexp(x, axis, true))],
        grad: ([dy], { outputs: [y], attrs: { axis } }) => [sub(dy, mul(exp(y), sum(dy, axis, true)))]
      }
    );
  }
});

// ../../packages/core/src/ops/movement.ts
function inversePerm(perm) {
  const inv = new Array(perm.length);
  perm.forEach((p, i) => inv[p] = i);
  return inv;
}
function checkPerm(perm, rank) {
  if (!Array.isArray(perm) || perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new ValueError(`permute: dims ${JSON.stringify(perm)} are not a permutation of ${rank} axes`);
  }
  return perm;
}
function sliceBackward(dy, shape, { begin, size: size2, step }) {
  let g = dy;
  for (let d = 0; d < shape.length; d++) {
    const n = size2[d];
    if (n === shape[d] && step[d] === 1) continue;
    let s = step[d];
    let start = begin[d];
    if (s < 0) {
      g = flip(g, [d]);
      start += (n - 1) * s;
      s = -s;
    }
    if (n > 0 && s > 1) g = dilate(g, d, s);
    const used = n === 0 ? 0 : (n - 1) * s + 1;
    const pads = shape.map((_, i) => i === d ? [start, shape[d] - start - used] : [0, 0]);
    g = run("pad", [g], { pads, value: 0 });
  }
  return g;
}
function dilate(x, dim, s) {
  const n = x.shape[dim];
  const split2 = [...x.shape.slice(0, dim + 1), 1, ...x.shape.slice(dim + 1)];
  const pads = split2.map((_, i) => i === dim + 1 ? [0, s - 1] : [0, 0]);
  const spread = run("pad", [run("reshape", [x], { shape: split2 })], { pads, value: 0 });
  const merged = run("reshape", [spread], { shape: x.shape.map((d, i) => i === dim ? d * s : d) });
  return sliceRaw(merged, merged.shape.map(() => 0), merged.shape.map((d, i) => i === dim ? (n - 1) * s + 1 : d), merged.shape.map(() => 1));
}
function sliceRaw(x, begin, size2, step) {
  return run("slice", [x], { begin, size: size2, step });
}
function reshape(x, shape) {
  const free = shape.indexOf(-1);
  let target = [...shape];
  if (free >= 0) {
    const known = shape.reduce((p, d, i) => i === free ? p : p * d, 1);
    if (shape.lastIndexOf(-1) !== free || known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in ${fmtShape(shape)} for ${x.size} elements`);
    }
    target[free] = x.size / known;
  }
  target = checkShape(target, "reshape");
  return run("reshape", [x], { shape: target });
}
function flatten(x, startDim = 0, endDim = -1) {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, "flatten");
  const e = normalizeAxis(endDim, x.ndim, "flatten");
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}
function squeeze(x, dim) {
  const axes = dim === void 0 ? x.shape.flatMap((d, i) => d === 1 ? [i] : []) : normalizeAxes(dim, x.ndim, "squeeze");
  return reshape(x, x.shape.filter((d, i) => !(axes.includes(i) && d === 1)));
}
function unsqueeze(x, dim) {
  const d = normalizeAxis(dim, x.ndim + 1, "unsqueeze");
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}
function permute(x, dims) {
  const perm = dims.map((d) => normalizeAxis(d, x.ndim, "permute"));
  if (perm.every((p, i) => p === i)) return reshape(x, x.shape);
  return run("transpose", [x], { perm });
}
function transpose(x, dim0 = -2, dim1 = -1) {
  const perm = x.shape.map((_, i) => i);
  const a = normalizeAxis(dim0, x.ndim, "transpose");
  const b2 = normalizeAxis(dim1, x.ndim, "transpose");
  [perm[a], perm[b2]] = [perm[b2], perm[a]];
  return permute(x, perm);
}
function expand(x, shape) {
  if (shape.length < x.ndim) throw new ShapeError(`expand: target ${fmtShape(shape)} has fewer dims than ${fmtShape(x.shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => d === -1 ? x.shape[i - lead] : d);
  const ranked = lead ? reshape(x, [...new Array(lead).fill(1), ...x.shape]) : x;
  if (target.every((d, i) => d === ranked.shape[i])) return ranked === x ? reshape(x, x.shape) : ranked;
  return run("expand", [ranked], { shape: target });
}
function slice(x, begin, end, step) {
  const b2 = [];
  const size2 = [];
  const st = [];
  x.shape.forEach((d, i) => {
    const s = step?.[i] ?? 1;
    if (!Number.isInteger(s) || s === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${s}`);
    const norm2 = (v, dflt) => {
      if (v === null || v === void 0) return dflt;
      const w2 = v < 0 ? v + d : v;
      return s > 0 ? Math.min(Math.max(w2, 0), d) : Math.min(Math.max(w2, -1), d - 1);
    };
    const lo = norm2(begin[i], s > 0 ? 0 : d - 1);
    const hi = norm2(end?.[i], s > 0 ? d : -1);
    const n = Math.max(0, Math.ceil((hi - lo) / s));
    b2.push(n ? lo : 0);
    size2.push(n);
    st.push(s);
  });
  return run("slice", [x], { begin: b2, size: size2, step: st });
}
function flip(x, dims) {
  const axes = normalizeAxes(dims, x.ndim, "flip");
  return slice(x, x.shape.map((d, i) => axes.includes(i) ? d - 1 : 0), x.shape.map(() => null), x.shape.map((_, i) => axes.includes(i) ? -1 : 1));
}
function concat(tensors, dim = 0) {
  if (tensors.length === 0) throw new ValueError("concat: needs at least one tensor");
  const axis = normalizeAxis(dim, tensors[0].ndim, "concat");
  if (tensors.length === 1) return reshape(tensors[0], tensors[0].shape);
  return run("concat", tensors, { axis });
}
function stack(tensors, dim = 0) {
  if (tensors.length === 0) throw new ValueError("stack: needs at least one tensor");
  const axis = normalizeAxis(dim, tensors[0].ndim + 1, "stack");
  for (const t of tensors) {
    if (t.shape.join() !== tensors[0].shape.join()) throw new ShapeError(`stack: shapes differ (${fmtShape(tensors[0].shape)} vs ${fmtShape(t.shape)})`);
  }
  return concat(tensors.map((t) => unsqueeze(t, axis)), axis);
}
function split(x, sizes, dim = 0) {
  const axis = normalizeAxis(dim, x.ndim, "split");
  const total = x.shape[axis];
  const parts = typeof sizes === "number" ? Array.from({ length: Math.ceil(total / requireInt(sizes, "split", "size", 1)) }, (_, i) => Math.min(sizes, total - i * sizes)) : [...sizes];
  if (parts.reduce((a, b2) => a + b2, 0) !== total) throw new ShapeError(`split: sizes ${JSON.stringify(parts)} do not add up to ${total}`);
  let offset = 0;
  return parts.map((n) => {
    const begin = x.shape.map((_, i) => i === axis ? offset : 0);
    offset += n;
    return run("slice", [x], { begin, size: x.shape.map((d, i) => i === axis ? n : d), step: x.shape.map(() => 1) });
  });
}
function pad(x, padding, value = 0) {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) throw new ValueError(`pad: need pairs for at most ${x.ndim} dims, got ${padding.length} values`);
  const pads = x.shape.map(() => [0, 0]);
  for (let k = 0; k < padding.length / 2; k++) pads[x.ndim - 1 - k] = [padding[2 * k], padding[2 * k + 1]];
  return run("pad", [x], { pads, value });
}
var init_movement = __esm({
  "../../packages/core/src/ops/movement.ts"() {
    "use strict";
    init_errors();
    init_shape();
    init_util();
    defineOps(
      {
        name: "reshape",
        view: true,
        infer: ([x], { shape }) => {
          checkShape(shape, "reshape");
          if (sizeOf(shape) !== sizeOf(x.shape)) throw new ShapeError(`reshape: cannot view ${fmtShape(x.shape)} (${sizeOf(x.shape)} elements) as ${fmtShape(shape)}`);
          return [{ shape, dtype: x.dtype }];
        },
        grad: ([dy], { inputs: [x] }) => [run("reshape", [dy], { shape: x.shape })]
      },
      {
        name: "transpose",
        infer: ([x], { perm }) => [{ shape: checkPerm(perm, x.shape.length).map((p) => x.shape[p]), dtype: x.dtype }],
        grad: ([dy], { attrs: { perm } }) => [run("transpose", [dy], { perm: inversePerm(perm) })]
      },
      {
        name: "expand",
        infer: ([x], { shape }) => {
          checkShape(shape, "expand");
          if (shape.length !== x.shape.length || x.shape.some((d, i) => d !== 1 && d !== shape[i])) {
            throw new ShapeError(`expand: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
          }
          return [{ shape, dtype: x.dtype }];
        },
        grad: ([dy], { inputs: [x] }) => {
          const axes = x.shape.flatMap((d, i) => d === 1 && dy.shape[i] !== 1 ? [i] : []);
          return [axes.length ? run("sum", [dy], { axes, keepdim: true }) : dy];
        }
      },
      {
        name: "slice",
        infer: ([x], { begin, size: size2, step }) => {
          const r = x.shape.length;
          if (begin.length !== r || size2.length !== r || step.length !== r) throw new ValueError(`slice: begin, size and step need ${r} entries each`);
          x.shape.forEach((d, i) => {
            const last = begin[i] + (size2[i] - 1) * step[i];
            if (!Number.isInteger(step[i]) || step[i] === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${step[i]}`);
            if (size2[i] > 0 && (begin[i] < 0 || begin[i] >= d || last < 0 || last >= d)) {
              throw new ShapeError(`slice: dim ${i} reads outside [0, ${d})`);
            }
          });
          return [{ shape: [...size2], dtype: x.dtype }];
        },
        grad: ([dy], { inputs: [x], attrs }) => [sliceBackward(dy, x.shape, attrs)]
      },
      {
        name: "concat",
        infer: (xs, { axis }) => {
          if (xs.length === 0) throw new ValueError("concat: needs at least one tensor");
          const first = xs[0];
          const shape = [...first.shape];
          normalizeAxis(axis, shape.length, "concat");
          for (const t of xs.slice(1)) {
            if (t.dtype !== first.dtype) throw new DTypeError(`concat: dtypes differ (${first.dtype} vs ${t.dtype})`);
            if (t.shape.length !== shape.length || t.shape.some((d, i) => i !== axis && d !== shape[i])) {
              throw new ShapeError(`concat: ${fmtShape(t.shape)} does not match ${fmtShape(first.shape)} outside dim ${axis}`);
            }
            shape[axis] += t.shape[axis];
          }
          return [{ shape, dtype: first.dtype }];
        },
        grad: ([dy], { inputs, attrs: { axis } }) => {
          let offset = 0;
          return inputs.map((t) => {
            const begin = t.shape.map((_, i) => i === axis ? offset : 0);
            offset += t.shape[axis];
            return sliceRaw(dy, begin, [...t.shape], t.shape.map(() => 1));
          });
        }
      },
      {
        name: "pad",
        infer: ([x], { pads, value }) => {
          if (!Array.isArray(pads) || pads.length !== x.shape.length) throw new ValueError(`pad: need one [before, after] pair per dim (${x.shape.length})`);
          pads.flat().forEach((p) => requireInt(p, "pad", "padding", 0));
          if (typeof value !== "number" || Number.isNaN(value)) throw new ValueError(`pad: value must be a number, got ${value}`);
          return [{ shape: x.shape.map((d, i) => d + pads[i][0] + pads[i][1]), dtype: x.dtype }];
        },
        grad: ([dy], { inputs: [x], attrs: { pads } }) => [sliceRaw(dy, pads.map((p) => p[0]), [...x.shape], x.shape.map(() => 1))]
      }
    );
  }
});

// ../../packages/core/src/ops/linalg.ts
function matmul(a, b2) {
  if (a.ndim === 0 || b2.ndim === 0) throw new ShapeError(`matmul: operands need at least one dim, got ${fmtShape(a.shape)} and ${fmtShape(b2.shape)}`);
  if (a.dtype === "bool" || b2.dtype === "bool") throw new DTypeError(`matmul: bool operands are not supported (${a.dtype} @ ${b2.dtype})`);
  const a2 = a.ndim === 1 ? reshape(asFloat(a), [1, a.size]) : asFloat(a);
  const b22 = b2.ndim === 1 ? reshape(asFloat(b2), [b2.size, 1]) : asFloat(b2);
  const [m, k] = a2.shape.slice(-2);
  const [k2, n] = b22.shape.slice(-2);
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ (${fmtShape(a.shape)} @ ${fmtShape(b2.shape)}: ${k} vs ${k2})`);
  const batch2 = broadcastShapes(a2.shape.slice(0, -2), b22.shape.slice(0, -2), "matmul");
  const nb = sizeOf(batch2);
  let out;
  if (b22.ndim === 2) {
    out = bmm(reshape(a2, [1, nb * m, k]), reshape(b22, [1, k, n]), false, false);
  } else {
    const ea = reshape(expand(a2, [...batch2, m, k]), [nb, m, k]);
    const eb = reshape(expand(b22, [...batch2, k, n]), [nb, k, n]);
    out = bmm(ea, eb, false, false);
  }
  const shape = [...batch2, m, n].filter((_, i, all) => !(a.ndim === 1 && i === all.length - 2) && !(b2.ndim === 1 && i === all.length - 1));
  return reshape(out, shape);
}
function linear(x, weight, bias) {
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(weight.shape)}`);
  const [outF, inF] = weight.shape;
  if (x.shape[x.ndim - 1] !== inF) throw new ShapeError(`linear: input features ${x.shape[x.ndim - 1]} do not match weight ${fmtShape(weight.shape)} (expected ${inF})`);
  const rows = x.size / inF;
  const y = bmm(reshape(asFloat(x), [1, rows, inF]), reshape(weight, [1, outF, inF]), false, true);
  const shaped = reshape(y, [...x.shape.slice(0, -1), outF]);
  return bias ? add(shaped, bias) : shaped;
}
var bmm;
var init_linalg = __esm({
  "../../packages/core/src/ops/linalg.ts"() {
    "use strict";
    init_errors();
    init_shape();
    init_elementwise();
    init_movement();
    init_util();
    bmm = (a, b2, transposeA, transposeB) => run("batchMatmul", [a, b2], { transposeA, transposeB });
    defineOps({
      name: "batchMatmul",
      infer: ([a, b2], { transposeA, transposeB }) => {
        requireDType(a, ["float32"], "matmul", "a");
        requireDType(b2, ["float32"], "matmul", "b");
        if (a.shape.length !== 3 || b2.shape.length !== 3 || a.shape[0] !== b2.shape[0]) {
          throw new ShapeError(`batchMatmul: needs [B, M, K] and [B, K, N], got ${fmtShape(a.shape)} and ${fmtShape(b2.shape)}`);
        }
        const [, m, k] = transposeA ? [0, a.shape[2], a.shape[1]] : a.shape;
        const [, k2, n] = transposeB ? [0, b2.shape[2], b2.shape[1]] : b2.shape;
        if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ (${fmtShape(a.shape)} @ ${fmtShape(b2.shape)}: ${k} vs ${k2})`);
        return [{ shape: [a.shape[0], m, n], dtype: "float32" }];
      },
      // With op(X) the optionally transposed operand, C = op(A)·op(B); each case keeps the
      // gradients in the operands' stored layouts so no transpose is materialised.
      grad: ([dc], { inputs: [a, b2], attrs: { transposeA: ta, transposeB: tb } }) => {
        const da = ta ? bmm(b2, dc, tb, true) : bmm(dc, b2, false, !tb);
        const db = tb ? bmm(dc, a, true, ta) : bmm(a, dc, !ta, false);
        return [da, db];
      }
    });
  }
});

// ../../packages/core/src/random.ts
function rotl(x, k) {
  return (x << k | x >>> 32 - k) >>> 0;
}
function defaultGenerator() {
  const r = registries();
  r[GEN] ??= new Generator(0);
  return r[GEN];
}
function manualSeed(seed) {
  defaultGenerator().manualSeed(seed);
}
function getRngState() {
  return defaultGenerator().getState();
}
function setRngState(state2) {
  defaultGenerator().setState(state2);
}
var Generator, GEN;
var init_random = __esm({
  "../../packages/core/src/random.ts"() {
    "use strict";
    init_errors();
    init_registry();
    Generator = class {
      #s = new Uint32Array(4);
      #spare = null;
      constructor(seed = 0) {
        this.manualSeed(seed);
      }
      manualSeed(seed) {
        let x = seed >>> 0;
        for (let i = 0; i < 4; i++) {
          x = x + 2654435769 >>> 0;
          let z = x;
          z = Math.imul(z ^ z >>> 16, 2246822507) >>> 0;
          z = Math.imul(z ^ z >>> 13, 3266489909) >>> 0;
          this.#s[i] = (z ^ z >>> 16) >>> 0;
        }
        this.#spare = null;
        return this;
      }
      nextUint32() {
        const s = this.#s;
        const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
        const t = s[1] << 9 >>> 0;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 11);
        return result;
      }
      /** Uniform in [0, 1) with 24 random bits (exact in float32). */
      uniform() {
        return (this.nextUint32() >>> 8) / 16777216;
      }
      /** Standard normal by Box–Muller, using both values of each pair. */
      normal() {
        if (this.#spare !== null) {
          const v2 = this.#spare;
          this.#spare = null;
          return v2;
        }
        const u = 1 - this.uniform();
        const v = this.uniform();
        const r = Math.sqrt(-2 * Math.log(u));
        this.#spare = r * Math.sin(2 * Math.PI * v);
        return r * Math.cos(2 * Math.PI * v);
      }
      /** Uniform integer in [low, high). */
      integer(low, high) {
        return low + Math.floor(this.uniform() * (high - low));
      }
      getState() {
        return [...this.#s, this.#spare === null ? NaN : this.#spare];
      }
      setState(state2) {
        const words = state2.slice(0, 4);
        if (words.length !== 4 || words.some((w2) => !Number.isInteger(w2)) || words.every((w2) => w2 >>> 0 === 0)) {
          throw new ValueError(`Generator.setState: expected four 32-bit words, not all zero, got ${JSON.stringify(state2)}`);
        }
        for (let i = 0; i < 4; i++) this.#s[i] = words[i] >>> 0;
        this.#spare = state2.length > 4 && !Number.isNaN(state2[4]) ? state2[4] : null;
        return this;
      }
    };
    GEN = /* @__PURE__ */ Symbol.for("@fovea/core/generator@1");
  }
});

// ../../packages/core/src/creation.ts
function finish(t, options) {
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}
function inferShape(values) {
  const shape = [];
  let v = values;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = v;
    shape.push(arr.length);
    if (arr.length === 0) break;
    v = arr[0];
  }
  return shape;
}
function flatten2(values, shape, out, dim = 0) {
  if (dim === shape.length) {
    if (typeof values !== "number" && typeof values !== "boolean") {
      throw new ShapeError(`tensor: ragged nested array, expected a number at depth ${dim} for shape ${fmtShape(shape)}`);
    }
    out.push(Number(values));
    return;
  }
  const arr = values;
  if (typeof values !== "object" || arr.length !== shape[dim]) {
    throw new ShapeError(`tensor: ragged nested array, expected length ${shape[dim]} at depth ${dim} for shape ${fmtShape(shape)}`);
  }
  for (let i = 0; i < arr.length; i++) flatten2(arr[i], shape, out, dim + 1);
}
function defaultDType(values) {
  if (values instanceof Int32Array) return "int32";
  if (values instanceof Uint8Array) return "bool";
  let v = values;
  while (Array.isArray(v) && v.length) v = v[0];
  return typeof v === "boolean" ? "bool" : "float32";
}
function checkDType(dtype) {
  if (!isDType(dtype)) throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)}; expected float32, int32 or bool`);
  return dtype;
}
function tensor(values, shape, options = {}) {
  const dtype = checkDType(options.dtype ?? defaultDType(values));
  const flatShape = inferShape(values);
  let data;
  if (ArrayBuffer.isView(values) && arrayMatches(values, dtype)) data = values.slice();
  else {
    const flat = [];
    flatten2(values, flatShape, flat);
    data = allocArray(dtype, flat.length);
    data.set(dtype === "bool" ? flat.map((v) => v ? 1 : 0) : flat);
  }
  const finalShape = shape ? checkShape(shape, "tensor") : flatShape;
  if (sizeOf(finalShape) !== data.length) {
    throw new ShapeError(`tensor: ${data.length} values do not fill shape ${fmtShape(finalShape)}`);
  }
  return finish(fromValues(data, finalShape, dtype), options);
}
function scalar(value, options = {}) {
  return tensor(value, [], options);
}
function full(shape, value, options = {}) {
  const dtype = checkDType(options.dtype ?? (typeof value === "boolean" ? "bool" : "float32"));
  const data = allocArray(dtype, sizeOf(checkShape(shape, "full")));
  data.fill(Number(value));
  return finish(fromValues(data, shape, dtype), options);
}
function zeros(shape, options = {}) {
  return full(shape, 0, options);
}
function ones(shape, options = {}) {
  return full(shape, 1, options);
}
function zerosLike(t, options = {}) {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}
function onesLike(t, options = {}) {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}
function arange(start, end, step = 1, options = {}) {
  if (end === void 0) [start, end] = [0, start];
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
    throw new ValueError(`arange: start, end and step must be finite and step non-zero, got (${start}, ${end}, ${step})`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = [start, end, step].every(Number.isInteger);
  const dtype = checkDType(options.dtype ?? (ints ? "int32" : "float32"));
  const data = allocArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(fromValues(data, [n], dtype), options);
}
function eye(n, m = n, options = {}) {
  const dtype = checkDType(options.dtype ?? "float32");
  const data = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(fromValues(data, checkShape([n, m], "eye"), dtype), options);
}
function randomTensor(shape, options, draw) {
  const dtype = checkDType(options.dtype ?? "float32");
  const g = options.generator ?? defaultGenerator();
  const data = allocArray(dtype, sizeOf(checkShape(shape, "random")));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(fromValues(data, shape, dtype), options);
}
function rand(shape, options = {}) {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low) || !Number.isFinite(low) || !Number.isFinite(high)) throw new ValueError(`rand: need finite low <= high, got ${low}, ${high}`);
  return randomTensor(shape, options, (g) => low + (high - low) * g.uniform());
}
function randn(shape, options = {}) {
  const mean2 = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!Number.isFinite(mean2) || !(std >= 0)) throw new ValueError(`randn: need finite mean and std >= 0, got ${mean2}, ${std}`);
  return randomTensor(shape, options, (g) => mean2 + std * g.normal());
}
function randint(low, high, shape, options = {}) {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got ${low}, ${high}`);
  }
  return randomTensor(shape, { dtype: "int32", ...options }, (g) => g.integer(low, high));
}
var init_creation = __esm({
  "../../packages/core/src/creation.ts"() {
    "use strict";
    init_dtype();
    init_engine();
    init_errors();
    init_random();
    init_shape();
  }
});

// ../../packages/core/src/ops/indexing.ts
function checkIndex(name, x, index, axis) {
  requireDType(index, ["int32"], name, "index");
  normalizeAxis(axis, x.shape.length, name);
  if (index.shape.length !== x.shape.length || index.shape.some((d, i) => i !== axis && d > x.shape[i])) {
    throw new ShapeError(`${name}: index ${fmtShape(index.shape)} must have the rank of ${fmtShape(x.shape)} and fit it outside dim ${axis}`);
  }
}
function gather(x, dim, index) {
  return run("gather", [x, index], { axis: normalizeAxis(dim, x.ndim, "gather") });
}
function scatterAdd(x, dim, index, src) {
  return run("scatterAdd", [x, index, src], { axis: normalizeAxis(dim, x.ndim, "scatterAdd") });
}
function indexSelect(x, dim, index) {
  if (index.ndim !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmtShape(index.shape)}`);
  if (index.dtype !== "int32") throw new DTypeError(`indexSelect: index must be int32, got ${index.dtype}`);
  const axis = normalizeAxis(dim, x.ndim, "indexSelect");
  const spread = reshape(index, x.shape.map((_, i) => i === axis ? index.size : 1));
  return gather(x, axis, expand(spread, x.shape.map((d, i) => i === axis ? index.size : d)));
}
function embedding(indices, weight) {
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be [numEmbeddings, dim], got ${fmtShape(weight.shape)}`);
  const rows = indexSelect(weight, 0, reshape(indices, [indices.size]));
  return reshape(rows, [...indices.shape, weight.shape[1]]);
}
function oneHot(indices, numClasses) {
  if (indices.dtype !== "int32") throw new DTypeError(`oneHot: indices must be int32, got ${indices.dtype}`);
  requireInt(numClasses, "oneHot", "numClasses", 1);
  return run("cast", [equal(unsqueeze(indices, -1), arange(numClasses))], { dtype: "int32" });
}
var init_indexing = __esm({
  "../../packages/core/src/ops/indexing.ts"() {
    "use strict";
    init_creation();
    init_errors();
    init_shape();
    init_elementwise();
    init_movement();
    init_util();
    defineOps(
      {
        name: "gather",
        infer: ([x, index], { axis }) => {
          checkIndex("gather", x, index, axis);
          return [{ shape: index.shape, dtype: x.dtype }];
        },
        grad: ([dy], { inputs: [x, index], attrs: { axis } }) => [
          run("scatterAdd", [zeros(x.shape, { dtype: dy.dtype }), index, dy], { axis }),
          null
        ]
      },
      {
        name: "scatterAdd",
        infer: ([base, index, src], { axis }) => {
          checkIndex("scatterAdd", base, index, axis);
          if (src.dtype !== base.dtype || src.shape.join() !== index.shape.join()) {
            throw new ShapeError(`scatterAdd: src ${src.dtype} ${fmtShape(src.shape)} must match the index shape ${fmtShape(index.shape)} and base dtype ${base.dtype}`);
          }
          return [{ shape: base.shape, dtype: base.dtype }];
        },
        grad: ([dy], { inputs: [, index], attrs: { axis } }) => [dy, null, run("gather", [dy, index], { axis })]
      }
    );
  }
});

// ../../packages/core/src/methods.ts
var binary2, unary2, withArgs, proto;
var init_methods = __esm({
  "../../packages/core/src/methods.ts"() {
    "use strict";
    init_tensor();
    init_elementwise();
    init_reduce();
    init_movement();
    init_linalg();
    init_indexing();
    binary2 = { add, sub, mul, div, pow, maximum, minimum, less, greater, lessEqual, greaterEqual, equal, notEqual };
    unary2 = { neg, abs, exp, log, sqrt, square, sign, relu, sigmoid, tanh };
    withArgs = {
      clamp,
      cast,
      sum,
      mean,
      max,
      min,
      argmax,
      argmin,
      logsumexp,
      softmax,
      logSoftmax,
      reshape,
      view: reshape,
      flatten,
      squeeze,
      unsqueeze,
      permute,
      transpose,
      expand,
      slice,
      flip,
      matmul,
      gather
    };
    proto = Tensor.prototype;
    for (const [name, fn] of Object.entries({ ...binary2, ...unary2, ...withArgs })) {
      proto[name] = function(...args) {
        return fn(this, ...args);
      };
    }
    Object.defineProperty(Tensor.prototype, "T", {
      get() {
        return transpose(this, 0, 1);
      }
    });
  }
});

// ../../packages/core/src/gradcheck.ts
function norm(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
function compare(index, analytic, numeric) {
  const diff = analytic.map((a, i) => a - numeric[i]);
  const scale = Math.max(norm(analytic), norm(numeric));
  const relError = scale === 0 ? 0 : norm(diff) / scale;
  const maxAbsError = diff.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
  return { index, relError, maxAbsError, analytic, numeric };
}
async function gradCheck(fn, inputs, options = {}) {
  const eps = options.eps ?? 1e-3;
  const tolerance = options.tolerance ?? 0.01;
  const probe = tidy(() => noGrad(() => fn(...inputs)));
  const direction = randn(probe.shape, { generator: new Generator(options.seed ?? 1234) });
  probe.dispose();
  const objective = (xs) => sum(mul(fn(...xs), direction));
  const leaves = inputs.map((t) => t.dtype === "float32" ? t.detach().requiresGrad_() : t);
  const analytic = tidy(() => grad(objective(leaves), leaves.filter((t) => t.requiresGrad)));
  const reports = [];
  let k = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (!leaves[i].requiresGrad) continue;
    const g = analytic[k++];
    const a = g ? new Float32Array(await g.data()) : new Float32Array(inputs[i].size);
    reports.push(compare(i, a, await numericGradient(objective, inputs, i, eps)));
    g?.dispose();
  }
  for (const t of leaves) if (t.requiresGrad) t.dispose();
  direction.dispose();
  const maxRelError = reports.reduce((m, r) => Math.max(m, r.relError), 0);
  return { ok: maxRelError <= tolerance, maxRelError, inputs: reports };
}
async function numericGradient(objective, inputs, which, eps) {
  const base = new Float32Array(await inputs[which].data());
  const out = new Float32Array(base.length);
  const evaluate = async (values) => {
    const y = noGrad(
      () => tidy(() => {
        const xs = inputs.map((t, i) => i === which ? tensor(values, t.shape) : t);
        return objective(xs);
      })
    );
    const v = (await y.data())[0];
    y.dispose();
    return v;
  };
  for (let j = 0; j < base.length; j++) {
    const saved = base[j];
    const hi = base[j] = saved + eps;
    const plus2 = await evaluate(base);
    const lo = base[j] = saved - eps;
    const minus = await evaluate(base);
    base[j] = saved;
    out[j] = (plus2 - minus) / (Math.fround(hi) - Math.fround(lo));
  }
  return out;
}
var init_gradcheck = __esm({
  "../../packages/core/src/gradcheck.ts"() {
    "use strict";
    init_autograd();
    init_creation();
    init_engine();
    init_elementwise();
    init_reduce();
    init_random();
  }
});

// ../../packages/core/src/ops/conv.ts
function windows(size2, kernel3, stride, pad3, dilation, ceil = false) {
  const span = size2 + 2 * pad3 - dilation * (kernel3 - 1) - 1;
  const out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  return ceil && (out - 1) * stride >= size2 + pad3 ? out - 1 : out;
}
function checkPair(op, name, v, min2) {
  if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < min2)) {
    throw new ValueError(`${op}: ${name} must be integers >= ${min2}, got ${String(v)}`);
  }
  return v;
}
function require4d(op, x, what = "input") {
  if (x.shape.length !== 4) throw new ShapeError(`${op}: ${what} must be 4-D NCHW, got ${fmtShape(x.shape)}`);
}
function windowOutput(op, x, kernel3, stride, padding, dilation, ceil = false) {
  const out = [0, 1].map((i) => {
    const size2 = x.shape[2 + i];
    const reach = dilation[i] * (kernel3[i] - 1) + 1;
    const n = windows(size2, kernel3[i], stride[i], padding[i], dilation[i], ceil);
    if (ceil ? n < 1 : reach > size2 + 2 * padding[i]) {
      throw new ShapeError(`${op}: kernel ${fmtShape(kernel3)} (dilated extent ${reach}) is larger than the padded input ${size2 + 2 * padding[i]} in ${fmtShape(x.shape)}`);
    }
    return n;
  });
  return out;
}
function checkConv(op, x, w2, a) {
  require4d(op, x);
  require4d(op, w2, "weight");
  requireDType(x, ["float32"], op);
  requireDType(w2, ["float32"], op, "weight");
  checkPair(op, "stride", a.stride, 1);
  checkPair(op, "padding", a.padding, 0);
  checkPair(op, "dilation", a.dilation, 1);
  if (!Number.isInteger(a.groups) || a.groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${a.groups}`);
  if (x.shape[1] !== w2.shape[1] * a.groups || w2.shape[0] % a.groups !== 0) {
    throw new ShapeError(`${op}: input ${fmtShape(x.shape)} and weight ${fmtShape(w2.shape)} do not fit groups=${a.groups} (expected ${w2.shape[1] * a.groups} input channels)`);
  }
  return windowOutput(op, x, [w2.shape[2], w2.shape[3]], a.stride, a.padding, a.dilation);
}
function padOrCrop(x, top, bottom, left, right) {
  const grown = run("pad", [x], { pads: [[0, 0], [0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)]], value: 0 });
  const [, , h, w2] = grown.shape;
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return grown;
  return slice(grown, [0, 0, Math.max(-top, 0), Math.max(-left, 0)], [null, null, h - Math.max(-bottom, 0), w2 - Math.max(-right, 0)]);
}
function convInputGrad(dy, w2, a) {
  const [, , hIn, wIn] = a.inputShape;
  const [o, cg, kh, kw] = w2.shape;
  const g = a.groups;
  let d = dy;
  if (a.stride[0] > 1) d = dilate(d, 2, a.stride[0]);
  if (a.stride[1] > 1) d = dilate(d, 3, a.stride[1]);
  const edge = [0, 1].map((i) => a.dilation[i] * ([kh, kw][i] - 1) - a.padding[i]);
  const rest = [0, 1].map((i) => ([hIn, wIn][i] + 2 * a.padding[i] - a.dilation[i] * ([kh, kw][i] - 1) - 1) % a.stride[i]);
  const padded2 = padOrCrop(d, edge[0], edge[0] + rest[0], edge[1], edge[1] + rest[1]);
  const regrouped = reshape(run("transpose", [reshape(w2, [g, o / g, cg, kh, kw])], { perm: [0, 2, 1, 3, 4] }), [g * cg, o / g, kh, kw]);
  return run("conv2d", [padded2, flip(regrouped, [2, 3])], { stride: [1, 1], padding: [0, 0], dilation: a.dilation, groups: g });
}
function convFilterGrad(x, dy, a) {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = a.filterShape;
  const g = a.groups;
  const [oh, ow] = dy.shape.slice(2);
  const xs = reshape(run("transpose", [reshape(x, [n, g, c / g, h, wd])], { perm: [2, 1, 0, 3, 4] }), [cg, g * n, h, wd]);
  const ds = reshape(run("transpose", [reshape(dy, [n, g, o / g, oh, ow])], { perm: [1, 2, 0, 3, 4] }), [o, n, oh, ow]);
  const full2 = run("conv2d", [xs, ds], { stride: a.dilation, padding: a.padding, dilation: a.stride, groups: g });
  return run("transpose", [slice(full2, [0, 0, 0, 0], [cg, o, kh, kw])], { perm: [1, 0, 2, 3] });
}
function windowStack(x, a, fill2, edgeFill = fill2) {
  const [n, c] = x.shape;
  const [oh, ow] = windowOutput("pool", x, a.kernel, a.stride, a.padding, [1, 1], a.ceilMode);
  const extra = [oh, ow].map((o, i) => Math.max(0, (o - 1) * a.stride[i] + a.kernel[i] - x.shape[2 + i] - 2 * a.padding[i]));
  const [ph, pw] = a.padding;
  let xp = edgeFill === fill2 ? run("pad", [x], { pads: [[0, 0], [0, 0], [ph, ph + extra[0]], [pw, pw + extra[1]]], value: fill2 }) : run("pad", [x], { pads: [[0, 0], [0, 0], [ph, ph], [pw, pw]], value: edgeFill });
  if (edgeFill !== fill2 && (extra[0] > 0 || extra[1] > 0)) {
    xp = run("pad", [xp], { pads: [[0, 0], [0, 0], [0, extra[0]], [0, extra[1]]], value: fill2 });
  }
  const parts = [];
  for (let i = 0; i < a.kernel[0]; i++) {
    for (let j = 0; j < a.kernel[1]; j++) {
      const win = run("slice", [xp], { begin: [0, 0, i, j], size: [n, c, oh, ow], step: [1, 1, a.stride[0], a.stride[1]] });
      parts.push(unsqueeze(win, 0));
    }
  }
  return concat(parts, 0);
}
function maxPoolDecomposed(x, a) {
  const stack2 = windowStack(x, a, -Infinity);
  return reshape(gather(stack2, 0, argmax(stack2, 0, true)), stack2.shape.slice(1));
}
function avgPoolDecomposed(x, a) {
  const total = run("sum", [windowStack(x, a, 0)], { axes: [0], keepdim: false });
  const includePad = a.countIncludePad !== false;
  const [oh, ow] = total.shape.slice(2);
  const overhang = [oh, ow].some((o, i) => (o - 1) * a.stride[i] + a.kernel[i] > x.shape[2 + i] + 2 * a.padding[i]);
  if (includePad && !overhang) return div(total, a.kernel[0] * a.kernel[1]);
  const counts2 = run("sum", [windowStack(ones([1, 1, ...x.shape.slice(2)]), a, 0, includePad ? 1 : 0)], { axes: [0], keepdim: false });
  return div(total, counts2);
}
function checkPool(op, x, a) {
  require4d(op, x);
  requireDType(x, ["float32"], op);
  checkPair(op, "kernelSize", a.kernel, 1);
  checkPair(op, "stride", a.stride, 1);
  checkPair(op, "padding", a.padding, 0);
  if (a.padding.some((p, i) => p > a.kernel[i] / 2)) {
    throw new ValueError(`${op}: padding ${fmtShape(a.padding)} must be at most half the kernel ${fmtShape(a.kernel)}`);
  }
  if (a.ceilMode !== void 0 && typeof a.ceilMode !== "boolean") throw new ValueError(`${op}: ceilMode must be a boolean, got ${JSON.stringify(a.ceilMode)}`);
  const [oh, ow] = windowOutput(op, x, a.kernel, a.stride, a.padding, [1, 1], a.ceilMode);
  return [{ shape: [x.shape[0], x.shape[1], oh, ow], dtype: x.dtype }];
}
function conv2d(x, weight, bias, options = {}) {
  const y = run("conv2d", [x, weight], convAttrs("conv2d", options));
  if (bias && (bias.ndim !== 1 || bias.size !== weight.shape[0])) {
    throw new ShapeError(`conv2d: bias must be [${weight.shape[0]}] for weight ${fmtShape(weight.shape)}, got ${fmtShape(bias.shape)}`);
  }
  return bias ? add(y, reshape(bias, [1, bias.size, 1, 1])) : y;
}
function poolAttrs(op, options) {
  const o = typeof options === "number" || Array.isArray(options) ? { kernelSize: options } : options;
  const kernel3 = pair(o.kernelSize, op, "kernelSize");
  return { kernel: kernel3, stride: pair(o.stride ?? kernel3, op, "stride"), padding: pair(o.padding ?? 0, op, "padding"), ceilMode: o.ceilMode ?? false };
}
function maxPool2d(x, options) {
  return run("maxPool2d", [x], poolAttrs("maxPool2d", options));
}
function avgPool2d(x, options) {
  const countIncludePad = typeof options === "object" && !Array.isArray(options) ? options.countIncludePad ?? true : true;
  return run("avgPool2d", [x], { ...poolAttrs("avgPool2d", options), countIncludePad });
}
function adaptiveAvgPool2d(x, outputSize) {
  const [oh, ow] = pair(outputSize, "adaptiveAvgPool2d", "outputSize");
  if (x.ndim !== 4) throw new ShapeError(`adaptiveAvgPool2d: input must be 4-D NCHW, got ${fmtShape(x.shape)}`);
  const [h, w2] = x.shape.slice(2);
  if (oh < 1 || ow < 1 || !Number.isInteger(oh) || !Number.isInteger(ow)) throw new ValueError(`adaptiveAvgPool2d: output size must be positive integers, got ${oh}x${ow}`);
  if (h % oh === 0 && w2 % ow === 0) return avgPool2d(x, { kernelSize: [h / oh, w2 / ow] });
  const rows = Array.from({ length: oh }, (_, i) => mean(slice(x, [0, 0, Math.floor(i * h / oh)], [null, null, Math.ceil((i + 1) * h / oh)]), 2, true));
  const byRow = concat(rows, 2);
  const cols = Array.from({ length: ow }, (_, j) => mean(slice(byRow, [0, 0, 0, Math.floor(j * w2 / ow)], [null, null, null, Math.ceil((j + 1) * w2 / ow)]), 3, true));
  return concat(cols, 3);
}
var init_conv = __esm({
  "../../packages/core/src/ops/conv.ts"() {
    "use strict";
    init_autograd();
    init_creation();
    init_errors();
    init_shape();
    init_elementwise();
    init_movement();
    init_reduce();
    init_indexing();
    init_util();
    defineOps(
      {
        name: "conv2d",
        infer: ([x, w2], a) => {
          const [oh, ow] = checkConv("conv2d", x, w2, a);
          return [{ shape: [x.shape[0], w2.shape[0], oh, ow], dtype: "float32" }];
        },
        grad: ([dy], { inputs: [x, w2], attrs }) => [
          x.requiresGrad ? run("conv2dBackpropInput", [dy, w2], { ...attrs, inputShape: x.shape }) : null,
          w2.requiresGrad ? run("conv2dBackpropFilter", [x, dy], { ...attrs, filterShape: w2.shape }) : null
        ]
      },
      {
        name: "conv2dBackpropInput",
        infer: ([, w2], a) => [{ shape: a.inputShape, dtype: w2.dtype }],
        decompose: ([dy, w2], a) => [convInputGrad(dy, w2, a)]
      },
      {
        name: "conv2dBackpropFilter",
        infer: ([x], a) => [{ shape: a.filterShape, dtype: x.dtype }],
        decompose: ([x, dy], a) => [convFilterGrad(x, dy, a)]
      },
      {
        name: "maxPool2d",
        infer: ([x], a) => checkPool("maxPool2d", x, a),
        decompose: ([x], a) => [maxPoolDecomposed(x, a)],
        grad: ([dy], { inputs: [x], attrs }) => [run("maxPool2dGrad", [dy, x], attrs)]
      },
      {
        name: "maxPool2dGrad",
        infer: ([, x]) => [{ shape: x.shape, dtype: x.dtype }],
        decompose: ([dy, x], a) => [vjp((xx) => maxPoolDecomposed(xx, a), [x], [dy])[0]]
      },
      {
        name: "avgPool2d",
        infer: ([x], a) => checkPool("avgPool2d", x, a),
        decompose: ([x], a) => [avgPoolDecomposed(x, a)],
        grad: ([dy], { inputs: [x], attrs }) => [run("avgPool2dGrad", [dy, x], attrs)]
      },
      {
        name: "avgPool2dGrad",
        infer: ([, x]) => [{ shape: x.shape, dtype: x.dtype }],
        decompose: ([dy, x], a) => [vjp((xx) => avgPoolDecomposed(xx, a), [x], [dy])[0]]
      }
    );
  }
});

// ../../packages/core/src/ops/fused.ts
function convPart({ stride, padding, dilation, groups }) {
  return { stride, padding, dilation, groups };
}
function unpack(inputs, a) {
  const [x, w2] = inputs;
  return { x, w: w2, bias: a.hasBias ? inputs[2] : null, residual: a.hasResidual ? inputs[a.hasBias ? 3 : 2] : null };
}
function checkFlags(inputs, a) {
  for (const flag of ["hasBias", "hasResidual"]) {
    if (typeof a[flag] !== "boolean") throw new ValueError(`${OP}: ${flag} must be a boolean, got ${JSON.stringify(a[flag])}`);
  }
  if (!FUSED_ACTIVATIONS.includes(a.activation)) {
    throw new ValueError(`${OP}: unknown activation ${JSON.stringify(a.activation)}; expected one of ${FUSED_ACTIVATIONS.map((n) => `'${n}'`).join(", ")}`);
  }
  const expected = 2 + Number(a.hasBias) + Number(a.hasResidual);
  if (inputs.length !== expected) {
    throw new ValueError(`${OP}: expected ${expected} inputs (x, w${a.hasBias ? ", bias" : ""}${a.hasResidual ? ", residual" : ""}), got ${inputs.length}`);
  }
}
function infer(inputs, a) {
  checkFlags(inputs, a);
  const [x, w2] = inputs;
  const [out] = getOp("conv2d").infer([x, w2], convPart(a));
  const { bias, residual } = unpack(inputs, a);
  if (bias) {
    requireDType(bias, ["float32"], OP, "bias");
    if (bias.shape.length !== 1 || bias.shape[0] !== w2.shape[0]) throw new ShapeError(`${OP}: bias must be [${w2.shape[0]}] for weight ${fmtShape(w2.shape)}, got ${fmtShape(bias.shape)}`);
  }
  if (residual) {
    requireDType(residual, ["float32"], OP, "residual");
    if (!shapesEqual(residual.shape, out.shape)) throw new ShapeError(`${OP}: residual must have the convolution's output shape ${fmtShape(out.shape)}, got ${fmtShape(residual.shape)}`);
  }
  return [out];
}
function decompose(inputs, a) {
  const { x, w: w2, bias, residual } = unpack(inputs, a);
  let y = run("conv2d", [x, w2], convPart(a));
  if (bias) y = run("add", [y, run("reshape", [bias], { shape: [1, bias.size, 1, 1] })]);
  if (residual) y = run("add", [y, residual]);
  return [a.activation === "relu" ? run("relu", [y]) : y];
}
function grad2([dy], { inputs, outputs: [y], attrs }) {
  const { x, w: w2, bias, residual } = unpack(inputs, attrs);
  const dz = attrs.activation === "relu" ? getOp("relu").grad([dy], { inputs: [y], outputs: [y], attrs: {} })[0] : dy;
  const [dx, dw] = getOp("conv2d").grad([dz], { inputs: [x, w2], outputs: [], attrs: convPart(attrs) });
  const grads = [dx ?? null, dw ?? null];
  if (bias) grads.push(bias.requiresGrad ? run("sum", [dz], { axes: [0, 2, 3], keepdim: false }) : null);
  if (residual) grads.push(residual.requiresGrad ? dz : null);
  return grads;
}
function fusedConv2d(x, weight, bias, options = {}) {
  const { residual, activation = "none" } = options;
  const attrs = { ...convAttrs(OP, options), hasBias: !!bias, hasResidual: !!residual, activation };
  return run(OP, [x, weight, ...bias ? [bias] : [], ...residual ? [residual] : []], attrs);
}
var FUSED_ACTIVATIONS, OP;
var init_fused = __esm({
  "../../packages/core/src/ops/fused.ts"() {
    "use strict";
    init_errors();
    init_registry();
    init_shape();
    init_util();
    init_conv();
    FUSED_ACTIVATIONS = ["none", "relu"];
    OP = "fusedConv2d";
    defineOps({ name: OP, infer, decompose, grad: grad2 });
  }
});

// ../../packages/core/src/ops/adam-step.ts
function infer2(inputs, a) {
  const expected = a.amsgrad ? 5 : 4;
  if (inputs.length !== expected) {
    throw new ValueError(`${OP2}: expected ${expected} inputs (param, grad, expAvg, expAvgSq${a.amsgrad ? ", maxExpAvgSq" : ""}), got ${inputs.length}`);
  }
  const [p] = inputs;
  for (const t of inputs) {
    if (t.dtype !== "float32") throw new DTypeError(`${OP2}: every input must be float32, got ${t.dtype}`);
    if (!shapesEqual(t.shape, p.shape)) throw new ShapeError(`${OP2}: every input must have the parameter's shape ${fmtShape(p.shape)}, got ${fmtShape(t.shape)}`);
  }
  if (!Number.isInteger(a.step) || a.step < 1) throw new ValueError(`${OP2}: step must be an integer >= 1, got ${a.step}`);
  return inputs.slice(0, expected - 1).map(() => ({ shape: p.shape, dtype: "float32" }));
}
function decompose2([p, grad4, expAvg, expAvgSq, maxExpAvgSq], a) {
  let g = grad4;
  let w2 = p;
  if (a.weightDecay && a.decoupled) w2 = mul(p, 1 - a.lr * a.weightDecay);
  else if (a.weightDecay) g = add(grad4, mul(p, a.weightDecay));
  const m = add(mul(expAvg, a.beta1), mul(g, 1 - a.beta1));
  const v = add(mul(expAvgSq, a.beta2), mul(mul(g, g), 1 - a.beta2));
  const vMax = a.amsgrad ? maximum(maxExpAvgSq, v) : v;
  const denom = add(div(sqrt(vMax), Math.sqrt(1 - a.beta2 ** a.step)), a.eps);
  const next = sub(w2, mul(div(m, denom), a.lr / (1 - a.beta1 ** a.step)));
  return a.amsgrad ? [next, m, v, vMax] : [next, m, v];
}
function adamStep(inputs, attrs) {
  return runOp(OP2, inputs, attrs);
}
var OP2;
var init_adam_step = __esm({
  "../../packages/core/src/ops/adam-step.ts"() {
    "use strict";
    init_engine();
    init_errors();
    init_shape();
    init_elementwise();
    init_util();
    OP2 = "adamStep";
    defineOps({ name: OP2, infer: infer2, decompose: decompose2, nondifferentiable: true });
  }
});

// ../../packages/core/src/ops/batch-norm.ts
function channelAxes(x) {
  const c = x.shape[1];
  return { axes: x.shape.map((_, i) => i).filter((i) => i !== 1), bshape: x.shape.map((_, i) => i === 1 ? c : 1), c };
}
function unpack2(inputs, a) {
  return { x: inputs[0], weight: a.hasWeight ? inputs[1] : null, bias: a.hasBias ? inputs[a.hasWeight ? 2 : 1] : null };
}
function infer3(inputs, a) {
  const expected = 1 + Number(a.hasWeight) + Number(a.hasBias);
  if (inputs.length !== expected) throw new ValueError(`${OP3}: expected ${expected} inputs (x${a.hasWeight ? ", weight" : ""}${a.hasBias ? ", bias" : ""}), got ${inputs.length}`);
  const x = inputs[0];
  requireDType(x, ["float32"], OP3, "x");
  if (x.shape.length < 2) throw new ShapeError(`${OP3}: input must be [N, C, \u2026], got ${fmtShape(x.shape)}`);
  const c = x.shape[1];
  for (const t of inputs.slice(1)) {
    requireDType(t, ["float32"], OP3, "weight and bias");
    if (t.shape.length !== 1 || t.shape[0] !== c) throw new ShapeError(`${OP3}: weight and bias must be [${c}] for input ${fmtShape(x.shape)}, got ${fmtShape(t.shape)}`);
  }
  requireFinite(a.eps, OP3, "eps");
  return [{ shape: x.shape, dtype: "float32" }, { shape: [c], dtype: "float32" }, { shape: [c], dtype: "float32" }];
}
function normalize(centred, v, eps, weight, bias, bshape) {
  let y = div(centred, sqrt(add(v, eps)));
  if (weight) y = mul(y, reshape(weight, bshape));
  if (bias) y = add(y, reshape(bias, bshape));
  return y;
}
function decompose3(inputs, a) {
  const { x, weight, bias } = unpack2(inputs, a);
  const { axes, bshape, c } = channelAxes(x);
  const mu = mean(x, axes, true);
  const centred = sub(x, mu);
  const v = mean(mul(centred, centred), axes, true);
  return [normalize(centred, v, a.eps, weight, bias, bshape), reshape(mu, [c]), reshape(v, [c])];
}
function grad3([dy], { inputs, outputs: [, mu, v], attrs }) {
  const { x, weight, bias } = unpack2(inputs, attrs);
  const { axes, bshape } = channelAxes(x);
  const n = x.size / x.shape[1];
  const invStd = div(1, sqrt(add(reshape(v, bshape), attrs.eps)));
  const xhat = mul(sub(x, reshape(mu, bshape)), invStd);
  const dBias = sum(dy, axes, true);
  const dWeight = sum(mul(dy, xhat), axes, true);
  const scale = weight ? mul(reshape(weight, bshape), invStd) : invStd;
  const dx = x.requiresGrad ? mul(scale, sub(sub(dy, div(dBias, n)), mul(xhat, div(dWeight, n)))) : null;
  const grads = [dx];
  if (weight) grads.push(weight.requiresGrad ? reshape(dWeight, [weight.size]) : null);
  if (bias) grads.push(bias.requiresGrad ? reshape(dBias, [bias.size]) : null);
  return grads;
}
function batchNorm(x, runningMean, runningVar, weight, bias, options = {}) {
  const training = options.training ?? false;
  const momentum = requireFinite(options.momentum ?? 0.1, "batchNorm", "momentum");
  const eps = requireFinite(options.eps ?? 1e-5, "batchNorm", "eps");
  if (x.ndim < 2) throw new ShapeError(`batchNorm: input must be [N, C, \u2026], got ${fmtShape(x.shape)}`);
  const { bshape, c } = channelAxes(x);
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]]) {
    if (t && t.size !== c) throw new ShapeError(`batchNorm: ${name} must have ${c} entries (channels of ${fmtShape(x.shape)}), got ${fmtShape(t.shape)}`);
  }
  if (training || !runningMean || !runningVar) {
    const n = x.size / c;
    if (training && n <= 1) throw new ValueError(`batchNorm: training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
    const attrs = { eps, hasWeight: !!weight, hasBias: !!bias };
    const [y, mu, v] = runOp(OP3, [x, ...weight ? [weight] : [], ...bias ? [bias] : []], attrs);
    if (training && runningMean && runningVar) {
      noGrad(() => {
        runningMean.assign(add(mul(runningMean, 1 - momentum), mul(mu, momentum)));
        runningVar.assign(add(mul(runningVar, 1 - momentum), mul(v, momentum * n / (n - 1))));
      });
    }
    return y;
  }
  return normalize(sub(x, reshape(runningMean, bshape)), reshape(runningVar, bshape), eps, weight ?? null, bias ?? null, bshape);
}
var OP3;
var init_batch_norm = __esm({
  "../../packages/core/src/ops/batch-norm.ts"() {
    "use strict";
    init_autograd();
    init_errors();
    init_engine();
    init_shape();
    init_elementwise();
    init_movement();
    init_reduce();
    init_util();
    OP3 = "batchNormTrain";
    defineOps({ name: OP3, infer: infer3, decompose: decompose3, grad: grad3 });
  }
});

// ../../packages/core/src/ops/nn.ts
function dropout(x, p = 0.5, training = true, generator) {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return mul(x, 1);
  if (p === 1) return mul(x, 0);
  const keep2 = less(rand(x.shape, generator ? { generator } : {}), 1 - p);
  return where(keep2, div(x, 1 - p), 0);
}
function reduce(loss, reduction, op) {
  if (reduction === "mean") return mean(loss);
  if (reduction === "sum") return sum(loss);
  if (reduction === "none") return loss;
  throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
}
function pickLabels(values, labels, op) {
  if (values.ndim !== 2) throw new ShapeError(`${op}: scores must be [N, C], got ${fmtShape(values.shape)}`);
  if (labels.dtype !== "int32") throw new DTypeError(`${op}: labels must be int32 class indices, got ${labels.dtype}`);
  if (labels.ndim !== 1 || labels.size !== values.shape[0]) {
    throw new ShapeError(`${op}: labels must be [${values.shape[0]}] for scores ${fmtShape(values.shape)}, got ${fmtShape(labels.shape)}`);
  }
  return gather(values, 1, reshape(labels, [labels.size, 1]));
}
function crossEntropy(scores, labels, options = {}) {
  const picked = pickLabels(logSoftmax(scores, 1), labels, "crossEntropy");
  return reduce(neg(reshape(picked, [labels.size])), options.reduction ?? "mean", "crossEntropy");
}
function svmHinge(scores, labels, options = {}) {
  const margin = requireFinite(options.margin ?? 1, "svmHinge", "margin");
  const correct = pickLabels(scores, labels, "svmHinge");
  const perExample = sub(sum(relu(add(sub(scores, correct), margin)), 1), Math.max(margin, 0));
  return reduce(perExample, options.reduction ?? "mean", "svmHinge");
}
function checkPair2(input, target, op) {
  if (input.shape.join() !== target.shape.join()) {
    throw new ShapeError(`${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  }
}
function mseLoss(input, target, options = {}) {
  checkPair2(input, target, "mseLoss");
  const d = sub(input, target);
  return reduce(mul(d, d), options.reduction ?? "mean", "mseLoss");
}
function l1Loss(input, target, options = {}) {
  checkPair2(input, target, "l1Loss");
  return reduce(abs(sub(input, target)), options.reduction ?? "mean", "l1Loss");
}
function bceWithLogits(input, target, options = {}) {
  checkPair2(input, target, "bceWithLogits");
  const t = cast(target, "float32");
  const loss = add(sub(relu(input), mul(input, t)), log(add(exp(neg(abs(input))), 1)));
  return reduce(loss, options.reduction ?? "mean", "bceWithLogits");
}
var init_nn = __esm({
  "../../packages/core/src/ops/nn.ts"() {
    "use strict";
    init_creation();
    init_errors();
    init_shape();
    init_elementwise();
    init_indexing();
    init_movement();
    init_reduce();
    init_util();
  }
});

// ../../packages/core/src/models.ts
function table() {
  const r = registries();
  r[KEY2] ??= /* @__PURE__ */ new Map();
  return r[KEY2];
}
function registerModel(name, factory, options = {}) {
  if (table().has(name) && !options.replace) throw new RegistrationError(`model '${name}' is already registered`);
  table().set(name, { factory, family: options.family ?? "custom" });
}
var KEY2, models;
var init_models = __esm({
  "../../packages/core/src/models.ts"() {
    "use strict";
    init_errors();
    init_registry();
    KEY2 = /* @__PURE__ */ Symbol.for("@fovea/core/models@1");
    models = {
      create(name, options) {
        const entry = table().get(name);
        if (!entry) {
          throw new UnknownModelError(`unknown model '${name}'; registered: ${[...table().keys()].sort().join(", ") || "none (import a model package such as @fovea/models-resnet)"}`);
        }
        return entry.factory(options ?? {});
      },
      list(family) {
        return [...table()].filter(([, e]) => !family || e.family === family).map(([n]) => n).sort();
      },
      has(name) {
        return table().has(name);
      }
    };
  }
});

// ../../packages/core/src/index.ts
var src_exports = {};
__export(src_exports, {
  BackendError: () => BackendError,
  DTypeError: () => DTypeError,
  DisposedError: () => DisposedError,
  FUSED_ACTIVATIONS: () => FUSED_ACTIVATIONS,
  FoveaError: () => FoveaError,
  FunctionContext: () => FunctionContext,
  Generator: () => Generator,
  GradError: () => GradError,
  KernelNotFoundError: () => KernelNotFoundError,
  RegistrationError: () => RegistrationError,
  ShapeError: () => ShapeError,
  Tensor: () => Tensor,
  UnknownModelError: () => UnknownModelError,
  UnknownOpError: () => UnknownOpError,
  ValueError: () => ValueError,
  abs: () => abs,
  adamStep: () => adamStep,
  adaptiveAvgPool2d: () => adaptiveAvgPool2d,
  add: () => add,
  allocArray: () => allocArray,
  arange: () => arange,
  argmax: () => argmax,
  argmin: () => argmin,
  avgPool2d: () => avgPool2d,
  batchNorm: () => batchNorm,
  bceWithLogits: () => bceWithLogits,
  broadcastShapes: () => broadcastShapes,
  bytesPerElement: () => bytesPerElement,
  cast: () => cast,
  clamp: () => clamp,
  concat: () => concat,
  conv2d: () => conv2d,
  crossEntropy: () => crossEntropy,
  defaultGenerator: () => defaultGenerator,
  defineFunction: () => defineFunction,
  dilate: () => dilate,
  dispose: () => dispose,
  div: () => div,
  dropout: () => dropout,
  elu: () => elu,
  embedding: () => embedding,
  enableGrad: () => enableGrad,
  equal: () => equal,
  exp: () => exp,
  expand: () => expand,
  eye: () => eye,
  findBackend: () => findBackend,
  flatten: () => flatten,
  flip: () => flip,
  full: () => full,
  fusedConv2d: () => fusedConv2d,
  gather: () => gather,
  getBackend: () => getBackend,
  getBackendName: () => getBackendName,
  getKernel: () => getKernel,
  getOp: () => getOp,
  getRngState: () => getRngState,
  grad: () => grad,
  gradCheck: () => gradCheck,
  greater: () => greater,
  greaterEqual: () => greaterEqual,
  indexSelect: () => indexSelect,
  isDType: () => isDType,
  isGradEnabled: () => isGradEnabled,
  keep: () => keep,
  kernelBackends: () => kernelBackends,
  l1Loss: () => l1Loss,
  leakyRelu: () => leakyRelu,
  less: () => less,
  lessEqual: () => lessEqual,
  linear: () => linear,
  listBackends: () => listBackends,
  listKernels: () => listKernels,
  listOps: () => listOps,
  log: () => log,
  logSoftmax: () => logSoftmax,
  logicalNot: () => logicalNot,
  logsumexp: () => logsumexp,
  manualSeed: () => manualSeed,
  matmul: () => matmul,
  max: () => max,
  maxPool2d: () => maxPool2d,
  maximum: () => maximum,
  mean: () => mean,
  memory: () => memory,
  min: () => min,
  minimum: () => minimum,
  models: () => models,
  mseLoss: () => mseLoss,
  mul: () => mul,
  neg: () => neg,
  noGrad: () => noGrad,
  normalizeAxis: () => normalizeAxis,
  notEqual: () => notEqual,
  onBackendEvent: () => onBackendEvent,
  oneHot: () => oneHot,
  ones: () => ones,
  onesLike: () => onesLike,
  pad: () => pad,
  permute: () => permute,
  pow: () => pow,
  prelu: () => prelu,
  promoteTypes: () => promoteTypes,
  rand: () => rand,
  randint: () => randint,
  randn: () => randn,
  ready: () => ready,
  reciprocal: () => reciprocal,
  registerBackend: () => registerBackend,
  registerKernel: () => registerKernel,
  registerKernels: () => registerKernels,
  registerModel: () => registerModel,
  registerOp: () => registerOp,
  relu: () => relu,
  removeBackend: () => removeBackend,
  reshape: () => reshape,
  runOp: () => runOp,
  scalar: () => scalar,
  scatterAdd: () => scatterAdd,
  setBackend: () => setBackend,
  setLogLevel: () => setLogLevel,
  setRngState: () => setRngState,
  shapesEqual: () => shapesEqual,
  sigmoid: () => sigmoid,
  sign: () => sign,
  sizeOf: () => sizeOf,
  slice: () => slice,
  softmax: () => softmax,
  softplus: () => softplus,
  split: () => split,
  sqrt: () => sqrt,
  square: () => square,
  squeeze: () => squeeze,
  stack: () => stack,
  stridesOf: () => stridesOf,
  sub: () => sub,
  sum: () => sum,
  svmHinge: () => svmHinge,
  tanh: () => tanh,
  tensor: () => tensor,
  tidy: () => tidy,
  transpose: () => transpose,
  unsqueeze: () => unsqueeze,
  variance: () => variance,
  vjp: () => vjp,
  where: () => where,
  zeroGrad: () => zeroGrad,
  zeros: () => zeros,
  zerosLike: () => zerosLike
});
var init_src = __esm({
  "../../packages/core/src/index.ts"() {
    "use strict";
    init_methods();
    init_dtype();
    init_errors();
    init_registry();
    init_shape();
    init_engine();
    init_tensor();
    init_autograd();
    init_random();
    init_creation();
    init_gradcheck();
    init_elementwise();
    init_reduce();
    init_movement();
    init_linalg();
    init_indexing();
    init_conv();
    init_fused();
    init_adam_step();
    init_batch_norm();
    init_nn();
    init_models();
  }
});

// ../../plugins/backend-webgpu/src/gpu-source.ts
async function findGPU() {
  const nav = globalThis.navigator;
  if (nav?.gpu) return { gpu: nav.gpu, origin: "navigator.gpu" };
  const isNode = typeof process !== "undefined" && !!process.versions?.node;
  if (!isNode) return { gpu: null, reason: "this browser has no navigator.gpu (WebGPU is off or unsupported)" };
  try {
    const specifier = "webgpu";
    const dawn = await import(
      /* @vite-ignore */
      specifier
    );
    return { gpu: dawn.create([]), origin: "Dawn (npm 'webgpu')" };
  } catch (err) {
    return { gpu: null, reason: `the optional 'webgpu' package (Dawn for Node) could not be loaded: ${err.message.split("\n")[0]}` };
  }
}
var init_gpu_source = __esm({
  "../../plugins/backend-webgpu/src/gpu-source.ts"() {
    "use strict";
  }
});

// ../../plugins/backend-webgpu/src/program.ts
var Uniforms;
var init_program = __esm({
  "../../plugins/backend-webgpu/src/program.ts"() {
    "use strict";
    Uniforms = class {
      fields = [];
      i32(name, value) {
        this.fields.push({ name, type: "i32", value });
        return this;
      }
      u32(name, value) {
        this.fields.push({ name, type: "u32", value });
        return this;
      }
      f32(name, value) {
        this.fields.push({ name, type: "f32", value });
        return this;
      }
      /** One i32 field per entry: `prefix0`, `prefix1`, … */
      ints(prefix, values) {
        values.forEach((v, i) => this.i32(`${prefix}${i}`, v));
        return this;
      }
      /** Adds these fields after `other`'s (a kernel that takes another piece's uniforms too). */
      appendTo(other) {
        other.fields.push(...this.fields);
      }
      /** The WGSL struct `U` (a padding field keeps an empty block legal). */
      struct() {
        const fields = this.fields.length ? this.fields : [{ name: "unused", type: "i32" }];
        return `struct U {
${fields.map((f) => `  ${f.name}: ${f.type},`).join("\n")}
}`;
      }
      bytes() {
        const size2 = Math.max(16, Math.ceil(this.fields.length * 4 / 16) * 16);
        const view = new DataView(new ArrayBuffer(size2));
        this.fields.forEach((f, i) => {
          if (f.type === "f32") view.setFloat32(i * 4, f.value, true);
          else if (f.type === "u32") view.setUint32(i * 4, f.value, true);
          else view.setInt32(i * 4, f.value, true);
        });
        return new Uint8Array(view.buffer);
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/shape-utils.ts
function contiguousStrides(shape) {
  const strides = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}
function sizeOfShape(shape) {
  return shape.reduce((n, d) => n * d, 1);
}
function broadcastStrides(inShape, outShape) {
  const own = contiguousStrides(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => {
    const k = d - lead;
    return k < 0 || inShape[k] === 1 ? 0 : own[k];
  });
}
function coalesce(shape, strides) {
  const keep2 = shape.map((_, d) => d).filter((d) => shape[d] !== 1);
  const outShape = [];
  const outStrides = strides.map(() => []);
  for (const d of keep2) {
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] = outShape[last] * shape[d];
      strides.forEach((s, k) => outStrides[k][last] = s[d]);
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}
var init_shape_utils = __esm({
  "../../plugins/backend-webgpu/src/shape-utils.ts"() {
    "use strict";
  }
});

// ../../plugins/backend-webgpu/src/wgsl.ts
function wgslType(dtype) {
  return dtype === "float32" ? "f32" : dtype === "int32" ? "i32" : "u32";
}
function storageType(dtype) {
  return dtype === "float32" ? "F" : dtype === "int32" ? "i32" : "u32";
}
function load(dtype, access) {
  return dtype === "float32" ? `f32(${access})` : access;
}
function store(dtype, value) {
  return dtype === "float32" ? `F(${value})` : value;
}
function bindings(inputs, outputs, uniforms) {
  const lines = [uniforms.struct()];
  inputs.forEach(
    (b2, i) => lines.push(`@group(0) @binding(${i}) var<storage, read> ${b2.name}: array<${b2.type.replace(/\bF\b/, `F${i}`)}>;`)
  );
  outputs.forEach(
    (b2, i) => lines.push(`@group(0) @binding(${inputs.length + i}) var<storage, read_write> ${b2.name}: array<${b2.type.replace(/\bF\b/, `FO${i}`)}>;`)
  );
  lines.push(`@group(0) @binding(${inputs.length + outputs.length}) var<uniform> u: U;`);
  return lines.join("\n");
}
function perElementMain(body) {
  return `@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = i32(gid.x + gid.y * nwg.x * ${WG}u);
  if (i >= u.count) { return; }
${body}
}`;
}
function grid(threads, perGroup = WG) {
  const groups = Math.max(1, Math.ceil(threads / perGroup));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}
function unravel(index, c, shape, rank) {
  if (rank === 0) return "";
  const lines = [`  var ${c}_r = ${index};`];
  for (let d = rank - 1; d > 0; d--) {
    lines.push(`  let ${c}${d} = ${c}_r % u.${shape}${d};`, `  ${c}_r = ${c}_r / u.${shape}${d};`);
  }
  lines.push(`  let ${c}0 = ${c}_r;`);
  return lines.join("\n");
}
function dot(c, strides, rank) {
  if (rank === 0) return "0";
  return Array.from({ length: rank }, (_, d) => `${c}${d} * u.${strides}${d}`).join(" + ");
}
var WG, floatBinding;
var init_wgsl = __esm({
  "../../plugins/backend-webgpu/src/wgsl.ts"() {
    "use strict";
    WG = 256;
    floatBinding = (name) => ({ name, type: "F" });
  }
});

// ../../plugins/backend-webgpu/src/kernels/special-values.ts
var SPECIALS, IS_NAN;
var init_special_values = __esm({
  "../../plugins/backend-webgpu/src/kernels/special-values.ts"() {
    "use strict";
    SPECIALS = `
fn f32_inf() -> f32 { let bits = 0x7f800000u; return bitcast<f32>(bits); }
fn f32_nan() -> f32 { let bits = 0x7fc00000u; return bitcast<f32>(bits); }`;
    IS_NAN = `
fn is_nan(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }`;
  }
});

// ../../plugins/backend-webgpu/src/kernels/adam.ts
function adamUniforms(count, a) {
  return new Uniforms().i32("count", count).f32("keep", 1 - a.lr * a.weightDecay).f32("wd", a.weightDecay).f32("b1", a.beta1).f32("c1", 1 - a.beta1).f32("b2", a.beta2).f32("c2", 1 - a.beta2).f32("corr2", Math.sqrt(1 - a.beta2 ** a.step)).f32("eps", a.eps).f32("stepSize", a.lr / (1 - a.beta1 ** a.step));
}
function secondMoment(a, count, uniforms) {
  const body = `  let g = ${gradient(a)};
  let nv = f32(expAvgSq[i]) * u.b2 + (g * g) * u.c2;
  let old = f32(maxExpAvgSq[i]);
  v[i] = F(nv);
  vMax[i] = F(select(max(old, nv), old + nv, is_nan(old) || is_nan(nv)));`;
  const inputs = ["p", "grad", "expAvgSq", "maxExpAvgSq"].map(floatBinding);
  return {
    key: `adam:amsgrad-v${l2(a) ? ":l2" : ""}`,
    wgsl: () => [bindings(inputs, [floatBinding("v"), floatBinding("vMax")], uniforms), IS_NAN, perElementMain(body)].join("\n"),
    uniforms,
    grid: grid(count)
  };
}
function update(a, count, uniforms, withV) {
  const inputs = ["p", "grad", "expAvg", withV ? "expAvgSq" : "vIn"].map(floatBinding);
  const outputs = ["next", "m", ...withV ? ["v"] : []].map(floatBinding);
  const body = `  let g = ${gradient(a)};
  let nm = f32(expAvg[i]) * u.b1 + g * u.c1;
  m[i] = F(nm);
${withV ? "  let nv = f32(expAvgSq[i]) * u.b2 + (g * g) * u.c2;\n  v[i] = F(nv);" : "  let nv = f32(vIn[i]);"}
  let denom = sqrt(nv) / u.corr2 + u.eps;
  next[i] = F(${a.weightDecay && a.decoupled ? "f32(p[i]) * u.keep" : "f32(p[i])"} - (nm / denom) * u.stepSize);`;
  const decay = !a.weightDecay ? "" : a.decoupled ? ":decoupled" : ":l2";
  return {
    key: `adam:update${decay}${withV ? "" : ":v-read"}`,
    wgsl: () => [bindings(inputs, outputs, uniforms), perElementMain(body)].join("\n"),
    uniforms,
    grid: grid(count)
  };
}
var l2, gradient, adamStep2, adamKernels;
var init_adam = __esm({
  "../../plugins/backend-webgpu/src/kernels/adam.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_special_values();
    l2 = (a) => !!a.weightDecay && !a.decoupled;
    gradient = (a) => l2(a) ? "f32(grad[i]) + f32(p[i]) * u.wd" : "f32(grad[i])";
    adamStep2 = (ctx) => {
      const a = ctx.attrs;
      const count = sizeOfShape(ctx.outputs[0].shape);
      const [p, grad4, expAvg, expAvgSq, maxExpAvgSq] = ctx.inputs.map((i) => i.dataId);
      const alloc = () => ctx.backend.alloc(count, "float32", true);
      const [next, m, v] = [alloc(), alloc(), alloc()];
      if (count === 0) return a.amsgrad ? [next, m, v, alloc()] : [next, m, v];
      const uniforms = adamUniforms(count, a);
      if (!a.amsgrad) {
        ctx.backend.run(update(a, count, uniforms, true), [p, grad4, expAvg, expAvgSq], [next, m, v]);
        return [next, m, v];
      }
      const vMax = alloc();
      ctx.backend.run(secondMoment(a, count, uniforms), [p, grad4, expAvgSq, maxExpAvgSq], [v, vMax]);
      ctx.backend.run(update(a, count, uniforms, false), [p, grad4, expAvg, vMax], [next, m]);
      return [next, m, v, vMax];
    };
    adamKernels = { adamStep: adamStep2 };
  }
});

// ../../plugins/backend-webgpu/src/kernels/gemm-shader.ts
var GemmShape, MIN_STAGED_THREADS, range, pow2AtLeast, isPow2;
var init_gemm_shader = __esm({
  "../../plugins/backend-webgpu/src/kernels/gemm-shader.ts"() {
    "use strict";
    GemmShape = class {
      /**
       * The configuration's workgroup, or for an output smaller than its tile (a convolution with 64
       * output channels under a 128-row tile, a batch-1 layer with 49 output positions), one fitted
       * to it, so threads neither compute nor load for rows and columns that do not exist. The direct
       * kernel hands the threads rows do not need to the columns (and likewise for columns). The
       * staged kernel only halves a side instead: each thread's share of a step's loads stays whole
       * that way (handing threads over would split a 64×8 A tile over 256 threads), and a smaller
       * workgroup keeps at least `MIN_STAGED_THREADS`.
       */
      constructor(config, fit) {
        this.config = config;
        const [bm, bn] = config.block;
        let [tx, ty] = config.threads;
        if (fit && isPow2(tx) && isPow2(ty)) {
          const [needY, needX] = [pow2AtLeast(Math.ceil(fit.m / bm)), pow2AtLeast(Math.ceil(fit.n / bn))];
          const threads = tx * ty;
          if (fit.staged) {
            for (let shrunk = true; shrunk; ) {
              shrunk = false;
              if (ty > needY && tx * ty / 2 >= MIN_STAGED_THREADS) [ty, shrunk] = [ty / 2, true];
              if (tx > needX && tx * ty / 2 >= MIN_STAGED_THREADS) [tx, shrunk] = [tx / 2, true];
            }
          } else {
            ty = Math.min(ty, needY);
            tx = Math.min(threads / ty, needX);
            ty = Math.min(threads / tx, needY);
          }
        }
        [this.tx, this.ty] = [tx, ty];
        this.tileM = ty * bm;
        this.tileN = tx * bn;
        this.depth = config.depth;
        this.rows = range(bm);
        this.groups = range(bn / 4);
      }
      config;
      tx;
      ty;
      /** Rows and columns of the output tile; the reduction depth of one staged step. */
      tileM;
      tileN;
      depth;
      /** The thread's register rows i (row quad i >> 2, lane i & 3) and column quads j. */
      rows;
      groups;
      /** Names the configuration in pipeline keys: different tiles are different shaders. */
      get tag() {
        const c = this.config;
        return `t${this.tx}x${this.ty}b${c.block.join("x")}d${c.depth}`;
      }
      /** The row of the thread's i-th register row (an i32 expression). */
      row(i) {
        return `row0 + (ty + ${(i >> 2) * this.ty}) * 4 + ${i & 3}`;
      }
      /** The column of the thread's c-th register column (lane c & 3 of quad c >> 2). */
      col(c) {
        return `col0 + (tx + ${(c >> 2) * this.tx}) * 4 + ${c & 3}`;
      }
      /** The thread's j-th column quad, in vec4s from column 0 (an i32 expression). */
      colQuad(j) {
        return `col0 / 4 + tx + ${j * this.tx}`;
      }
      /**
       * Workgroup memory for two staged steps (the one being multiplied and the next): A as
       * [stage][k][row], B as [stage][k][column], in vec4s.
       */
      get shared() {
        return `var<workgroup> As: array<vec4<f32>, ${2 * this.stageSize("A")}>;
var<workgroup> Bs: array<vec4<f32>, ${2 * this.stageSize("B")}>;`;
      }
      /** Vec4s of one stage of A's (or B's) workgroup memory. */
      stageSize(which) {
        return (which === "A" ? this.tileM : this.tileN) * this.depth / 4;
      }
      /** A's (or B's) vec4 at `index` (an i32 expression) of the stage being written (`wr`). */
      slot(which, index) {
        return `${which}s[wr * ${this.stageSize(which)} + ${index}]`;
      }
      /** Stores `value` (f32) as A's (or B's) element at depth `k`, row (or column) `pos` of the step. */
      stash(which, k, pos, value) {
        const quads = (which === "A" ? this.tileM : this.tileN) / 4;
        return `${this.slot(which, `(${k}) * ${quads} + (${pos}) / 4`)}[(${pos}) % 4] = ${value};`;
      }
      /** Workgroups along x (columns) and y (rows) for an m × n output, times `z`. */
      grid(m, n, z) {
        return [Math.ceil(n / this.tileN), Math.ceil(m / this.tileM), z];
      }
      /** Output tiles of `batch` m × n outputs: the workgroups of an unsplit GEMM. */
      tiles(m, n, batch2) {
        const [x, y] = this.grid(m, n, batch2);
        return x * y * batch2;
      }
      /**
       * `shared` declares workgroup memory; `body` runs after the prologue (tile origin, thread ids
       * `tx`, `ty`, flat `t`, zeroed accumulators `acc{i}_{j}`).
       */
      main(shared, body) {
        return `${shared}
@compute @workgroup_size(${this.tx}, ${this.ty})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = i32(wid.y) * ${this.tileM};
  let col0 = i32(wid.x) * ${this.tileN};
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = ty * ${this.tx} + tx;
${this.rows.flatMap((i) => this.groups.map((j) => `  var acc${i}_${j} = vec4<f32>();`)).join("\n")}
${body}
}`;
      }
      /**
       * One reduction step: acc{i}_{j} += a(i) · b(j), with `a(q)` the vec4 of row quad q and
       * `b(j)` that of column quad j.
       */
      fmaStep(a, b2, indent = "      ") {
        const quads = range(this.rows.length / 4);
        const lines = [...quads.map((q) => `${indent}let aq${q} = ${a(q)};`), ...this.groups.map((j) => `${indent}let bv${j} = ${b2(j)};`)];
        for (const i of this.rows) {
          lines.push(`${indent}let av${i} = vec4<f32>(aq${i >> 2}[${i & 3}]);`);
          for (const j of this.groups) lines.push(`${indent}acc${i}_${j} = fma(av${i}, bv${j}, acc${i}_${j});`);
        }
        return lines.join("\n");
      }
      /**
       * The staged loop over [kBegin, kEnd), double-buffered: while every thread multiplies the
       * step in stage `rd` of workgroup memory, its loads fetch the next step into registers (the
       * reads from storage overlap the arithmetic); then they stash it into the other stage (`wr`),
       * and one barrier per step suffices: no thread writes a stage before all have passed the
       * barrier that ended the last reads of it.
       */
      stagedLoop(loads) {
        const a = (q) => `As[rd * ${this.stageSize("A")} + kk * ${this.tileM / 4} + ty + ${q * this.ty}]`;
        const b2 = (j) => `Bs[rd * ${this.stageSize("B")} + kk * ${this.tileN / 4} + tx + ${j * this.tx}]`;
        const each = (f, indent) => loads.map((l) => f(l) && indent + f(l)).filter(Boolean).join("\n");
        return `${each((l) => l.setup, "")}
${each((l) => `var ${l.reg}: ${l.type};`, "  ")}
  var rd = 0;
  var wr = 0;
${each((l) => l.fetch("kBegin"), "  ")}
${each((l) => l.stash, "  ")}
  workgroupBarrier();
  for (var k0 = kBegin; k0 < kEnd; k0 += ${this.depth}) {
${each((l) => l.fetch(`k0 + ${this.depth}`), "    ")}
    for (var kk = 0; kk < ${this.depth}; kk++) {
${this.fmaStep(a, b2)}
    }
    wr = 1 - rd;
${each((l) => l.stash, "    ")}
    rd = wr;
    workgroupBarrier();
  }`;
      }
    };
    MIN_STAGED_THREADS = 64;
    range = (n) => Array.from({ length: n }, (_, i) => i);
    pow2AtLeast = (n) => 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
    isPow2 = (n) => Number.isInteger(n) && n > 0 && (n & n - 1) === 0;
  }
});

// ../../plugins/backend-webgpu/src/kernels/gemm.ts
function epilogueStore(e, index) {
  return `${e.helpers}
fn store(b: i32, row: i32, col: i32, gv: f32) {
  let i = ${index};
${e.body()}
}`;
}
function byUse(spec, list) {
  const at = list.length - (spec.storeInputs ?? 0);
  return { loaders: list.slice(0, at), store: list.slice(at) };
}
function splitsFor(spec, shape) {
  const tiles = shape.tiles(spec.m, spec.n, spec.batch);
  const target = shape.config.targetWorkgroups;
  if (tiles >= target) return 1;
  return Math.max(1, Math.min(Math.ceil(target / tiles), Math.floor(spec.k / MIN_CHUNK)));
}
function runGemm(backend, spec, inputs, output) {
  const y = backend.alloc(sizeOfShape(output.shape), "float32");
  if (y.size > 0) recordGemm(backend, spec, inputs, [y]);
  return [y];
}
function recordGemm(backend, spec, inputs, outputs) {
  const staged = spec.k > backend.tiles.directMaxK;
  const vec4 = { a: staged && backend.tiles.vec4 && spec.a.vec4 !== null, b: staged && backend.tiles.vec4 && spec.b.vec4 !== null };
  const shape = new GemmShape(backend.tiles, { m: spec.m, n: spec.n, staged });
  const splits = splitsFor(spec, shape);
  const chunk = Math.ceil(Math.ceil(spec.k / splits) / shape.depth) * shape.depth;
  const uniforms = new Uniforms().i32("M", spec.m).i32("N", spec.n).i32("K", spec.k);
  uniforms.i32("batch", spec.batch).i32("splits", splits).i32("kChunk", chunk).i32("count", spec.batch * spec.m * spec.n);
  spec.uniforms?.(uniforms);
  if (splits === 1) {
    backend.run(gemmProgram(spec, shape, uniforms, staged, vec4, 1), inputs, outputs);
    return;
  }
  const data = byUse(spec, inputs);
  const partial = backend.alloc(splits * spec.batch * spec.m * spec.n, "float32", true);
  backend.run(gemmProgram(spec, shape, uniforms, staged, vec4, splits), data.loaders, [partial]);
  backend.run(finishProgram(spec, uniforms), [partial, ...data.store], outputs);
  backend.disposeData(partial);
}
function gemmProgram(spec, shape, uniforms, staged, vec4, splits) {
  const tag = vec4.a || vec4.b ? `:v${vec4.a ? "a" : ""}${vec4.b ? "b" : ""}` : "";
  return {
    key: `gemm:${spec.key}:${staged ? "staged" : "direct"}${tag}:${splits > 1 ? "partial" : "store"}:${shape.tag}`,
    // Generated only when the pipeline cache misses: building it costs more than the dispatch.
    wgsl: () => gemmSource(spec, shape, uniforms, staged, vec4, splits),
    uniforms,
    grid: shape.grid(spec.m, spec.n, spec.batch * splits),
    flops: 2 * spec.batch * spec.m * spec.n * spec.k
  };
}
function gemmSource(spec, shape, uniforms, staged, vec4, splits) {
  const split2 = splits > 1;
  const cols = range(shape.config.block[1]).map((c) => shape.col(c));
  const lanes = (q) => range(4).map((l) => 4 * q + l);
  const outputs = split2 ? [{ name: "partial", type: "f32" }] : spec.outputs;
  const head = `  let b = i32(wid.z) / u.splits;
  let piece = i32(wid.z) % u.splits;
  let kBegin = piece * u.kChunk;
  let kEnd = min(u.K, kBegin + u.kChunk);`;
  const loads = staged ? [...stageLoads(shape, "A", spec.aContiguousK, vec4.a), ...stageLoads(shape, "B", spec.bContiguousK, vec4.b)] : [];
  const loop = staged ? shape.stagedLoop(loads) : (
    // Threads whose first row or column is outside the output have nothing to add.
    `  if (${shape.row(0)} < u.M && ${cols[0]} < u.N) {
${shape.rows.map((i) => `    let ra${i} = rowA(b, ${shape.row(i)});`).join("\n")}
${cols.map((col, c) => `    let cb${c} = colB(b, ${col});`).join("\n")}
    let kBy = kAt(b, 1);
    var kc = kAt(b, kBegin);
    for (var k = kBegin; k < kEnd; k++) {
${cols.map((col, c) => `      var b${c} = 0.0;
      if (${col} < u.N) { b${c} = loadB(b, kc, cb${c}); }`).join("\n")}
${shape.rows.map((i) => `      var a${i} = 0.0;
      if (${shape.row(i)} < u.M) { a${i} = loadA(b, ra${i}, kc); }`).join("\n")}
${shape.fmaStep((q) => `vec4<f32>(${lanes(q).map((i) => `a${i}`).join(", ")})`, (j) => `vec4<f32>(${lanes(j).map((c) => `b${c}`).join(", ")})`)}
      kc = kNext(kc, kBy);
    }
  }`
  );
  const stores = shape.rows.flatMap(
    (i) => cols.map((col, c) => {
      const v = `acc${i}_${c >> 2}[${c & 3}]`;
      const write = split2 ? `partial[((piece * u.batch + b) * u.M + ${shape.row(i)}) * u.N + ${col}] = ${v};` : `store(b, ${shape.row(i)}, ${col}, ${v});`;
      return `  if (${shape.row(i)} < u.M && ${col} < u.N) { ${write} }`;
    })
  );
  const shared = staged ? shape.shared : "";
  const inputs = (split2 ? byUse(spec, spec.inputs).loaders : spec.inputs).map(
    (b2, i) => i === spec.a.input && vec4.a || i === spec.b.input && vec4.b ? { ...b2, type: "vec4<F>" } : b2
  );
  const readers = ["a", "b"].map((o) => operandReaders(o, inputs[spec[o].input].name, vec4[o] ? spec[o].vec4 : null)).join("\n");
  const body = [head, loop, ...stores];
  return [bindings(inputs, outputs, uniforms), readers, spec.loaders, kStepping(spec.kDigits), split2 ? "" : spec.store, shape.main(shared, body.join("\n"))].join("\n");
}
function kStepping(digits) {
  if (!digits) return "fn kNext(c: vec4<i32>, by: vec4<i32>) -> vec4<i32> { return c + by; }";
  const [mid, inner] = digits;
  return `fn kAt(b: i32, k: i32) -> vec4<i32> {
  let rest = k / (${inner});
  return vec4<i32>(k, rest / (${mid}), rest % (${mid}), k % (${inner}));
}
fn kNext(c: vec4<i32>, by: vec4<i32>) -> vec4<i32> {
  var d = c + by;
  if (d.w >= ${inner}) { d.w -= ${inner}; d.z += 1; }
  if (d.z >= ${mid}) { d.z -= ${mid}; d.y += 1; }
  return d;
}`;
}
function finishProgram(spec, uniforms) {
  const wgsl = () => [
    bindings([{ name: "partial", type: "f32" }, ...byUse(spec, spec.inputs).store], spec.outputs, uniforms),
    spec.store,
    perElementMain(`  var v = 0.0;
  for (var piece = 0; piece < u.splits; piece++) { v += partial[piece * u.count + i]; }
  let col = i % u.N;
  let row = (i / u.N) % u.M;
  store(i / (u.N * u.M), row, col, v);`)
  ].join("\n");
  return { key: `gemm:${spec.key}:finish`, wgsl, uniforms, grid: grid(spec.batch * spec.m * spec.n) };
}
function planLoads(depth, count, threads, split2) {
  const plans = range(count).map((l) => ({ l, ...split2(l * threads) })).sort((x, y) => x.delta - y.delta || x.l - y.l);
  const steps2 = plans.map((x, i) => x.delta - (i > 0 ? plans[i - 1].delta : 0));
  return { plans, steps: steps2, wrap: depth - plans[plans.length - 1].delta };
}
function operandReaders(operand, binding, vec4) {
  const name = operand.toUpperCase();
  if (!vec4) return `fn read${name}(i: i32) -> f32 { return f32(${binding}[i]); }`;
  return `fn read${name}(i: i32) -> f32 { return f32(${binding}[i / 4][i % 4]); }
fn read${name}4(i: i32) -> vec4<f32> { return vec4<f32>(${binding}[i / 4]); }
${vec4}`;
}
function stageLoads(shape, which, contiguousK, vec4) {
  const threads = shape.tx * shape.ty;
  const [tile, origin, limit, context] = which === "A" ? [shape.tileM, "row0", "u.M", "rowA"] : [shape.tileN, "col0", "u.N", "colB"];
  const n = which.toLowerCase();
  const along = contiguousK || vec4;
  const unit = vec4 ? 4 : 1;
  const span = shape.depth / unit;
  const { plans, steps: steps2, wrap } = planLoads(
    shape.depth,
    tile * span / threads,
    threads,
    (e) => along ? { pi: Math.floor(e / span), delta: e % span * unit } : { pi: e % tile, delta: Math.floor(e / tile) }
  );
  const setup = [
    `  let p${n} = ${along ? `t / ${span}` : `t % ${tile}`};`,
    `  let k${n} = ${along ? `(t % ${span}) * ${unit}` : `t / ${tile}`};`,
    `  var kc${n} = kAt(b, kBegin + k${n});`,
    ...[...new Set(plans.map((x) => x.pi))].map((pi) => `  let c${n}${pi} = ${context}(b, ${origin} + ${plus(`p${n}`, pi)});`)
  ];
  setup.push(...[.../* @__PURE__ */ new Set([...steps2, wrap])].filter((by) => by > 0).map((by) => `  let ks${n}${by} = kAt(b, ${by});`));
  const advance = (by) => by > 0 ? ` kc${n} = kNext(kc${n}, ks${n}${by});` : "";
  return plans.map((x, i) => {
    const [v, c, d, pos] = [`v${n}${x.l}`, `c${n}${x.pi}`, plus(`k${n}`, x.delta), plus(`p${n}`, x.pi)];
    const load2 = which === "A" ? `loadA${vec4 ? "4" : ""}(b, ${c}, kc${n})` : `loadB${vec4 ? "4" : ""}(b, kc${n}, ${c})`;
    const zero3 = vec4 ? "vec4<f32>()" : "0.0";
    return {
      setup: i === 0 ? setup.join("\n") : "",
      reg: v,
      type: vec4 ? "vec4<f32>" : "f32",
      fetch: (k) => `${advance(steps2[i])} ${v} = ${zero3}; if (${origin} + ${pos} < ${limit} && ${k} + ${d} < kEnd) { ${v} = ${load2}; }${i === plans.length - 1 ? advance(wrap) : ""}`.trim(),
      stash: vec4 ? range(4).map((q) => shape.stash(which, `${d} + ${q}`, pos, `${v}[${q}]`)).join(" ") : shape.stash(which, d, pos, v)
    };
  });
}
var MIN_CHUNK, plus;
var init_gemm = __esm({
  "../../plugins/backend-webgpu/src/kernels/gemm.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_gemm_shader();
    MIN_CHUNK = 128;
    plus = (a, n) => n ? `${a} + ${n}` : a;
  }
});

// ../../plugins/backend-webgpu/src/kernels/matmul-vec4.ts
function vec4Applies(s) {
  return (s.transposeA ? s.m : s.k) % 4 === 0 && (s.transposeB ? s.k : s.n) % 4 === 0 && s.n % 4 === 0;
}
function vec4MatmulProgram(s, config, fused) {
  const g = new GemmShape(config, { m: s.m, n: s.n, staged: true });
  const uniforms = new Uniforms().i32("M", s.m).i32("N", s.n).i32("K", s.k);
  fused?.epilogue.uniforms(uniforms);
  return {
    key: `matmul4:${s.transposeA ? "T" : "N"}${s.transposeB ? "T" : "N"}${s.sharedA ? ":sharedA" : ""}${fused ? `+${fused.epilogue.key}` : ""}:${g.tag}`,
    // Generated only when the pipeline cache misses.
    wgsl: () => vec4MatmulSource(s, g, uniforms, fused),
    uniforms,
    grid: g.grid(s.m, s.n, s.batch),
    flops: 2 * s.batch * s.m * s.n * s.k
  };
}
function vec4MatmulSource(s, g, uniforms, fused) {
  const loads = [...vec4Loads(g, "A", !s.transposeA, !s.sharedA), ...vec4Loads(g, "B", s.transposeB, true)];
  const cq = (j) => g.colQuad(j);
  const write = (i, j) => fused ? range(4).map((l) => `store(b, ${g.row(i)}, (${cq(j)}) * 4 + ${l}, acc${i}_${j}[${l}]);`).join(" ") : `y[(b * u.M + ${g.row(i)}) * (u.N / 4) + ${cq(j)}] = vec4<F>(acc${i}_${j});`;
  const stores = g.rows.flatMap((i) => g.groups.map((j) => `  if (${g.row(i)} < u.M && ${cq(j)} < u.N / 4) { ${write(i, j)} }`));
  const body = [
    "  let b = i32(wid.z);\n  let kBegin = 0;\n  let kEnd = u.K;",
    g.stagedLoop(loads),
    ...stores
  ].join("\n");
  const operands2 = [{ name: "a", type: "vec4<F>" }, { name: "bm", type: "vec4<F>" }];
  const io = fused ? bindings([...operands2, ...fused.epilogue.inputs], fused.epilogue.outputs, uniforms) : bindings(operands2, [{ name: "y", type: "vec4<F>" }], uniforms);
  return [io, fused?.store ?? "", g.main(g.shared, body)].join("\n");
}
function vec4Loads(g, which, alongK, batched) {
  const o = which === "A" ? { which, binding: "a", extent: "u.M", origin: "row0", batched } : { which, binding: "bm", extent: "u.N", origin: "col0", batched };
  const threads = g.tx * g.ty;
  const load2 = alongK ? loadAlongK : loadAlongSide;
  return range(tileOf(g, o) * g.depth / (4 * threads)).map((l) => load2(g, o, `(t + ${l * threads})`, `${o.binding}${l}`));
}
function vec4Load(n, setup, inRange, read2, stash) {
  const v = `v${n}`;
  return { setup, reg: v, type: "vec4<f32>", fetch: (k) => `${v} = vec4<f32>(); if (${inRange(k)}) { ${v} = vec4<f32>(${read2(k)}); }`, stash };
}
function loadAlongK(g, o, e, n) {
  return vec4Load(
    n,
    `  let p${n} = ${e} / ${g.depth / 4};
  let kq${n} = ${e} % ${g.depth / 4};`,
    (k) => `${o.origin} + p${n} < ${o.extent} && ${k} + kq${n} * 4 < u.K`,
    (k) => `${o.binding}[(${o.batched ? `b * ${o.extent} + ` : ""}${o.origin} + p${n}) * (u.K / 4) + ((${k}) / 4 + kq${n})]`,
    range(4).map((j) => g.stash(o.which, `kq${n} * 4 + ${j}`, `p${n}`, `v${n}[${j}]`)).join(" ")
  );
}
function loadAlongSide(g, o, e, n) {
  const quads = tileOf(g, o) / 4;
  return vec4Load(
    n,
    `  let kk${n} = ${e} / ${quads};
  let q${n} = ${e} % ${quads};`,
    (k) => `${k} + kk${n} < u.K && ${o.origin} + q${n} * 4 < ${o.extent}`,
    (k) => `${o.binding}[(${o.batched ? "b * u.K + " : ""}${k} + kk${n}) * (${o.extent} / 4) + (${o.origin} / 4 + q${n})]`,
    `${g.slot(o.which, `kk${n} * ${quads} + q${n}`)} = v${n};`
  );
}
var tileOf;
var init_matmul_vec4 = __esm({
  "../../plugins/backend-webgpu/src/kernels/matmul-vec4.ts"() {
    "use strict";
    init_program();
    init_wgsl();
    init_gemm_shader();
    tileOf = (g, o) => o.which === "A" ? g.tileM : g.tileN;
  }
});

// ../../plugins/backend-webgpu/src/kernels/conv.ts
function convDims(x, w2, y, attrs) {
  const [n, c, h, wd] = x;
  const [o, cg, kh, kw] = w2;
  const [oh, ow] = [y[2], y[3]];
  return { n, c, h, wd, o, cg, og: o / attrs.groups, kh, kw, oh, ow };
}
function convUniforms(d, attrs) {
  return (u) => {
    u.i32("Nb", d.n).i32("C", d.c).i32("H", d.h).i32("W", d.wd).i32("O", d.o).i32("Cg", d.cg).i32("Og", d.og);
    u.i32("KH", d.kh).i32("KW", d.kw).i32("OH", d.oh).i32("OW", d.ow);
    u.i32("sh", attrs.stride[0]).i32("sw", attrs.stride[1]);
    u.i32("ph", attrs.padding[0]).i32("pw", attrs.padding[1]);
    u.i32("dh", attrs.dilation[0]).i32("dw", attrs.dilation[1]);
  };
}
function convForward(ctx, epilogue) {
  const d = convDims(ctx.inputs[0].shape, ctx.inputs[1].shape, ctx.outputs[0].shape, ctx.attrs);
  const pointwise = pointwiseShape(ctx, d);
  if (pointwise) return pointwiseConv(ctx, pointwise, epilogue);
  const extra = epilogueInputs(epilogue);
  return runGemm(
    ctx.backend,
    {
      key: epilogueKey("conv2d", epilogue),
      inputs: [floatBinding("x"), floatBinding("w"), ...extra],
      storeInputs: extra.length,
      outputs: [floatBinding("y")],
      m: d.og,
      n: d.n * d.oh * d.ow,
      k: d.cg * d.kh * d.kw,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `${WINDOW}
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og + row) * u.K, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> {
  let q = window(col);
  return vec4<i32>(q.x * u.C * u.H * u.W, q.z, q.w, 0);
}
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + k.x; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  return image_at(c.x + (b * u.Cg + k.y) * u.H * u.W, c.y + k.z * u.dh, c.z + k.w * u.dw);
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.OH * u.OW);
  let at = ((n * u.O + b * u.Og + row) * u.OH) * u.OW + col % (u.OH * u.OW);
${epilogueSteps(epilogue, "b * u.Og + row", "at")}
  y[at] = F(r);
}`,
      kDigits: ["u.KH", "u.KW"],
      aContiguousK: true,
      bContiguousK: false,
      // Filter rows are K long: vec4s along k when K is a multiple of 4.
      a: { input: 1, vec4: d.cg * d.kh * d.kw % 4 === 0 ? LOAD_A4 : null },
      b: { input: 0, vec4: null }
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]
  );
}
function epilogueSteps(e, bias, at) {
  return [
    "  var r = v;",
    e.hasBias ? `  r = r + f32(bias[${bias}]);` : "",
    e.hasResidual ? `  r = r + f32(residual[${at}]);` : "",
    e.activation === "relu" ? "  r = select(r, 0.0, r < 0.0);" : ""
  ].filter(Boolean).join("\n");
}
function pointwiseShape(ctx, d, inputGradient = false) {
  const { stride, padding, groups } = ctx.attrs;
  if (d.kh !== 1 || d.kw !== 1 || groups !== 1 || !ctx.backend.tiles.vec4) return null;
  if (stride[0] !== 1 || stride[1] !== 1 || padding[0] !== 0 || padding[1] !== 0) return null;
  const [m, k] = inputGradient ? [d.c, d.o] : [d.o, d.c];
  const s = { batch: d.n, m, n: d.oh * d.ow, k, transposeA: inputGradient, transposeB: false, sharedA: true };
  if (!vec4Applies(s)) return null;
  const config = ctx.backend.tiles;
  return new GemmShape(config, { m, n: s.n, staged: true }).tiles(m, s.n, s.batch) >= config.targetWorkgroups / 2 ? s : null;
}
function pointwiseConv(ctx, s, e = NO_EPILOGUE) {
  const y = ctx.backend.alloc(s.batch * s.m * s.n, "float32");
  if (y.size === 0) return [y];
  const [x, w2, ...extra] = ctx.inputs.map((i) => i.dataId);
  const plain = !e.hasBias && !e.hasResidual && e.activation === "none";
  const epilogue = {
    key: epilogueKey("conv1x1", e),
    inputs: epilogueInputs(e),
    outputs: [floatBinding("y")],
    uniforms: () => {
    },
    helpers: "",
    body: () => `  let v = gv;
${epilogueSteps(e, "row", "i")}
  y[i] = F(r);`
  };
  const fused = plain ? void 0 : { epilogue, store: epilogueStore(epilogue, "(b * u.M + row) * u.N + col") };
  ctx.backend.run(vec4MatmulProgram(s, ctx.backend.tiles, fused), [w2, x, ...extra], [y]);
  return [y];
}
var LOAD_A, LOAD_A4, WINDOW, NO_EPILOGUE, epilogueKey, epilogueInputs, conv2d2, fusedConv2d2, conv2dBackpropInput, conv2dBackpropFilter, convKernels;
var init_conv2 = __esm({
  "../../plugins/backend-webgpu/src/kernels/conv.ts"() {
    "use strict";
    init_wgsl();
    init_gemm();
    init_gemm_shader();
    init_matmul_vec4();
    LOAD_A = "fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32 { return readA(aAt(r, k)); }";
    LOAD_A4 = "fn loadA4(b: i32, r: vec4<i32>, k: vec4<i32>) -> vec4<f32> { return readA4(aAt(r, k)); }";
    WINDOW = `
fn window(q: i32) -> vec4<i32> {
  let n = q / (u.OH * u.OW);
  let p = q % (u.OH * u.OW);
  return vec4<i32>(n, p, (p / u.OW) * u.sh - u.ph, (p % u.OW) * u.sw - u.pw);
}
fn patch_at(b: i32, k: i32) -> vec4<i32> {
  let c = k / (u.KH * u.KW);
  let r = k % (u.KH * u.KW);
  return vec4<i32>(k, (b * u.Cg + c) * u.H * u.W, (r / u.KW) * u.dh, (r % u.KW) * u.dw);
}
fn image_at(at: i32, ih: i32, iw: i32) -> f32 {
  if (ih < 0 || ih >= u.H || iw < 0 || iw >= u.W) { return 0.0; }
  return readB(at + ih * u.W + iw);
}`;
    NO_EPILOGUE = { hasBias: false, hasResidual: false, activation: "none" };
    epilogueKey = (name, e) => [name, e.hasBias && "bias", e.hasResidual && "residual", e.activation !== "none" && e.activation].filter(Boolean).join("+");
    epilogueInputs = (e) => [...e.hasBias ? ["bias"] : [], ...e.hasResidual ? ["residual"] : []].map(floatBinding);
    conv2d2 = (ctx) => convForward(ctx, NO_EPILOGUE);
    fusedConv2d2 = (ctx) => convForward(ctx, ctx.attrs);
    conv2dBackpropInput = (ctx) => {
      const [dy, w2] = ctx.inputs;
      const d = convDims(ctx.attrs.inputShape, w2.shape, dy.shape, ctx.attrs);
      const pointwise = pointwiseShape(ctx, d, true);
      if (pointwise) return pointwiseConv(ctx, pointwise);
      return runGemm(
        ctx.backend,
        {
          key: "conv2dBackpropInput",
          inputs: [floatBinding("dy"), floatBinding("w")],
          outputs: [floatBinding("dx")],
          m: d.cg,
          n: d.n * d.h * d.wd,
          k: d.og * d.kh * d.kw,
          batch: ctx.attrs.groups,
          uniforms: convUniforms(d, ctx.attrs),
          loaders: `
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og * u.Cg + row) * u.KH * u.KW, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> {
  let n = col / (u.H * u.W);
  let p = col % (u.H * u.W);
  return vec4<i32>(n * u.O * u.OH * u.OW, p / u.W, p % u.W, 0);
}
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + (k.y * u.Cg * u.KH + k.z) * u.KW + k.w; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  var oh = c.y + u.ph - k.z * u.dh;
  var ow = c.z + u.pw - k.w * u.dw;
  if (oh < 0 || ow < 0) { return 0.0; }
  // Strides are uniform: unit strides (the common case) skip the divisions.
  if (u.sh != 1) {
    if (oh % u.sh != 0) { return 0.0; }
    oh = oh / u.sh;
  }
  if (u.sw != 1) {
    if (ow % u.sw != 0) { return 0.0; }
    ow = ow / u.sw;
  }
  if (oh >= u.OH || ow >= u.OW) { return 0.0; }
  return readB(c.x + ((b * u.Og + k.y) * u.OH + oh) * u.OW + ow);
}`,
          store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.H * u.W);
  dx[(n * u.C + b * u.Cg + row) * u.H * u.W + col % (u.H * u.W)] = F(v);
}`,
          kDigits: ["u.KH", "u.KW"],
          aContiguousK: true,
          bContiguousK: false,
          // k = (o, kh, kw) steps over the filter's input channels: no contiguous run of 4.
          a: { input: 1, vec4: null },
          b: { input: 0, vec4: null }
        },
        ctx.inputs.map((i) => i.dataId),
        ctx.outputs[0]
      );
    };
    conv2dBackpropFilter = (ctx) => {
      const [x, dy] = ctx.inputs;
      const d = convDims(x.shape, ctx.attrs.filterShape, dy.shape, ctx.attrs);
      return runGemm(
        ctx.backend,
        {
          key: "conv2dBackpropFilter",
          inputs: [floatBinding("x"), floatBinding("dy")],
          outputs: [floatBinding("dw")],
          m: d.og,
          n: d.cg * d.kh * d.kw,
          k: d.n * d.oh * d.ow,
          batch: ctx.attrs.groups,
          uniforms: convUniforms(d, ctx.attrs),
          loaders: `${WINDOW}
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og + row) * u.OH * u.OW, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> { return patch_at(b, col); }
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + (k.y * u.O * u.OH + k.z) * u.OW + k.w; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  return image_at(k.y * u.C * u.H * u.W + c.y, k.z * u.sh - u.ph + c.z, k.w * u.sw - u.pw + c.w);
}`,
          store: `
fn store(b: i32, row: i32, col: i32, v: f32) { dw[(b * u.Og + row) * u.N + col] = F(v); }`,
          kDigits: ["u.OH", "u.OW"],
          aContiguousK: true,
          bContiguousK: true,
          // k = (n, oh, ow): runs of 4 stay within one image's dy when OH·OW is a multiple of 4.
          a: { input: 1, vec4: d.oh * d.ow % 4 === 0 ? LOAD_A4 : null },
          b: { input: 0, vec4: null }
        },
        ctx.inputs.map((i) => i.dataId),
        ctx.outputs[0]
      );
    };
    convKernels = { conv2d: conv2d2, fusedConv2d: fusedConv2d2, conv2dBackpropInput, conv2dBackpropFilter };
  }
});

// ../../plugins/backend-webgpu/src/kernels/map-program.ts
function mapProgram(spec) {
  return multiMapProgram({
    name: spec.name,
    inputs: spec.inputs,
    shape: spec.output.shape,
    outputs: [spec.output.dtype],
    body: (v) => `  y0[i] = ${store(spec.output.dtype, spec.expr(v))};`,
    helpers: spec.helpers
  });
}
function multiMapProgram(spec) {
  const uniforms = new Uniforms().i32("count", sizeOfShape(spec.shape));
  const code = elementCode(spec, uniforms);
  const wgsl = () => [
    bindings(code.inputs.map((type, k) => ({ name: `x${k}`, type })), code.outputs.map((type, k) => ({ name: `y${k}`, type })), uniforms),
    spec.helpers ?? "",
    perElementMain(code.body())
  ].join("\n");
  return { key: `map:${code.key}`, wgsl, uniforms, grid: grid(sizeOfShape(spec.shape)) };
}
function mapEpilogue(spec) {
  const extra = new Uniforms();
  const code = elementCode(spec, extra);
  return {
    key: code.key,
    inputs: code.inputs.map((type, k) => ({ name: `x${k}`, type })),
    outputs: code.outputs.map((type, k) => ({ name: `y${k}`, type })),
    uniforms: (u) => extra.appendTo(u),
    helpers: spec.helpers ?? "",
    body: code.body
  };
}
function elementCode(spec, uniforms) {
  const outShape = spec.shape;
  const layout2 = coalesce(
    outShape,
    spec.inputs.map((x) => "strides" in x ? x.strides : broadcastStrides(x.shape, outShape))
  );
  const rank = layout2.shape.length;
  const offsets = spec.inputs.map((x) => "offset" in x ? x.offset : null);
  const flat = layout2.strides.map((s, k) => rank === 1 && s[0] === 1 && offsets[k] === null);
  if (rank > 1) uniforms.ints("os", layout2.shape);
  layout2.strides.forEach((s, k) => {
    if (!flat[k]) uniforms.ints(`s${k}_`, s);
    if (offsets[k] !== null) uniforms.i32(`o${k}`, offsets[k]);
  });
  const scalars = spec.scalars ?? [];
  scalars.forEach((c, k) => uniforms[wgslType(c.dtype)](`c${k}`, c.value));
  const types = spec.inputs.map((x) => wgslType(x.dtype));
  const outTypes = spec.outputs.map(wgslType);
  const operandKey = flat.map((f, k) => f ? "f" : offsets[k] !== null ? "o" : "s").join("");
  const scalarKey = scalars.length ? `:c${scalars.map((c) => wgslType(c.dtype)).join(",")}` : "";
  const body = () => {
    const reads = types.map((_, k) => {
      let index = flat[k] ? "i" : rank === 1 ? `i * u.s${k}_0` : dot("c", `s${k}_`, rank);
      if (offsets[k] !== null) index = `u.o${k} + ${index}`;
      return `  let v${k} = ${load(spec.inputs[k].dtype, `x${k}[${index}]`)};`;
    });
    return [rank > 1 ? unravel("i", "c", "os", rank) : "", ...reads, spec.body(types.map((_, k) => `v${k}`))].filter(Boolean).join("\n");
  };
  return {
    key: `${spec.name}:${types.join(",")}>${outTypes.join(",")}:r${rank}:${operandKey}${scalarKey}`,
    inputs: spec.inputs.map((x) => storageType(x.dtype)),
    outputs: spec.outputs.map(storageType),
    body
  };
}
var init_map_program = __esm({
  "../../plugins/backend-webgpu/src/kernels/map-program.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
  }
});

// ../../plugins/backend-webgpu/src/kernels/run.ts
function runOne(ctx, program, full2 = false) {
  const out = ctx.outputs.map((o) => ctx.backend.alloc(sizeOfShape(o.shape), o.dtype, full2));
  if (out.every((o) => o.size > 0)) ctx.backend.run(program, ctx.inputs.map((i) => i.dataId), out);
  return out;
}
var init_run = __esm({
  "../../plugins/backend-webgpu/src/kernels/run.ts"() {
    "use strict";
    init_shape_utils();
  }
});

// ../../plugins/backend-webgpu/src/kernels/elementwise.ts
function mapKernel(ctx, name, expr, helpers = []) {
  const output = ctx.outputs[0];
  const op = {
    name,
    shape: output.shape,
    dtype: output.dtype,
    inputs: ctx.inputs.map((i) => ({ data: i.dataId, shape: i.shape, dtype: i.dtype })),
    expr,
    helpers
  };
  return [ctx.backend.elementwise(op, (full2) => runOne(ctx, mapProgram({ name, inputs: ctx.inputs, output, expr, helpers: helpers.join("") }), full2))];
}
function elementwiseKernel(name, op) {
  return (ctx) => {
    const dtype = ctx.inputs[0].dtype;
    return mapKernel(ctx, name, (v) => op.expr(v, dtype), op.helpers?.(dtype));
  };
}
function castExpr(v, from, to) {
  if (to === "bool") return from === "float32" ? `select(0u, 1u, ${v} != 0.0 || is_nan(${v}))` : `select(0u, 1u, ${v} != ${zero2(from)})`;
  return `${wgslType(to)}(${v})`;
}
var POW_F32, POW_I32, DIV_I32, zero2, keepNaN, UNARY, BINARY, whereKernel, castKernel, elementwiseKernels, elementwiseVariants;
var init_elementwise2 = __esm({
  "../../plugins/backend-webgpu/src/kernels/elementwise.ts"() {
    "use strict";
    init_map_program();
    init_run();
    init_wgsl();
    init_special_values();
    POW_F32 = `
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  if (a > 0.0) { return pow(a, b); }
  if (a == 0.0) { return select(0.0, f32_inf(), b < 0.0); }
  if (b != trunc(b)) { return f32_nan(); }
  let r = pow(-a, b);
  return select(r, -r, abs(b % 2.0) == 1.0);
}`;
    POW_I32 = `
fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var base = a; var e = b; var r = 1;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { r = r * base; }
    base = base * base; e = e >> 1u;
  }
  return r;
}`;
    DIV_I32 = `
fn div_i32(a: i32, b: i32) -> i32 { return select(a / b, 0, b == 0); }`;
    zero2 = (dtype) => dtype === "float32" ? "0.0" : dtype === "int32" ? "0" : "0u";
    keepNaN = (a, value) => `select(${value}, ${a}, is_nan(${a}))`;
    UNARY = {
      neg: { expr: ([a]) => `-${a}` },
      abs: { expr: ([a]) => `abs(${a})` },
      exp: { expr: ([a]) => keepNaN(a, `exp(${a})`), helpers: () => [IS_NAN] },
      log: {
        expr: ([a]) => `select(select(log(${a}), -f32_inf(), ${a} == 0.0), f32_nan(), !(${a} >= 0.0))`,
        helpers: () => [SPECIALS]
      },
      sqrt: { expr: ([a]) => `sqrt(${a})` },
      // select, not max: NaN stays NaN, as in torch.relu.
      relu: { expr: ([a], t) => `select(${a}, ${zero2(t)}, ${a} < ${zero2(t)})` },
      sigmoid: { expr: ([a]) => keepNaN(a, `1.0 / (1.0 + exp(-${a}))`), helpers: () => [IS_NAN] },
      // Clamped: some drivers build tanh from exp(2x), which overflows to inf/inf past |x| ≈ 44.
      tanh: { expr: ([a]) => keepNaN(a, `tanh(clamp(${a}, -15.0, 15.0))`), helpers: () => [IS_NAN] }
    };
    BINARY = {
      add: { expr: ([a, b2]) => `${a} + ${b2}` },
      sub: { expr: ([a, b2]) => `${a} - ${b2}` },
      mul: { expr: ([a, b2]) => `${a} * ${b2}` },
      div: {
        expr: ([a, b2], t) => t === "int32" ? `div_i32(${a}, ${b2})` : `${a} / ${b2}`,
        helpers: (t) => t === "int32" ? [DIV_I32] : []
      },
      pow: {
        expr: ([a, b2], t) => t === "int32" ? `pow_i32(${a}, ${b2})` : `pow_f32(${a}, ${b2})`,
        helpers: (t) => t === "int32" ? [POW_I32] : [SPECIALS, IS_NAN, POW_F32]
      },
      // WGSL leaves max(NaN, x) open; torch.maximum propagates NaN.
      maximum: {
        expr: ([a, b2], t) => t === "float32" ? `select(max(${a}, ${b2}), ${a} + ${b2}, is_nan(${a}) || is_nan(${b2}))` : `max(${a}, ${b2})`,
        helpers: (t) => t === "float32" ? [IS_NAN] : []
      },
      less: { expr: ([a, b2]) => `select(0u, 1u, ${a} < ${b2})` },
      equal: { expr: ([a, b2]) => `select(0u, 1u, ${a} == ${b2})` }
    };
    whereKernel = (ctx) => mapKernel(ctx, "where", ([c, a, b2]) => `select(${b2}, ${a}, ${c} != 0u)`);
    castKernel = (ctx) => {
      const from = ctx.inputs[0].dtype;
      const to = ctx.outputs[0].dtype;
      if (from === to) return [ctx.inputs[0].dataId];
      return mapKernel(ctx, "cast", ([v]) => castExpr(v, from, to), from === "float32" && to === "bool" ? [IS_NAN] : []);
    };
    elementwiseKernels = {
      ...Object.fromEntries(Object.entries({ ...UNARY, ...BINARY }).map(([name, op]) => [name, elementwiseKernel(name, op)])),
      where: whereKernel,
      cast: castKernel
    };
    elementwiseVariants = {
      unary: Object.keys(UNARY),
      binary: Object.keys(BINARY)
    };
  }
});

// ../../plugins/backend-webgpu/src/kernels/matmul.ts
function recordMatmul(backend, s, inputs, outputs, epilogue) {
  const index = "(b * u.M + row) * u.N + col";
  const store3 = epilogue ? epilogueStore(epilogue, index) : `
fn store(b: i32, row: i32, col: i32, v: f32) { y[${index}] = F(v); }`;
  if (backend.tiles.vec4 && vec4Applies(s)) {
    backend.run(vec4MatmulProgram(s, backend.tiles, epilogue && { epilogue, store: store3 }), inputs, outputs);
    return;
  }
  const [ta, tb] = [s.transposeA, s.transposeB];
  const rowA = ta ? "b * u.M * u.K + row" : "b * u.M * u.K + row * u.K";
  const colB = tb ? "b * u.K * u.N + col * u.K" : "b * u.K * u.N + col";
  recordGemm(
    backend,
    {
      key: `matmul:${ta ? "T" : "N"}${tb ? "T" : "N"}${epilogue ? `+${epilogue.key}` : ""}`,
      inputs: [floatBinding("a"), floatBinding("bm"), ...epilogue?.inputs ?? []],
      storeInputs: epilogue?.inputs.length ?? 0,
      outputs: epilogue?.outputs ?? [floatBinding("y")],
      m: s.m,
      n: s.n,
      k: s.k,
      batch: s.batch,
      uniforms: epilogue?.uniforms,
      loaders: `
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>(${rowA}, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> { return vec4<i32>(${colB}, 0, 0, 0); }
fn kAt(b: i32, k: i32) -> vec4<i32> { return vec4<i32>(k, k * u.M, k * u.N, 0); }
fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32 { return readA(r.x + k.${ta ? "y" : "x"}); }
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 { return readB(c.x + k.${tb ? "x" : "z"}); }`,
      store: store3,
      aContiguousK: !ta,
      bContiguousK: tb,
      // Rows of A (columns of Bᵀ) are K long: vec4s along k when K is a multiple of 4.
      a: { input: 0, vec4: !ta && s.k % 4 === 0 ? "fn loadA4(b: i32, r: vec4<i32>, k: vec4<i32>) -> vec4<f32> { return readA4(r.x + k.x); }" : null },
      b: { input: 1, vec4: tb && s.k % 4 === 0 ? "fn loadB4(b: i32, k: vec4<i32>, c: vec4<i32>) -> vec4<f32> { return readB4(c.x + k.x); }" : null }
    },
    inputs,
    outputs
  );
}
var batchMatmul, matmulKernels;
var init_matmul = __esm({
  "../../plugins/backend-webgpu/src/kernels/matmul.ts"() {
    "use strict";
    init_wgsl();
    init_gemm();
    init_matmul_vec4();
    batchMatmul = (ctx) => {
      const { transposeA, transposeB } = ctx.attrs;
      const [batch2, m, n] = ctx.outputs[0].shape;
      const aShape = ctx.inputs[0].shape;
      const s = { batch: batch2, m, n, k: transposeA ? aShape[1] : aShape[2], transposeA, transposeB };
      const inputs = ctx.inputs.map((i) => i.dataId);
      return [ctx.backend.gemm(batch2 * m * n, inputs, (outputs, extra) => recordMatmul(ctx.backend, s, [...inputs, ...extra?.inputs ?? []], outputs, extra?.epilogue))];
    };
    matmulKernels = { batchMatmul };
  }
});

// ../../plugins/backend-webgpu/src/index-faults.ts
function faultCall(op, index, dim, size2) {
  return `fault(${OPS.indexOf(op)}u, ${index}, ${dim}u, ${size2})`;
}
function faultError(record) {
  const op = OPS[record[0]];
  if (!op) return null;
  const index = new Int32Array(record.buffer, record.byteOffset + 4, 1)[0];
  return new ValueError(
    `${op}: index ${index} is out of range for dim ${record[2]} of size ${record[3]} (found on the GPU by an earlier ${op}; reported at this read)`
  );
}
var OPS, FAULT_BYTES, FAULT_BINDING, FAULT_FN;
var init_index_faults = __esm({
  "../../plugins/backend-webgpu/src/index-faults.ts"() {
    "use strict";
    init_src();
    OPS = ["", "gather", "scatterAdd"];
    FAULT_BYTES = 16;
    FAULT_BINDING = { name: "faults", type: "atomic<u32>" };
    FAULT_FN = `
fn fault(op: u32, index: i32, dim: u32, size: i32) {
  atomicMax(&faults[0], op);
  atomicStore(&faults[1], bitcast<u32>(index));
  atomicStore(&faults[2], dim);
  atomicStore(&faults[3], u32(size));
}`;
  }
});

// ../../plugins/backend-webgpu/src/kernels/movement.ts
function placeProgram(shape, dtype, outStrides, base) {
  const layout2 = coalesce(shape, [contiguousStrides(shape), outStrides]);
  const rank = layout2.shape.length;
  const uniforms = new Uniforms().i32("count", sizeOfShape(shape)).i32("base", base);
  uniforms.ints("os", layout2.shape).ints("ys", layout2.strides[1]);
  const key = `place:${wgslType(dtype)}:r${rank}`;
  const wgsl = () => [
    bindings([{ name: "x", type: storageType(dtype) }], [{ name: "y", type: storageType(dtype) }], uniforms),
    perElementMain(`${unravel("i", "c", "os", rank)}
  y[u.base + ${dot("c", "ys", rank)}] = ${copy(dtype, "x[i]")};`)
  ].join("\n");
  return { key, wgsl, uniforms, grid: grid(sizeOfShape(shape)) };
}
var identity, copy, transpose2, expand2, slice2, concat2, pad2, gather2, scatterAdd2, movementKernels;
var init_movement2 = __esm({
  "../../plugins/backend-webgpu/src/kernels/movement.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_elementwise2();
    init_map_program();
    init_run();
    init_index_faults();
    identity = (v) => v[0];
    copy = (dtype, access) => store(dtype, load(dtype, access));
    transpose2 = (ctx) => {
      const x = ctx.inputs[0];
      const own = contiguousStrides(x.shape);
      const strides = ctx.attrs.perm.map((p) => own[p]);
      return runOne(ctx, mapProgram({ name: "copy", inputs: [{ dtype: x.dtype, strides, offset: 0 }], output: ctx.outputs[0], expr: identity }));
    };
    expand2 = (ctx) => mapKernel(ctx, "expand", identity);
    slice2 = (ctx) => {
      const x = ctx.inputs[0];
      const own = contiguousStrides(x.shape);
      const strides = own.map((s, d) => s * ctx.attrs.step[d]);
      const offset = own.reduce((sum3, s, d) => sum3 + s * ctx.attrs.begin[d], 0);
      return runOne(ctx, mapProgram({ name: "copy", inputs: [{ dtype: x.dtype, strides, offset }], output: ctx.outputs[0], expr: identity }));
    };
    concat2 = (ctx) => {
      const out = ctx.outputs[0];
      const axis = ctx.attrs.axis;
      const y = ctx.backend.alloc(sizeOfShape(out.shape), out.dtype);
      const outStrides = contiguousStrides(out.shape);
      let start = 0;
      for (const x of ctx.inputs) {
        if (sizeOfShape(x.shape) > 0) {
          const program = placeProgram(x.shape, x.dtype, outStrides, start * outStrides[axis]);
          ctx.backend.run(program, [x.dataId], [y]);
        }
        start += x.shape[axis];
      }
      return [y];
    };
    pad2 = (ctx) => {
      const x = ctx.inputs[0];
      const out = ctx.outputs[0];
      const rank = out.shape.length;
      const type = wgslType(x.dtype);
      const stored2 = storageType(x.dtype);
      const uniforms = new Uniforms().i32("count", sizeOfShape(out.shape));
      uniforms.ints("os", out.shape).ints("xd", x.shape).ints("xs", contiguousStrides(x.shape));
      uniforms.ints("before", ctx.attrs.pads.map((p) => p[0]));
      uniforms[type](`fill`, ctx.attrs.value);
      const inside = Array.from({ length: rank }, (_, d) => `c${d} >= u.before${d} && c${d} < u.before${d} + u.xd${d}`);
      const at = Array.from({ length: rank }, (_, d) => `(c${d} - u.before${d}) * u.xs${d}`).join(" + ") || "0";
      const wgsl = () => [
        bindings([{ name: "x", type: stored2 }], [{ name: "y", type: stored2 }], uniforms),
        perElementMain(`${unravel("i", "c", "os", rank)}
  if (${inside.join(" && ") || "true"}) { y[i] = ${copy(x.dtype, `x[${at}]`)}; } else { y[i] = ${store(x.dtype, "u.fill")}; }`)
      ].join("\n");
      return runOne(ctx, { key: `pad:${type}:r${rank}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)) });
    };
    gather2 = (ctx) => {
      const x = ctx.inputs[0];
      const out = ctx.outputs[0];
      const rank = out.shape.length;
      const axis = ctx.attrs.axis;
      const type = wgslType(x.dtype);
      const stored2 = storageType(x.dtype);
      const uniforms = new Uniforms().i32("count", sizeOfShape(out.shape)).i32("axisLen", x.shape[axis]);
      uniforms.ints("os", out.shape).ints("xs", contiguousStrides(x.shape));
      const others = Array.from({ length: rank }, (_, d) => d).filter((d) => d !== axis).map((d) => `c${d} * u.xs${d}`);
      const wgsl = () => [
        bindings([{ name: "x", type: stored2 }, { name: "index", type: "i32" }], [{ name: "y", type: stored2 }, FAULT_BINDING], uniforms),
        FAULT_FN,
        perElementMain(`${unravel("i", "c", "os", rank)}
  let j = index[i];
  if (j < 0 || j >= u.axisLen) {
    ${faultCall("gather", "j", axis, "u.axisLen")};
    y[i] = ${store(x.dtype, `${type}(0)`)};
    return;
  }
  y[i] = ${copy(x.dtype, `x[${[...others, `j * u.xs${axis}`].join(" + ")}]`)};`)
      ].join("\n");
      return runOne(ctx, { key: `gather:${type}:r${rank}:a${axis}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)), checksIndices: true });
    };
    scatterAdd2 = (ctx) => {
      const [base, index, src] = ctx.inputs;
      const out = ctx.outputs[0];
      const rank = out.shape.length;
      const axis = ctx.attrs.axis;
      const type = wgslType(base.dtype);
      const stored2 = storageType(base.dtype);
      const uniforms = new Uniforms().i32("count", sizeOfShape(out.shape)).i32("scan", index.shape[axis]);
      uniforms.ints("os", out.shape).ints("id", index.shape).ints("is", contiguousStrides(index.shape));
      uniforms.ints("ss", contiguousStrides(src.shape));
      const dims = Array.from({ length: rank }, (_, d) => d);
      const covered = dims.filter((d) => d !== axis).map((d) => `c${d} < u.id${d}`);
      const indexAt = dims.map((d) => d === axis ? `j * u.is${d}` : `c${d} * u.is${d}`).join(" + ");
      const srcAt = dims.map((d) => d === axis ? `j * u.ss${d}` : `c${d} * u.ss${d}`).join(" + ");
      const wgsl = () => [
        bindings([{ name: "base", type: stored2 }, { name: "index", type: "i32" }, { name: "src", type: stored2 }], [{ name: "y", type: stored2 }, FAULT_BINDING], uniforms),
        FAULT_FN,
        perElementMain(`${unravel("i", "c", "os", rank)}
  var acc = ${load(base.dtype, "base[i]")};
  if (${covered.join(" && ") || "true"}) {
    for (var j = 0; j < u.scan; j++) {
      let at = index[${indexAt}];
      if (at == c${axis}) { acc += ${load(base.dtype, `src[${srcAt}]`)}; }
      else if (at < 0 || at >= u.os${axis}) { ${faultCall("scatterAdd", "at", axis, `u.os${axis}`)}; }
    }
  }
  y[i] = ${store(base.dtype, "acc")};`)
      ].join("\n");
      return runOne(ctx, { key: `scatterAdd:${type}:r${rank}:a${axis}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)), checksIndices: true });
    };
    movementKernels = { transpose: transpose2, expand: expand2, slice: slice2, concat: concat2, pad: pad2, gather: gather2, scatterAdd: scatterAdd2 };
  }
});

// ../../plugins/backend-webgpu/src/kernels/pool.ts
function poolUniforms(count, x, y, a) {
  return new Uniforms().i32("count", count).i32("H", x[2]).i32("W", x[3]).i32("OH", y[2]).i32("OW", y[3]).i32("kh", a.kernel[0]).i32("kw", a.kernel[1]).i32("sh", a.stride[0]).i32("sw", a.stride[1]).i32("ph", a.padding[0]).i32("pw", a.padding[1]).u32("includePad", a.countIncludePad ? 1 : 0).f32("lowest", -Infinity);
}
function forward(kind2, x, y, attrs) {
  const count = sizeOfShape(y);
  const uniforms = poolUniforms(count, x, y, attrs);
  const value = kind2 === "max" ? `let at = window_argmax(p, oh, ow);
  out[i] = F(select(f32(x[p * u.H * u.W + at]), u.lowest, at < 0));` : `var s = 0.0;
  for (var a = max(oh * u.sh - u.ph, 0); a < min(oh * u.sh - u.ph + u.kh, u.H); a++) {
    for (var b = max(ow * u.sw - u.pw, 0); b < min(ow * u.sw - u.pw + u.kw, u.W); b++) { s += f32(x[(p * u.H + a) * u.W + b]); }
  }
  out[i] = F(s / window_divisor(oh, ow));`;
  const wgsl = () => [
    bindings([floatBinding("x")], [floatBinding("out")], uniforms),
    WINDOW2,
    perElementMain(`  let ow = i % u.OW;
  let oh = (i / u.OW) % u.OH;
  let p = i / (u.OW * u.OH);
  ${value}`)
  ].join("\n");
  return { key: `pool:${kind2}`, wgsl, uniforms, grid: grid(count) };
}
function backward2(kind2, x, y, attrs) {
  const count = sizeOfShape(x);
  const uniforms = poolUniforms(count, x, y, attrs);
  const term = kind2 === "max" ? `select(0.0, g, window_argmax(p, oh, ow) == h * u.W + w)` : `g / window_divisor(oh, ow)`;
  const wgsl = () => [
    bindings([floatBinding("dy"), floatBinding("x")], [floatBinding("dx")], uniforms),
    WINDOW2,
    perElementMain(`  let w = i % u.W;
  let h = (i / u.W) % u.H;
  let p = i / (u.W * u.H);
  // Windows oh with oh\xB7s \u2212 p \u2264 h < oh\xB7s \u2212 p + k, clipped to the output.
  let oh0 = max(0, (h + u.ph - u.kh + u.sh) / u.sh);
  let ow0 = max(0, (w + u.pw - u.kw + u.sw) / u.sw);
  let oh1 = min(u.OH - 1, (h + u.ph) / u.sh);
  let ow1 = min(u.OW - 1, (w + u.pw) / u.sw);
  var s = 0.0;
  for (var oh = oh0; oh <= oh1; oh++) {
    for (var ow = ow0; ow <= ow1; ow++) {
      let g = f32(dy[(p * u.OH + oh) * u.OW + ow]);
      s += ${term};
    }
  }
  dx[i] = F(s);`)
  ].join("\n");
  return { key: `poolGrad:${kind2}`, wgsl, uniforms, grid: grid(count) };
}
var WINDOW2, kernel, gradKernel, poolKernels;
var init_pool = __esm({
  "../../plugins/backend-webgpu/src/kernels/pool.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_run();
    WINDOW2 = `
fn window_argmax(p: i32, oh: i32, ow: i32) -> i32 {
  var best = u.lowest;
  var at = -1;
  for (var i = 0; i < u.kh; i++) {
    let h = oh * u.sh - u.ph + i;
    if (h < 0 || h >= u.H) { continue; }
    for (var j = 0; j < u.kw; j++) {
      let w = ow * u.sw - u.pw + j;
      if (w < 0 || w >= u.W) { continue; }
      let v = f32(x[(p * u.H + h) * u.W + w]);
      if (at < 0 || v > best) { best = v; at = h * u.W + w; }
    }
  }
  return at;
}
fn window_divisor(oh: i32, ow: i32) -> f32 {
  let h0 = oh * u.sh - u.ph;
  let w0 = ow * u.sw - u.pw;
  let h1 = min(h0 + u.kh, u.H + u.ph);
  let w1 = min(w0 + u.kw, u.W + u.pw);
  if (u.includePad == 1u) { return f32((h1 - h0) * (w1 - w0)); }
  return f32((min(h1, u.H) - max(h0, 0)) * (min(w1, u.W) - max(w0, 0)));
}`;
    kernel = (kind2) => (ctx) => runOne(ctx, forward(kind2, ctx.inputs[0].shape, ctx.outputs[0].shape, ctx.attrs));
    gradKernel = (kind2) => (ctx) => runOne(ctx, backward2(kind2, ctx.inputs[1].shape, ctx.inputs[0].shape, ctx.attrs));
    poolKernels = {
      maxPool2d: kernel("max"),
      avgPool2d: kernel("avg"),
      maxPool2dGrad: gradKernel("max"),
      avgPool2dGrad: gradKernel("avg")
    };
  }
});

// ../../plugins/backend-webgpu/src/kernels/reduce.ts
function splitAxes(shape, axes) {
  const strides = contiguousStrides(shape);
  const dims = shape.map((_, d) => d);
  const kept = dims.filter((d) => !axes.includes(d));
  const red = dims.filter((d) => axes.includes(d));
  const pick = (ds) => coalesce(ds.map((d) => shape[d]), [ds.map((d) => strides[d])]);
  return { kept: pick(kept), red: pick(red) };
}
function lowest(type) {
  return type === "f32" ? -Infinity : type === "i32" ? -2147483648 : 0;
}
function layout(spec) {
  const { kept, red } = splitAxes(spec.x.shape, spec.axes);
  const [outCount, redCount] = [sizeOfShape(kept.shape), sizeOfShape(red.shape)];
  return { kept, red, outCount, redCount, tree: redCount >= 64 && !(outCount >= 4096 && redCount <= 512) };
}
function reduceProgram(spec, splits = 1) {
  const { kept, red, outCount, redCount, tree } = layout(spec);
  const xType = wgslType(spec.x.dtype);
  const accType = spec.reducer === "argmax" ? xType : wgslType(spec.outDtype);
  const uniforms = new Uniforms().i32("count", outCount).i32("rcount", redCount);
  uniforms.ints("ks", kept.shape).ints("kst", kept.strides[0]).ints("rs", red.shape).ints("rst", red.strides[0]);
  uniforms[accType]("init", spec.reducer === "sum" ? 0 : lowest(accType));
  uniforms.i32("splits", splits).i32("chunk", Math.ceil(redCount / splits));
  const kr = kept.shape.length;
  const rr = red.shape.length;
  const key = `reduce:${spec.reducer}:${xType}>${wgslType(spec.outDtype)}:k${kr}:r${rr}:${tree ? "tree" : "thread"}`;
  const wgsl = () => {
    const parts = [
      bindings([{ name: "x", type: storageType(spec.x.dtype) }], [{ name: "y", type: storageType(spec.outDtype) }], uniforms),
      combineFn(spec.reducer, accType),
      `fn offset_of(o: i32, r: i32) -> i32 {
${unravel("o", "k", "ks", kr)}
${unravel("r", "q", "rs", rr)}
  return ${dot("k", "kst", kr)} + ${dot("q", "rst", rr)};
}`
    ];
    const load2 = `${accType}(x[offset_of(o, r)])`;
    const result = (best) => spec.reducer === "argmax" ? `${best}.i` : store(spec.outDtype, `${best}.v`);
    parts.push(tree ? treeMain(load2, result) : threadMain(load2, result));
    return parts.join("\n");
  };
  return { key, wgsl, uniforms, grid: tree ? grid(outCount * splits, 1) : grid(outCount) };
}
function combineFn(reducer, type) {
  const struct = `struct P { v: ${type}, i: i32 }`;
  if (reducer === "sum") return `${struct}
fn combine(a: P, b: P) -> P { return P(a.v + b.v, 0); }`;
  const firstMax = "if (b.v > a.v || (b.v == a.v && b.i < a.i)) { return b; } return a;";
  if (type !== "f32") return `${struct}
fn combine(a: P, b: P) -> P { ${firstMax} }`;
  return `${struct}${IS_NAN}
fn combine(a: P, b: P) -> P {
  let an = is_nan(a.v);
  let bn = is_nan(b.v);
  if (an || bn) {
    if (bn && (!an || b.i < a.i)) { return b; }
    return a;
  }
  ${firstMax}
}`;
}
function threadMain(load2, result) {
  return perElementMain(`  let o = i;
  var best = P(u.init, 0);
  for (var r = 0; r < u.rcount; r++) { best = combine(best, P(${load2}, r)); }
  y[o] = ${result("best")};`);
}
function treeMain(load2, result) {
  return `var<workgroup> partial: array<P, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let w = i32(wid.x + wid.y * nwg.x);
  if (w >= u.count * u.splits) { return; }
  let o = w / u.splits;
  let rEnd = min(u.rcount, (w % u.splits + 1) * u.chunk);
  var best = P(u.init, 0);
  for (var r = (w % u.splits) * u.chunk + i32(t); r < rEnd; r += ${TREE}) { best = combine(best, P(${load2}, r)); }
  partial[t] = best;
  for (var s = ${TREE / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { partial[t] = combine(partial[t], partial[t + s]); }
  }
  if (t == 0u) { y[w] = ${result("partial[0]")}; }
}`;
}
function reduceSplit(reducer) {
  return (ctx) => {
    const spec = { reducer, x: ctx.inputs[0], axes: ctx.attrs.axes, outDtype: ctx.outputs[0].dtype };
    const { outCount, redCount, tree } = layout(spec);
    const target = ctx.backend.tiles.targetWorkgroups;
    const splits = tree && outCount < target ? Math.min(Math.ceil(target / outCount), Math.floor(redCount / MIN_PIECE)) : 1;
    if (splits <= 1) return runOne(ctx, reduceProgram(spec));
    const partial = ctx.backend.alloc(outCount * splits, spec.outDtype, true);
    ctx.backend.run(reduceProgram(spec, splits), [ctx.inputs[0].dataId], [partial]);
    const pieces = { reducer, x: { shape: [outCount, splits], dtype: spec.outDtype }, axes: [1], outDtype: spec.outDtype };
    const [out] = runOne({ ...ctx, inputs: [{ ...pieces.x, dataId: partial }] }, reduceProgram(pieces));
    ctx.backend.disposeData(partial);
    return [out];
  };
}
var TREE, MIN_PIECE, sum2, max2, argmax2, reduceKernels;
var init_reduce2 = __esm({
  "../../plugins/backend-webgpu/src/kernels/reduce.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_special_values();
    init_run();
    TREE = 256;
    MIN_PIECE = 8 * TREE;
    sum2 = reduceSplit("sum");
    max2 = reduceSplit("max");
    argmax2 = (ctx) => runOne(ctx, reduceProgram({ reducer: "argmax", x: ctx.inputs[0], axes: [ctx.attrs.axis], outDtype: "int32" }));
    reduceKernels = { sum: sum2, max: max2, argmax: argmax2 };
  }
});

// ../../plugins/backend-webgpu/src/kernels/softmax.ts
function softmaxProgram(log2, shape, axis) {
  const len = shape[axis];
  const inner = sizeOfShape(shape.slice(axis + 1));
  const rows = sizeOfShape(shape) / Math.max(len, 1);
  const uniforms = new Uniforms().i32("rows", rows).i32("len", len).i32("inner", inner).f32("lowest", -Infinity);
  const write = log2 ? "f32(x[at]) - m - log(total)" : "exp(f32(x[at]) - m) / total";
  const wgsl = () => [
    bindings([floatBinding("x")], [floatBinding("y")], uniforms),
    `var<workgroup> part: array<f32, ${ROW_THREADS}>;
fn tree_max(t: u32) -> f32 {
  for (var s = ${ROW_THREADS / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { part[t] = max(part[t], part[t + s]); }
  }
  workgroupBarrier();
  let r = part[0];
  workgroupBarrier();
  return r;
}
fn tree_sum(t: u32) -> f32 {
  for (var s = ${ROW_THREADS / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { part[t] = part[t] + part[t + s]; }
  }
  workgroupBarrier();
  return part[0];
}
@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = i32(wid.x + wid.y * nwg.x);
  if (row >= u.rows) { return; }
  let base = (row / u.inner) * u.len * u.inner + row % u.inner;
  var m = u.lowest;
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) { m = max(m, f32(x[base + j * u.inner])); }
  part[t] = m;
  m = tree_max(t);
  var s = 0.0;
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) { s += exp(f32(x[base + j * u.inner]) - m); }
  part[t] = s;
  let total = tree_sum(t);
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) {
    let at = base + j * u.inner;
    y[at] = F(${write});
  }
}`
  ].join("\n");
  return { key: `softmax:${log2 ? "log" : "exp"}`, wgsl, uniforms, grid: grid(rows, 1) };
}
var ROW_THREADS, kernel2, softmaxKernels;
var init_softmax = __esm({
  "../../plugins/backend-webgpu/src/kernels/softmax.ts"() {
    "use strict";
    init_program();
    init_shape_utils();
    init_wgsl();
    init_run();
    ROW_THREADS = 64;
    kernel2 = (log2) => (ctx) => runOne(ctx, softmaxProgram(log2, ctx.inputs[0].shape, ctx.attrs.axis));
    softmaxKernels = { softmax: kernel2(false), logSoftmax: kernel2(true) };
  }
});

// ../../plugins/backend-webgpu/src/kernels/index.ts
var webgpuKernels;
var init_kernels = __esm({
  "../../plugins/backend-webgpu/src/kernels/index.ts"() {
    "use strict";
    init_adam();
    init_conv2();
    init_elementwise2();
    init_matmul();
    init_movement2();
    init_pool();
    init_reduce2();
    init_softmax();
    webgpuKernels = {
      ...elementwiseKernels,
      ...movementKernels,
      ...reduceKernels,
      ...matmulKernels,
      ...convKernels,
      ...poolKernels,
      ...softmaxKernels,
      ...adamKernels
    };
  }
});

// ../../plugins/backend-webgpu/src/tile-config.ts
function workgroupBytes(c) {
  return 2 * (tileRows(c) + tileCols(c)) * c.depth * 4;
}
function tileConfigProblem(c, limits) {
  const [tx, ty] = c.threads;
  const threads = tx * ty;
  const ints = [tx, ty, ...c.block, c.depth, c.targetWorkgroups];
  if (!ints.every((v) => Number.isInteger(v) && v > 0)) return "threads, block, depth and targetWorkgroups must be positive integers";
  if (c.block[0] % 4 !== 0 || c.block[1] % 4 !== 0) return `block rows and columns must each be a multiple of 4 (threads own quads of each), got ${c.block.join("\xD7")}`;
  if (c.depth % 4 !== 0) return `depth must be a multiple of 4 (vec4 loads along k), got ${c.depth}`;
  if (![tx, ty, ...c.block, c.depth].every((v) => (v & v - 1) === 0)) return `threads, block and depth must be powers of two, got ${tx}\xD7${ty}, ${c.block.join("\xD7")}, ${c.depth}`;
  if (tileRows(c) * c.depth % (4 * threads) !== 0 || tileCols(c) * c.depth % (4 * threads) !== 0) {
    return `a ${tileRows(c)}\xD7${tileCols(c)}\xD7${c.depth} tile does not split evenly over ${threads} threads in vec4s`;
  }
  if (!(c.directMaxK >= 0)) return `directMaxK must be \u2265 0, got ${c.directMaxK}`;
  if (threads > limits.maxComputeInvocationsPerWorkgroup) return `${threads} threads exceed maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup}`;
  if (tx > limits.maxComputeWorkgroupSizeX || ty > limits.maxComputeWorkgroupSizeY) {
    return `a ${tx}\xD7${ty} workgroup exceeds maxComputeWorkgroupSize ${limits.maxComputeWorkgroupSizeX}\xD7${limits.maxComputeWorkgroupSizeY}`;
  }
  if (workgroupBytes(c) > limits.maxComputeWorkgroupStorageSize) {
    return `${workgroupBytes(c)} bytes of workgroup memory exceed maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`;
  }
  return null;
}
function isSoftwareAdapter(info) {
  if (info.isFallbackAdapter) return true;
  const text = [info.vendor, info.architecture, info.device, info.description].join(" ").toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|warp|basic render/.test(text);
}
function chooseTileConfig(adapter2, override) {
  if (override !== void 0) {
    const config = typeof override === "string" ? TILE_CONFIGS[override] : { ...override, name: override.name ?? "custom" };
    if (!config) throw new ValueError(`webgpu: unknown tile configuration '${String(override)}'; choose ${Object.keys(TILE_CONFIGS).join(", ")} or pass a TileConfig`);
    const problem = tileConfigProblem(config, adapter2.limits);
    if (problem) throw new ValueError(`webgpu: tile configuration '${config.name}' cannot run on this adapter: ${problem}`);
    return config;
  }
  if (isSoftwareAdapter(adapter2.info) && !tileConfigProblem(TILE_CONFIGS.cpu, adapter2.limits)) return TILE_CONFIGS.cpu;
  const discrete = DISCRETE_VENDORS.test(`${adapter2.info.vendor} ${adapter2.info.description}`.toLowerCase());
  const ladder = discrete ? ["large", "default", "compat"] : ["default", "compat"];
  const fit = ladder.find((name) => !tileConfigProblem(TILE_CONFIGS[name], adapter2.limits));
  if (!fit) throw new ValueError(`webgpu: the adapter's compute limits are below every tile configuration (${tileConfigProblem(TILE_CONFIGS.compat, adapter2.limits)})`);
  return TILE_CONFIGS[fit];
}
var TILE_CONFIGS, tileRows, tileCols, DISCRETE_VENDORS;
var init_tile_config = __esm({
  "../../plugins/backend-webgpu/src/tile-config.ts"() {
    "use strict";
    init_src();
    TILE_CONFIGS = {
      large: { name: "large", threads: [16, 16], block: [8, 8], depth: 8, directMaxK: 32, vec4: true, targetWorkgroups: 256 },
      default: { name: "default", threads: [16, 16], block: [4, 4], depth: 16, directMaxK: 32, vec4: true, targetWorkgroups: 128 },
      compat: { name: "compat", threads: [8, 8], block: [4, 4], depth: 16, directMaxK: 32, vec4: true, targetWorkgroups: 64 },
      cpu: { name: "cpu", threads: [8, 8], block: [8, 4], depth: 16, directMaxK: Infinity, vec4: false, targetWorkgroups: 16 }
    };
    tileRows = (c) => c.threads[1] * c.block[0];
    tileCols = (c) => c.threads[0] * c.block[1];
    DISCRETE_VENDORS = /nvidia|amd|ati\b|advanced micro/;
  }
});

// ../../plugins/backend-webgpu/src/gpu-constants.ts
var BufferUsage, MapMode, ShaderStage;
var init_gpu_constants = __esm({
  "../../plugins/backend-webgpu/src/gpu-constants.ts"() {
    "use strict";
    BufferUsage = {
      MAP_READ: 1,
      MAP_WRITE: 2,
      COPY_SRC: 4,
      COPY_DST: 8,
      UNIFORM: 64,
      STORAGE: 128,
      QUERY_RESOLVE: 512
    };
    MapMode = { READ: 1 };
    ShaderStage = { COMPUTE: 4 };
  }
});

// ../../plugins/backend-webgpu/src/buffer-pool.ts
function bucketSize(bytes) {
  if (bytes <= 16) return 16;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const quarter = Math.max(octave / 4, 16);
  return Math.ceil(bytes / quarter) * quarter;
}
var TENSOR_USAGE, BufferPool;
var init_buffer_pool = __esm({
  "../../plugins/backend-webgpu/src/buffer-pool.ts"() {
    "use strict";
    init_gpu_constants();
    TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    BufferPool = class {
      constructor(device, maxFreeBytes) {
        this.device = device;
        this.maxFreeBytes = maxFreeBytes;
      }
      device;
      maxFreeBytes;
      /** Free buffers by bucket, newest first (the oldest is popped). */
      free = /* @__PURE__ */ new Map();
      /** When each buffer was made: its age. */
      born = /* @__PURE__ */ new WeakMap();
      used = 0;
      peak = 0;
      freeTotal = 0;
      created = 0;
      reused = 0;
      acquire(bytes) {
        const size2 = bucketSize(bytes);
        const list = this.free.get(size2);
        const pooled = list?.pop();
        this.used += size2;
        this.peak = Math.max(this.peak, this.used);
        if (pooled) {
          this.freeTotal -= size2;
          this.reused++;
          return pooled;
        }
        const buffer = this.device.createBuffer({ size: size2, usage: TENSOR_USAGE });
        this.born.set(buffer, this.created++);
        return buffer;
      }
      /**
       * Takes `buffer` back; false when keeping it would pass the cap. The caller then destroys it,
       * once no recorded-but-unsubmitted work reads it (see DeviceContext.release).
       */
      release(buffer) {
        this.used -= buffer.size;
        if (this.freeTotal + buffer.size > (this.maxFreeBytes ?? this.peak)) return false;
        let list = this.free.get(buffer.size);
        if (!list) this.free.set(buffer.size, list = []);
        list.splice(this.newerThan(list, buffer), 0, buffer);
        this.freeTotal += buffer.size;
        return true;
      }
      /** How many of `list`'s buffers are newer than `buffer` (where it goes to keep the order). */
      newerThan(list, buffer) {
        const age = this.born.get(buffer) ?? -1;
        let [lo, hi] = [0, list.length];
        while (lo < hi) {
          const mid = lo + hi >> 1;
          if (this.born.get(list[mid]) > age) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      }
      stats() {
        return { usedBytes: this.used, freeBytes: this.freeTotal, buffersCreated: this.created, reuses: this.reused };
      }
      /**
       * Empties the pool, handing back every pooled buffer for the caller to destroy (buffers in use
       * belong to their tensors). What it keeps from then on is measured from the bytes in use now,
       * not from an earlier, bigger workload's peak.
       */
      drain() {
        const buffers = [...this.free.values()].flat();
        this.free.clear();
        this.freeTotal = 0;
        this.peak = this.used;
        return buffers;
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/kernel-profiler.ts
var KernelProfiler;
var init_kernel_profiler = __esm({
  "../../plugins/backend-webgpu/src/kernel-profiler.ts"() {
    "use strict";
    init_gpu_constants();
    KernelProfiler = class {
      constructor(device, capacity) {
        this.device = device;
        this.capacity = capacity;
        this.queries = device.createQuerySet({ type: "timestamp", count: 2 * capacity });
      }
      device;
      capacity;
      queries;
      labels = [];
      pending = [];
      totals = /* @__PURE__ */ new Map();
      /** A compute pass for one dispatch of `label` (doing `flops`, where known), its start and end timed. */
      beginPass(encoder, label, flops = 0) {
        const slot = this.labels.push({ label, flops }) - 1;
        if (slot >= this.capacity) throw new Error(`webgpu profiler: more than ${this.capacity} dispatches in one batch`);
        return encoder.beginComputePass({ timestampWrites: { querySet: this.queries, beginningOfPassWriteIndex: 2 * slot, endOfPassWriteIndex: 2 * slot + 1 } });
      }
      /**
       * Records the copy of this batch's timestamps; the returned function, called once the batch
       * is submitted, reads them back into the totals.
       */
      resolve(encoder) {
        const labels = this.labels;
        this.labels = [];
        if (!labels.length) return () => void 0;
        const bytes = labels.length * 16;
        const resolved = this.device.createBuffer({ size: bytes, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
        const readback = this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
        encoder.resolveQuerySet(this.queries, 0, 2 * labels.length, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, readback, 0, bytes);
        return () => {
          resolved.destroy();
          this.pending.push(
            readback.mapAsync(MapMode.READ).then(() => {
              const stamps = new BigUint64Array(readback.getMappedRange());
              labels.forEach((launch, i) => this.add(launch, stamps[2 * i + 1] - stamps[2 * i]));
              readback.destroy();
            })
          );
        };
      }
      /** The kernels timed since the last call, longest total first; starts a new count. */
      async take() {
        await Promise.all(this.pending.splice(0));
        const times = [...this.totals].map(([kernel3, t]) => ({ kernel: kernel3, calls: t.calls, ms: Number(t.ns) / 1e6, ...t.flops ? { flops: t.flops } : {} }));
        this.totals.clear();
        return times.sort((a, b2) => b2.ms - a.ms);
      }
      destroy() {
        this.queries.destroy();
      }
      add({ label, flops }, ns) {
        const t = this.totals.get(label) ?? { calls: 0, ns: 0n, flops: 0 };
        this.totals.set(label, { calls: t.calls + 1, ns: t.ns + (ns > 0n ? ns : 0n), flops: t.flops + flops });
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/pipeline-cache.ts
function preamble(storage) {
  const [inputs, outputs] = storage.split(">");
  const type = (c) => c === "h" ? "f16" : "f32";
  const lines = [...inputs].map((c, i) => `alias F${i} = ${type(c)};`);
  lines.push(...[...outputs].map((c, i) => `alias FO${i} = ${type(c)};`));
  lines.push(`alias F = ${type(outputs.includes("h") ? "h" : "f")};`);
  if (storage.includes("h")) lines.unshift("enable f16;");
  return `${lines.join("\n")}
`;
}
var PipelineCache;
var init_pipeline_cache = __esm({
  "../../plugins/backend-webgpu/src/pipeline-cache.ts"() {
    "use strict";
    init_gpu_constants();
    PipelineCache = class {
      constructor(device, checkKeys) {
        this.device = device;
        this.sources = checkKeys ? /* @__PURE__ */ new Map() : null;
      }
      device;
      pipelines = /* @__PURE__ */ new Map();
      layouts = /* @__PURE__ */ new Map();
      /** In checking mode, the WGSL each key produced, to catch two shaders sharing one key. */
      sources;
      get size() {
        return this.pipelines.size;
      }
      /**
       * The pipeline for `program` with `storage`: per input binding then (after `>`) per output,
       * `h` where float32 values are kept as f16 and `f` where as f32. Shaders name float storage
       * `F0`, `F1`, … (inputs), `FO0`, `FO1`, … (outputs) and `F` (f16 if any output is: kernels
       * whose float outputs share one precision convert with it); the preamble says what each is.
       */
      pipeline(program, inputs, outputs, storage) {
        const key = `${program.key}|${inputs}|${outputs}|${storage}`;
        if (this.sources) this.checkKey(key, program.wgsl());
        let p = this.pipelines.get(key);
        if (!p) {
          const module = this.device.createShaderModule({ code: preamble(storage) + program.wgsl(), label: program.key });
          p = this.device.createComputePipeline({
            label: program.key,
            layout: this.layout(inputs, outputs).pipeline,
            compute: { module, entryPoint: "main" }
          });
          this.pipelines.set(key, p);
        }
        return p;
      }
      /** Bindings: inputs (read-only storage), then outputs (storage), then the uniform block. */
      layout(inputs, outputs) {
        const key = `${inputs}/${outputs}`;
        let l = this.layouts.get(key);
        if (!l) {
          const entries = [];
          for (let i = 0; i < inputs + outputs; i++) {
            const type = i < inputs ? "read-only-storage" : "storage";
            entries.push({ binding: i, visibility: ShaderStage.COMPUTE, buffer: { type } });
          }
          entries.push({ binding: inputs + outputs, visibility: ShaderStage.COMPUTE, buffer: { type: "uniform", hasDynamicOffset: true } });
          const group = this.device.createBindGroupLayout({ entries });
          l = { group, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [group] }) };
          this.layouts.set(key, l);
        }
        return l;
      }
      checkKey(key, wgsl) {
        const seen = this.sources.get(key);
        if (seen === void 0) this.sources.set(key, wgsl);
        else if (seen !== wgsl) throw new Error(`webgpu: program key '${key}' produced two different shaders`);
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/uniform-arena.ts
var CHUNK_BYTES, UniformArena;
var init_uniform_arena = __esm({
  "../../plugins/backend-webgpu/src/uniform-arena.ts"() {
    "use strict";
    init_gpu_constants();
    CHUNK_BYTES = 64 * 1024;
    UniformArena = class {
      constructor(device, alignment) {
        this.device = device;
        this.alignment = alignment;
      }
      device;
      alignment;
      active = [];
      spare = [];
      /** Copies `bytes` into the current batch's uniforms. */
      push(bytes) {
        let chunk = this.active[this.active.length - 1];
        if (!chunk || chunk.used + bytes.byteLength > CHUNK_BYTES) {
          chunk = this.spare.pop() ?? this.newChunk();
          this.active.push(chunk);
        }
        const offset = chunk.used;
        chunk.host.set(bytes, offset);
        chunk.used = Math.ceil((offset + bytes.byteLength) / this.alignment) * this.alignment;
        return { buffer: chunk.buffer, offset, size: bytes.byteLength };
      }
      /** Uploads this batch's uniforms; call right before submitting the batch. */
      upload(queue) {
        for (const c of this.active) queue.writeBuffer(c.buffer, 0, c.host, 0, c.used);
      }
      /** Makes the chunks reusable; later writes are queued after the submitted batch. */
      recycle() {
        for (const c of this.active) c.used = 0;
        this.spare.push(...this.active.splice(0));
      }
      destroy() {
        for (const c of [...this.active, ...this.spare]) c.buffer.destroy();
        this.active.length = 0;
        this.spare.length = 0;
      }
      newChunk() {
        const buffer = this.device.createBuffer({ size: CHUNK_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
        return { buffer, host: new Uint8Array(CHUNK_BYTES), used: 0 };
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/errors.ts
var WebGPUUnavailableError, DeviceLostError, GPUMemoryError, BufferTooLargeError, GPUValidationError, DisposedDataError;
var init_errors2 = __esm({
  "../../plugins/backend-webgpu/src/errors.ts"() {
    "use strict";
    init_src();
    WebGPUUnavailableError = class extends BackendError {
    };
    DeviceLostError = class extends BackendError {
      constructor(reason, detail) {
        super(`webgpu: the device was lost (${reason}${detail ? `: ${detail}` : ""}); its tensors cannot be used, start the backend again`);
        this.reason = reason;
      }
      reason;
    };
    GPUMemoryError = class extends BackendError {
    };
    BufferTooLargeError = class extends BackendError {
      constructor(bytes, limit, limitName) {
        super(`webgpu: a buffer of ${bytes} bytes exceeds the device's ${limitName} of ${limit} bytes`);
        this.bytes = bytes;
        this.limit = limit;
        this.limitName = limitName;
      }
      bytes;
      limit;
      limitName;
    };
    GPUValidationError = class extends BackendError {
    };
    DisposedDataError = class extends BackendError {
    };
  }
});

// ../../plugins/backend-webgpu/src/device-context.ts
function isZero(data) {
  if (data.byteOffset % 4) return false;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  return words.every((w2) => w2 === 0);
}
function padded(data) {
  const out = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  out.set(data);
  return out;
}
function typedError(error) {
  const kind2 = error.constructor?.name ?? "";
  if (kind2 === "GPUOutOfMemoryError") return new GPUMemoryError(`webgpu: out of device memory (${error.message})`);
  if (kind2 === "GPUValidationError") return new GPUValidationError(`webgpu: a command was rejected: ${error.message}`);
  return new BackendError(`webgpu: device error (${kind2 || "unknown"}): ${error.message}`);
}
var FIRST_BATCH, MAX_BIND_GROUPS, DeviceContext;
var init_device_context = __esm({
  "../../plugins/backend-webgpu/src/device-context.ts"() {
    "use strict";
    init_src();
    init_buffer_pool();
    init_kernel_profiler();
    init_gpu_constants();
    init_pipeline_cache();
    init_uniform_arena();
    init_errors2();
    init_index_faults();
    FIRST_BATCH = 8;
    MAX_BIND_GROUPS = 4096;
    DeviceContext = class {
      constructor(device, options = {}) {
        this.device = device;
        this.maxBatch = options.maxBatch ?? 64;
        this.batchLimit = Math.min(FIRST_BATCH, this.maxBatch);
        this.pool = new BufferPool(device, options.maxPooledBytes);
        this.pipelines = new PipelineCache(device, options.checkKeys ?? false);
        this.arena = new UniformArena(device, device.limits.minUniformBufferOffsetAlignment);
        this.profiler = options.profile ? new KernelProfiler(device, this.maxBatch) : null;
        this.faults = device.createBuffer({ size: FAULT_BYTES, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, label: "faults" });
        void device.lost.then((info) => {
          this.lost = { reason: info.reason ?? "unknown", message: info.message };
        });
        device.onuncapturederror = (event) => {
          const error = typedError(event.error);
          this.failure ??= error;
          if (error instanceof GPUMemoryError) this.emptyCache();
        };
      }
      device;
      pool;
      pipelines;
      /** With `profile`, the GPU time of every dispatch. */
      profiler;
      arena;
      maxBatch;
      encoder = null;
      pass = null;
      recorded = 0;
      /** Dispatches this batch may reach before it is submitted unasked: FIRST_BATCH after a wait, doubling to maxBatch. */
      batchLimit;
      /** Dispatches recorded since the context was made (tests count kernels with it). */
      dispatched = 0;
      /** Bind groups by their buffers (see `bindGroup`), most recently used last. */
      groups = /* @__PURE__ */ new Map();
      bufferIds = /* @__PURE__ */ new WeakMap();
      /** Buffers the recorded batch may use, destroyed once it is submitted (staging copies, pool overflow). */
      retired = [];
      lost = null;
      nextBufferId = 0;
      failure = null;
      /** The fault record index-checking kernels share (see index-faults.ts), and whether one ran since it was last read. */
      faults;
      faultsUnread = false;
      /** Lets go of every buffer the pool keeps for reuse (destroyed once no recorded work reads it). */
      emptyCache() {
        for (const b2 of this.pool.drain()) this.retire(b2);
      }
      /** Throws if the device is gone or an earlier command failed (reporting that once). */
      check() {
        if (this.lost) throw new DeviceLostError(this.lost.reason, this.lost.message);
        const failure = this.failure;
        if (failure) {
          this.failure = null;
          throw failure;
        }
      }
      get isLost() {
        return this.lost !== null;
      }
      /** Records `program`; `storage` says which float bindings hold f16 (see PipelineCache). */
      dispatch(program, inputs, outputs, storage) {
        this.check();
        if (program.checksIndices) {
          [outputs, storage, this.faultsUnread] = [[...outputs, this.faults], `${storage}f`, true];
        }
        const pipeline = this.pipelines.pipeline(program, inputs.length, outputs.length, storage);
        const uniforms = this.arena.push(program.uniforms.bytes());
        const group = this.bindGroup(inputs, outputs, uniforms);
        const pass = this.profiler ? this.pass = this.profiler.beginPass(this.commandEncoder(), `${program.key} [${program.grid.join(", ")}]`, program.flops) : this.pass ??= this.commandEncoder().beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group, [uniforms.offset]);
        pass.dispatchWorkgroups(...program.grid);
        if (this.profiler) this.endPass();
        this.dispatched++;
        if (++this.recorded >= this.batchLimit) {
          this.flush();
          this.batchLimit = Math.min(2 * this.batchLimit, this.maxBatch);
        }
      }
      /** After the host waited for the queue: the GPU is idle, so the next batch is a small one. */
      drained() {
        this.batchLimit = Math.min(FIRST_BATCH, this.maxBatch);
      }
      /**
       * Fills `target` with `data`. With work still recorded, a direct queue write would run before
       * it (and clobber a pooled buffer that work still reads), so the copy joins the batch instead.
       */
      upload(target, data) {
        this.check();
        const bytes = data.byteLength % 4 ? padded(data) : data;
        if (!this.encoder) {
          this.device.queue.writeBuffer(target, 0, bytes);
          return;
        }
        if (isZero(bytes)) {
          this.endPass();
          this.encoder.clearBuffer(target, 0, target.size);
          return;
        }
        const staging = this.device.createBuffer({ size: target.size, usage: BufferUsage.COPY_SRC, mappedAtCreation: true });
        new Uint8Array(staging.getMappedRange()).set(bytes);
        staging.unmap();
        this.endPass();
        this.encoder.copyBufferToBuffer(staging, 0, target, 0, target.size);
        this.retired.push(staging);
      }
      /**
       * Returns a tensor's buffer to the pool, or destroys it when the pool is full. Destroying it at
       * once would fail the next submit if recorded work still reads it (a validation error, seen on a
       * real GPU at batch 32, where released bytes pass the cap), so that waits for the submit.
       */
      release(buffer) {
        if (!this.pool.release(buffer)) this.retire(buffer);
      }
      /** Destroys `buffer` once no recorded-but-unsubmitted work can read it. */
      retire(buffer) {
        if (this.encoder) this.retired.push(buffer);
        else buffer.destroy();
      }
      /**
       * `bytes` of `source` (none with null), once the work recorded before has run. With it comes
       * the fault record when an index-checking kernel ran since it was last read (then cleared): a
       * fault it holds is thrown instead.
       */
      async download(source, bytes) {
        this.check();
        const size2 = source ? Math.ceil(bytes / 4) * 4 : 0;
        const faults = this.faultsUnread ? FAULT_BYTES : 0;
        const readback = this.device.createBuffer({ size: size2 + faults, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
        this.endPass();
        const encoder = this.commandEncoder();
        if (source) encoder.copyBufferToBuffer(source, 0, readback, 0, size2);
        if (faults) {
          encoder.copyBufferToBuffer(this.faults, 0, readback, size2, faults);
          encoder.clearBuffer(this.faults);
          this.faultsUnread = false;
        }
        this.flush();
        try {
          await readback.mapAsync(MapMode.READ);
          this.drained();
        } catch (err) {
          this.check();
          throw new BackendError(`webgpu: reading a buffer back failed: ${err.message}`);
        }
        const mapped = readback.getMappedRange();
        const copy2 = mapped.slice(0, source ? bytes : 0);
        const fault = faults ? faultError(new Uint32Array(mapped.slice(size2, size2 + faults))) : null;
        readback.unmap();
        readback.destroy();
        this.check();
        if (fault) throw fault;
        return copy2;
      }
      /** Throws a fault an index-checking kernel recorded since the last read, once that work has run. */
      async checkFaults() {
        if (this.faultsUnread) await this.download(null, 0);
      }
      /** Submits everything recorded so far. */
      flush() {
        if (!this.encoder) return;
        this.endPass();
        this.arena.upload(this.device.queue);
        const readTimes = this.profiler?.resolve(this.encoder);
        this.device.queue.submit([this.encoder.finish()]);
        readTimes?.();
        this.arena.recycle();
        for (const b2 of this.retired) b2.destroy();
        this.retired = [];
        this.encoder = null;
        this.recorded = 0;
      }
      /** Resolves when every submitted command has run; throws what went wrong meanwhile. */
      async fence() {
        this.check();
        this.flush();
        await this.device.queue.onSubmittedWorkDone();
        this.drained();
        this.check();
      }
      destroy() {
        this.flush();
        for (const b2 of this.pool.drain()) b2.destroy();
        this.arena.destroy();
        this.profiler?.destroy();
        this.device.destroy();
      }
      commandEncoder() {
        return this.encoder ??= this.device.createCommandEncoder();
      }
      /** Bind groups held for reuse. */
      get bindGroups() {
        return this.groups.size;
      }
      /**
       * The bind group of these storage buffers and this uniform chunk, made once and reused: with
       * pooled buffers a model's every step binds the same buffers, and making a bind group is the
       * costliest call of a dispatch. The uniform slice's offset is dynamic, given at dispatch. A
       * destroyed buffer's groups are never asked for again (a new buffer gets a new id) and age out.
       */
      bindGroup(inputs, outputs, uniforms) {
        const buffers = [...inputs, ...outputs, uniforms.buffer];
        const key = `${inputs.length}:${buffers.map((b2) => this.bufferId(b2)).join(",")}:${uniforms.size}`;
        let group = this.groups.get(key);
        if (group) this.groups.delete(key);
        else {
          const entries = [...inputs, ...outputs].map((buffer, binding) => ({ binding, resource: { buffer } }));
          entries.push({ binding: entries.length, resource: { buffer: uniforms.buffer, offset: 0, size: uniforms.size } });
          group = this.device.createBindGroup({ layout: this.pipelines.layout(inputs.length, outputs.length).group, entries });
          if (this.groups.size >= MAX_BIND_GROUPS) this.groups.delete(this.groups.keys().next().value);
        }
        this.groups.set(key, group);
        return group;
      }
      bufferId(buffer) {
        let id = this.bufferIds.get(buffer);
        if (id === void 0) this.bufferIds.set(buffer, id = this.nextBufferId++);
        return id;
      }
      endPass() {
        this.pass?.end();
        this.pass = null;
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/gpu-data.ts
var GPUData;
var init_gpu_data = __esm({
  "../../plugins/backend-webgpu/src/gpu-data.ts"() {
    "use strict";
    GPUData = class {
      constructor(buffer, size2, pending = null, half = false) {
        this.buffer = buffer;
        this.size = size2;
        this.pending = pending;
        this.half = half;
      }
      buffer;
      size;
      pending;
      half;
      /** The engine still holds it: cleared by `disposeData`. */
      held = true;
      /** Pending ops that read it; its buffer outlives the engine's hold until they have run. */
      readers = 0;
      /** A one-element tensor's value as the host wrote it: fused kernels take it as a uniform. */
      hostValue;
      /** Those bytes, until a kernel binds it (then it gets a buffer). */
      unsent = null;
      /** A pending float32 result to keep as f32 under f16 storage (see precision.ts). */
      wide = false;
      /** A GEMM that will write this storage when something needs it. */
      gemm = null;
      /** Freed: the engine let go and no pending op or GEMM still reads it. */
      get disposed() {
        return !this.held && this.readers === 0;
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/fusion.ts
function writtenOf(group, root) {
  const readsWithin = (data) => group.ops.reduce((n, d) => n + d.pending.inputs.filter((i) => i.data === data).length, 0);
  return group.ops.filter((d) => d === root || d.held || d.readers > readsWithin(d));
}
function gemmWritten(gemm2, ops2) {
  const reads = ops2.reduce((n, d) => n + d.pending.inputs.filter((i) => i.data === gemm2).length, 0);
  return gemm2.held || gemm2.readers > reads;
}
function leafIndex(leaves, input) {
  return leaves.findIndex((l) => l.data === input.data && shapesEqual(l.shape, input.shape));
}
function dtypeOf(group, data) {
  for (const d of group.ops) for (const input of d.pending.inputs) if (input.data === data) return input.dtype;
  throw new Error("unreachable: a leaf no op reads");
}
var MAX_OPS, Fuser;
var init_fusion = __esm({
  "../../plugins/backend-webgpu/src/fusion.ts"() {
    "use strict";
    init_src();
    init_gpu_data();
    init_map_program();
    init_shape_utils();
    init_wgsl();
    MAX_OPS = 16;
    Fuser = class {
      constructor(host) {
        this.host = host;
      }
      host;
      /**
       * Records `op`, cutting the pending chain behind it where one kernel could not hold it: too
       * many ops, or more inputs and outputs than storage bindings (the outputs as they stand now;
       * if more are needed by the time it runs, `realize` splits the kernel).
       */
      defer(op) {
        for (const input of op.inputs) input.data.readers++;
        const data = new GPUData(null, sizeOfShape(op.shape), op);
        for (let group = this.group(data); !this.fits(group, data); group = this.group(data)) {
          const fused = op.inputs.map((i) => i.data).filter((d) => d.pending && group.ops.includes(d));
          if (!fused.length) break;
          const sizes = new Map(fused.map((d) => [d, this.group(d).ops.length]));
          this.realize(fused.sort((a, b2) => sizes.get(b2) - sizes.get(a))[0]);
        }
        return data;
      }
      /** Records a GEMM writing `size` elements, to run when needed (see `realize`). */
      deferGemm(size2, gemm2) {
        for (const input of gemm2.inputs) input.readers++;
        const data = new GPUData(null, size2);
        data.gemm = gemm2;
        return data;
      }
      /** Runs `data`'s pending op and those fused with it; afterwards `data` has a buffer. */
      realize(data) {
        if (data.gemm) return this.runGemm(data, []);
        if (!data.pending) return;
        const first = this.group(data);
        for (const other of first.others) this.realize(other);
        for (const input of first.source?.gemm?.inputs ?? []) this.realize(input);
        const group = this.group(data);
        if (!this.fits(group, data)) {
          for (const input of data.pending.inputs) this.realize(input.data);
          this.realize(data);
          return;
        }
        const written = writtenOf(group, data);
        const outputs = written.map((d) => this.host.alloc(d.size, d.pending.dtype, d.wide));
        const spec = this.mapSpec(group, written);
        if (group.source) this.runGemm(group.source, group.ops, { epilogue: mapEpilogue(spec), inputs: group.leaves.map((l) => l.data) }, outputs);
        else this.host.dispatch(multiMapProgram(spec), group.leaves.map((l) => l.data), outputs);
        const ops2 = group.ops.map((d) => d.pending);
        group.ops.forEach((d) => d.pending = null);
        written.forEach((d, k) => {
          d.buffer = outputs[k].buffer;
          d.half = outputs[k].half;
        });
        for (const op of ops2) for (const input of op.inputs) this.unread(input.data);
      }
      /**
       * Records the pending GEMM of `data`, writing its result where the engine still needs it, and
       * with `fused` also the ops in its store, into `outputs` (after the result's own storage).
       */
      runGemm(data, ops2, fused, outputs = []) {
        const gemm2 = data.gemm;
        data.gemm = null;
        const own = fused && !gemmWritten(data, ops2) ? [] : [this.host.alloc(data.size, "float32")];
        gemm2.record([...own, ...outputs], fused);
        if (own[0]) {
          data.buffer = own[0].buffer;
          data.half = own[0].half;
        }
        for (const input of gemm2.inputs) this.unread(input);
      }
      fits(group, root) {
        const gemm2 = group.source ? group.source.gemm.inputs.length + (gemmWritten(group.source, group.ops) ? 1 : 0) : 0;
        return group.ops.length <= MAX_OPS && group.leaves.length + writtenOf(group, root).length + gemm2 <= this.host.maxBindings;
      }
      /** The engine let go of `data`: frees it now, or once the pending ops reading it have run. */
      release(data) {
        data.held = false;
        this.freeIfUnused(data);
      }
      unread(data) {
        data.readers--;
        this.freeIfUnused(data);
      }
      freeIfUnused(data) {
        if (data.held || data.readers > 0) return;
        if (data.buffer) this.host.recycle(data.buffer);
        data.buffer = null;
        const [op, gemm2] = [data.pending, data.gemm];
        data.pending = null;
        data.gemm = null;
        if (op) for (const input of op.inputs) this.unread(input.data);
        if (gemm2) for (const input of gemm2.inputs) this.unread(input);
      }
      /** The pending ops of `root`'s shape reachable from it, in dependency order, and their inputs. */
      group(root) {
        const shape = root.pending.shape;
        const ops2 = [];
        const leaves = [];
        const others = /* @__PURE__ */ new Set();
        const constants = /* @__PURE__ */ new Set();
        const visit = (d) => {
          if (ops2.includes(d)) return;
          for (const input of d.pending.inputs) {
            const p = input.data.pending;
            if (p && shapesEqual(p.shape, shape) && shapesEqual(input.shape, shape)) visit(input.data);
            else if (input.data.hostValue !== void 0) constants.add(input.data);
            else {
              if (p) others.add(input.data);
              if (leafIndex(leaves, input) < 0) leaves.push({ data: input.data, shape: input.shape });
            }
          }
          ops2.push(d);
        };
        visit(root);
        const size2 = sizeOfShape(shape);
        const only = (data) => leaves.filter((l) => l.data === data).length === 1;
        const source = leaves.find((l) => l.data.gemm && l.data.size === size2 && shapesEqual(l.shape, shape) && only(l.data))?.data ?? null;
        for (const l of leaves) if (l.data.gemm && l.data !== source) others.add(l.data);
        return { ops: ops2, leaves: leaves.filter((l) => l.data !== source), constants: [...constants], others: [...others], source };
      }
      /**
       * One thread per element: reads each leaf once (`v{k}`), computes every op in order (`n{j}`),
       * writes the ops in `written`. The key spells out the ops and their wiring. With a source
       * GEMM, its sum is `gv`, and its result is the first output when it is written.
       */
      mapSpec(group, written) {
        const shape = group.ops[0].pending.shape;
        const refOf = (op, k) => {
          const input = op.inputs[k];
          const j = group.ops.indexOf(input.data);
          if (j >= 0 && shapesEqual(input.shape, shape)) return `n${j}`;
          if (input.data === group.source) return "gv";
          if (input.data.hostValue !== void 0) return `u.c${group.constants.indexOf(input.data)}`;
          return `v${leafIndex(group.leaves, input)}`;
        };
        const lines = group.ops.map((d, j) => {
          const op = d.pending;
          return { name: `${op.name}:${wgslType(op.dtype)}(${op.inputs.map((_, k) => refOf(op, k)).join(",")})`, code: `  let n${j} = ${op.expr(op.inputs.map((_, k) => refOf(op, k)))};` };
        });
        const values = [...group.source && gemmWritten(group.source, group.ops) ? [{ ref: "gv", dtype: "float32" }] : []];
        values.push(...written.map((d) => ({ ref: `n${group.ops.indexOf(d)}`, dtype: d.pending.dtype })));
        const stores = values.map((w2, k) => `  y${k}[i] = ${w2.dtype === "float32" ? `FO${k}(${w2.ref})` : store(w2.dtype, w2.ref)};`);
        const helpers = new Set(group.ops.flatMap((d) => d.pending.helpers));
        return {
          name: `fused[${lines.map((l) => l.name).join(";")}]>${values.map((w2) => w2.ref).join(",")}`,
          inputs: group.leaves.map((l) => ({ shape: l.shape, dtype: dtypeOf(group, l.data) })),
          scalars: group.constants.map((d) => ({ dtype: dtypeOf(group, d), value: d.hostValue })),
          shape,
          outputs: values.map((w2) => w2.dtype),
          body: () => [...lines.map((l) => l.code), ...stores].join("\n"),
          helpers: [...helpers].join("\n")
        };
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/half.ts
function halfBits(value) {
  f32[0] = value;
  const x = u32[0];
  const sign2 = x >>> 16 & 32768;
  const exp2 = x >>> 23 & 255;
  const mant = x & 8388607;
  if (exp2 === 255) return sign2 | 31744 | (mant ? 512 | mant >>> 13 : 0);
  const e = exp2 - 112;
  if (e >= 31) return sign2 | 31744;
  if (e <= 0) {
    if (e < -10) return sign2;
    const m = mant | 8388608;
    const shift = 14 - e;
    return sign2 | roundShift(m, shift);
  }
  return sign2 | (e << 10) + roundShift(mant, 13);
}
function roundShift(m, shift) {
  const kept = m >>> shift;
  const rest = m & (1 << shift) - 1;
  const half = 1 << shift - 1;
  return kept + (rest > half || rest === half && (kept & 1) === 1 ? 1 : 0);
}
function halfValue(bits) {
  const sign2 = bits & 32768 ? -1 : 1;
  const exp2 = bits >>> 10 & 31;
  const mant = bits & 1023;
  if (exp2 === 0) return sign2 * mant * 2 ** -24;
  if (exp2 === 31) return mant ? NaN : sign2 * Infinity;
  return sign2 * (1 + mant / 1024) * 2 ** (exp2 - 15);
}
function toHalves(values) {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfBits(values[i]);
  return out;
}
function fromHalves(bits) {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfValue(bits[i]);
  return out;
}
var f32, u32;
var init_half = __esm({
  "../../plugins/backend-webgpu/src/half.ts"() {
    "use strict";
    f32 = new Float32Array(1);
    u32 = new Uint32Array(f32.buffer);
  }
});

// ../../plugins/backend-webgpu/src/precision.ts
function keepsF32(op) {
  if (op.dtype !== "float32") return false;
  const [a, b2] = op.inputs;
  if (op.name === "mul" && a && b2 && a.data === b2.data && shapesEqual(a.shape, b2.shape)) return true;
  if (op.name === "pow" && b2?.data.hostValue !== void 0 && Math.abs(b2.data.hostValue) > 1) return true;
  return op.inputs.some((i) => i.dtype === "float32" && shapesEqual(i.shape, op.shape) && (i.data.wide || i.data.buffer !== null && !i.data.half));
}
var init_precision = __esm({
  "../../plugins/backend-webgpu/src/precision.ts"() {
    "use strict";
    init_src();
  }
});

// ../../plugins/backend-webgpu/src/webgpu-backend.ts
function adapterFacts(adapter2) {
  const i = adapter2.info;
  const legacy = adapter2.isFallbackAdapter;
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter ?? legacy ?? false };
}
function describeAdapter(info) {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unnamed adapter";
}
async function gpuOrThrow(options) {
  if (options.gpu) return options.gpu;
  const found2 = await findGPU();
  if (!found2.gpu) throw new WebGPUUnavailableError(`webgpu: ${found2.reason}`);
  return found2.gpu;
}
async function requestAdapter(gpu2, options) {
  const adapter2 = await gpu2.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
  if (!adapter2) throw new WebGPUUnavailableError("webgpu: the WebGPU implementation offers no adapter (no usable GPU or driver)");
  return adapter2;
}
function assertLive(data) {
  if (data.disposed) throw new DisposedDataError("webgpu: this tensor storage was already disposed");
}
function toDeviceBytes(values) {
  const words = values instanceof Uint8Array ? Uint32Array.from(values) : values;
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}
function fromDeviceBytes(bytes, dtype) {
  if (dtype === "float32") return new Float32Array(bytes);
  if (dtype === "int32") return new Int32Array(bytes);
  return Uint8Array.from(new Uint32Array(bytes));
}
var RAISED_LIMITS, WebGPUBackend;
var init_webgpu_backend = __esm({
  "../../plugins/backend-webgpu/src/webgpu-backend.ts"() {
    "use strict";
    init_src();
    init_device_context();
    init_errors2();
    init_fusion();
    init_half();
    init_precision();
    init_gpu_data();
    init_gpu_source();
    init_shape_utils();
    init_tile_config();
    RAISED_LIMITS = [
      "maxBufferSize",
      "maxStorageBufferBindingSize",
      "maxComputeWorkgroupStorageSize",
      "maxStorageBuffersPerShaderStage",
      "maxComputeInvocationsPerWorkgroup",
      "maxComputeWorkgroupSizeX",
      "maxComputeWorkgroupSizeY"
    ];
    WebGPUBackend = class _WebGPUBackend {
      constructor(context, info, gpu2 = null, name = "webgpu") {
        this.context = context;
        this.info = info;
        this.gpu = gpu2;
        this.name = name;
        this.fuser = new Fuser({
          maxBindings: context.device.limits.maxStorageBuffersPerShaderStage,
          alloc: (size2, dtype, full2) => this.alloc(size2, dtype, full2),
          recycle: (buffer) => {
            if (!context.isLost) context.release(buffer);
          },
          dispatch: (program, inputs, outputs) => this.dispatch(program, inputs, outputs)
        });
      }
      context;
      info;
      gpu;
      name;
      /** Pending elementwise ops and the lifetime of storage they read. */
      fuser;
      /** Requests an adapter and a device; throws WebGPUUnavailableError when there is none. */
      static async create(options = {}) {
        const gpu2 = options.adapter ? options.gpu ?? null : await gpuOrThrow(options);
        const adapter2 = options.adapter ?? await requestAdapter(gpu2, options);
        const requiredLimits = {};
        for (const name of RAISED_LIMITS) requiredLimits[name] = adapter2.limits[name];
        const facts = { limits: adapter2.limits, info: adapterFacts(adapter2) };
        const tiles = chooseTileConfig(facts, options.tiles);
        const storage = options.storage ?? "f32";
        if (storage === "f16" && !adapter2.features.has("shader-f16")) {
          throw new WebGPUUnavailableError(`webgpu: storage 'f16' needs the adapter feature shader-f16, which ${describeAdapter(adapter2.info)} does not offer`);
        }
        if (options.profile && !adapter2.features.has("timestamp-query")) {
          throw new WebGPUUnavailableError(`webgpu: profile needs the adapter feature timestamp-query, which ${describeAdapter(adapter2.info)} does not offer`);
        }
        const requiredFeatures = [...storage === "f16" ? ["shader-f16"] : [], ...options.profile ? ["timestamp-query"] : []];
        const device = await adapter2.requestDevice({ requiredLimits, requiredFeatures, label: "fovea" });
        const info = { adapter: describeAdapter(adapter2.info), software: isSoftwareAdapter(facts.info), tiles, fusion: options.fusion ?? true, storage };
        return new _WebGPUBackend(new DeviceContext(device, options), info, gpu2, options.name);
      }
      get device() {
        return this.context.device;
      }
      get tiles() {
        return this.info.tiles;
      }
      /**
       * One-element values (the scalars in `mul(x, 0.5)`, an optimizer's hyperparameters) stay on
       * the host until a kernel binds them: fused kernels take them as uniforms, so most never
       * need a buffer, nor an upload (a staging buffer each, while work is recorded). They stay
       * f32 under f16 storage too: an eps of 1e-8 is 0 in f16.
       */
      write(values, spec) {
        const size2 = sizeOfShape(spec.shape);
        if (size2 === 1) {
          this.context.check();
          const data2 = new GPUData(null, 1);
          data2.hostValue = Number(values[0]);
          data2.unsent = toDeviceBytes(values.slice());
          return data2;
        }
        const data = this.alloc(size2, spec.dtype);
        if (size2 > 0) this.context.upload(data.buffer, toDeviceBytes(data.half ? toHalves(values) : values));
        return data;
      }
      async read(data, spec) {
        assertLive(data);
        if (data.size === 0) return fromDeviceBytes(new ArrayBuffer(0), spec.dtype);
        this.fuser.realize(data);
        this.context.check();
        const bytes = data.unsent ? data.unsent.slice().buffer : await this.context.download(data.buffer, data.size * (data.half ? 2 : 4));
        return data.half ? fromHalves(new Uint16Array(bytes)) : fromDeviceBytes(bytes, spec.dtype);
      }
      disposeData(data) {
        if (data.held) this.fuser.release(data);
      }
      memoryInfo() {
        const pool = this.context.pool.stats();
        return {
          gpuBytesInUse: pool.usedBytes,
          gpuBytesPooled: pool.freeBytes,
          gpuBuffersCreated: pool.buffersCreated,
          gpuBufferReuses: pool.reuses,
          pipelines: this.context.pipelines.size,
          bindGroups: this.context.bindGroups
        };
      }
      /**
       * GPU time per kernel since the last call, longest first (a backend created with `profile`).
       * Waits for the work recorded so far to finish.
       */
      async kernelTimes() {
        const profiler = this.context.profiler;
        if (!profiler) throw new ValueError(`webgpu: kernelTimes() needs a backend created with { profile: true }`);
        await this.context.fence();
        return profiler.take();
      }
      async sync() {
        await this.context.fence();
        await this.context.checkFaults();
      }
      /**
       * Frees the buffers the pool keeps for reuse (PyTorch's `torch.cuda.empty_cache()`): between
       * workloads of different shapes, where the last one's pooled buffers would otherwise sit beside
       * the next one's (on a device with little memory, an out-of-memory error with the memory unused
       * in the pool). Tensors keep their storage.
       */
      emptyCache() {
        this.context.emptyCache();
      }
      dispose() {
        this.context.destroy();
      }
      /**
       * Fresh storage for `size` elements of `dtype` (contents undefined until a kernel writes
       * them): float32 as f16 with f16 storage, unless `full`.
       */
      alloc(size2, dtype, full2 = false) {
        this.context.check();
        const half = !full2 && this.halves(dtype);
        return new GPUData(this.context.pool.acquire(this.checkedBytes(size2, half ? 2 : 4)), size2, null, half);
      }
      /**
       * Storage for an elementwise op's result: pending (run later, fused with the elementwise ops
       * around it) when fusion is on, else computed now by `run`. Size limits are checked at once
       * either way, so a too-large result fails where it is asked for.
       */
      elementwise(op, run2) {
        this.context.check();
        const full2 = this.halves(op.dtype) && keepsF32(op);
        this.checkedBytes(sizeOfShape(op.shape), this.halves(op.dtype) && !full2 ? 2 : 4);
        if (!this.info.fusion || sizeOfShape(op.shape) === 0) return run2(full2)[0];
        const data = this.fuser.defer(op);
        data.wide = full2;
        return data;
      }
      /**
       * Storage for a GEMM's `size`-element float32 result: recorded by `record` now, or with fusion
       * on when something needs it (then the elementwise ops reading it may run in its store).
       */
      gemm(size2, inputs, record) {
        this.context.check();
        this.checkedBytes(size2, this.halves("float32") ? 2 : 4);
        if (this.info.fusion && size2 > 0) return this.fuser.deferGemm(size2, { inputs, record });
        const y = this.alloc(size2, "float32");
        if (size2 > 0) record([y]);
        return y;
      }
      /** Records `program` reading `inputs` and writing `outputs`; pending inputs are computed first. */
      run(program, inputs, outputs) {
        for (const d of inputs) {
          assertLive(d);
          this.fuser.realize(d);
          if (d.unsent) this.send(d);
        }
        this.dispatch(program, inputs, outputs);
      }
      dispatch(program, inputs, outputs) {
        const storage = `${inputs.map((d) => d.half ? "h" : "f").join("")}>${outputs.map((d) => d.half ? "h" : "f").join("")}`;
        this.context.dispatch(
          program,
          inputs.map((d) => d.buffer),
          outputs.map((d) => d.buffer),
          storage
        );
      }
      /** Uploads a one-element value the host wrote (see `write`) into a buffer of its own. */
      send(data) {
        data.buffer = this.context.pool.acquire(this.checkedBytes(1, data.half ? 2 : 4));
        this.context.upload(data.buffer, data.unsent);
        data.unsent = null;
      }
      /** Whether new `dtype` storage is binary16. */
      halves(dtype) {
        return dtype === "float32" && this.info.storage === "f16";
      }
      /** Bytes for `size` elements, or the typed error when one buffer cannot hold them. */
      checkedBytes(size2, perElement) {
        const bytes = Math.max(size2, 1) * perElement;
        const limits = this.device.limits;
        if (bytes > limits.maxBufferSize) throw new BufferTooLargeError(bytes, limits.maxBufferSize, "maxBufferSize");
        if (bytes > limits.maxStorageBufferBindingSize) {
          throw new BufferTooLargeError(bytes, limits.maxStorageBufferBindingSize, "maxStorageBufferBindingSize");
        }
        return bytes;
      }
    };
  }
});

// ../../plugins/backend-webgpu/src/register.ts
var SOFTWARE_PRIORITY, registration, found, adapter;
var init_register = __esm({
  async "../../plugins/backend-webgpu/src/register.ts"() {
    "use strict";
    init_src();
    init_gpu_source();
    init_kernels();
    init_tile_config();
    init_webgpu_backend();
    SOFTWARE_PRIORITY = 0;
    found = await findGPU();
    adapter = found.gpu ? await found.gpu.requestAdapter() : null;
    if (!found.gpu) {
      registration = { registered: false, reason: found.reason };
    } else if (!adapter) {
      registration = { registered: false, reason: `${found.origin} offers no adapter (no usable GPU or driver)` };
    } else {
      const gpu2 = found.gpu;
      registerKernels("webgpu", webgpuKernels);
      const software = isSoftwareAdapter(adapterFacts(adapter));
      registerBackend("webgpu", () => WebGPUBackend.create({ gpu: gpu2 }), { priority: software ? SOFTWARE_PRIORITY : 3 });
      registration = { registered: true, adapter: describeAdapter(adapter.info), software };
      if (software) console.info(`[fovea] backend 'webgpu' registered below js and wasm: ${registration.adapter} is a software adapter`);
    }
    if (!registration.registered) console.info(`[fovea] backend 'webgpu' not registered: ${registration.reason}`);
  }
});

// ../../plugins/backend-webgpu/src/index.ts
var src_exports2 = {};
__export(src_exports2, {
  BufferTooLargeError: () => BufferTooLargeError,
  DeviceLostError: () => DeviceLostError,
  DisposedDataError: () => DisposedDataError,
  GPUData: () => GPUData,
  GPUMemoryError: () => GPUMemoryError,
  GPUValidationError: () => GPUValidationError,
  TILE_CONFIGS: () => TILE_CONFIGS,
  WebGPUBackend: () => WebGPUBackend,
  WebGPUUnavailableError: () => WebGPUUnavailableError,
  chooseTileConfig: () => chooseTileConfig,
  findGPU: () => findGPU,
  registration: () => registration,
  webgpuKernels: () => webgpuKernels
});
var init_src2 = __esm({
  async "../../plugins/backend-webgpu/src/index.ts"() {
    "use strict";
    await init_register();
    await init_register();
    init_webgpu_backend();
    init_tile_config();
    init_kernels();
    init_gpu_data();
    init_gpu_source();
    init_errors2();
  }
});

// ../../packages/nn/src/state-dict.ts
function entriesOf(input) {
  const map = input instanceof Map ? input : new Map(Object.entries(input));
  for (const [key, value] of map) {
    if (!(value instanceof Tensor)) throw new ValueError(`loadStateDict: the value of '${key}' is not a Tensor`);
    value.assertLive("loadStateDict");
  }
  return map;
}
function loadInto(own, input, options) {
  const given = entriesOf(input);
  const report = {
    missing: [...own.keys()].filter((k) => !given.has(k)),
    unexpected: [...given.keys()].filter((k) => !own.has(k)),
    mismatched: []
  };
  for (const [key, target] of own) {
    const value = given.get(key);
    if (value && !shapesEqual(value.shape, target.shape)) report.mismatched.push({ key, expected: target.shape, received: value.shape });
  }
  const strict = options.strict ?? true;
  if (report.mismatched.length || strict && (report.missing.length || report.unexpected.length)) throw new StateDictError(report);
  noGrad(
    () => tidy(() => {
      for (const [key, target] of own) {
        const value = given.get(key);
        if (value) target.assign(value.dtype === target.dtype ? value : cast(value, target.dtype));
      }
    })
  );
  return report;
}
var fmt, StateDictError;
var init_state_dict = __esm({
  "../../packages/nn/src/state-dict.ts"() {
    "use strict";
    init_src();
    fmt = (shape) => `[${shape.join(", ")}]`;
    StateDictError = class extends FoveaError {
      constructor(report) {
        const parts = [];
        if (report.missing.length) parts.push(`missing keys: ${report.missing.join(", ")}`);
        if (report.unexpected.length) parts.push(`unexpected keys: ${report.unexpected.join(", ")}`);
        if (report.mismatched.length) {
          parts.push(`mis-shaped: ${report.mismatched.map((m) => `${m.key} (expected ${fmt(m.expected)}, got ${fmt(m.received)})`).join(", ")}`);
        }
        super(`loadStateDict: ${parts.join("; ")}; nothing was loaded`);
        this.report = report;
      }
      report;
    };
  }
});

// ../../packages/nn/src/module.ts
var Module;
var init_module = __esm({
  "../../packages/nn/src/module.ts"() {
    "use strict";
    init_src();
    init_state_dict();
    Module = class _Module {
      /** Training mode (dropout active, batch norm on batch statistics); see `train()` / `eval()`. */
      training = true;
      #parameters = /* @__PURE__ */ new Map();
      #buffers = /* @__PURE__ */ new Map();
      #children = /* @__PURE__ */ new Map();
      #hooks = /* @__PURE__ */ new Set();
      /** Runs `forward`, then the forward hooks. */
      call(...inputs) {
        const output = this.forward(...inputs);
        for (const hook of this.#hooks) hook(this, inputs, output);
        return output;
      }
      /** Adds a hook run after every `call`; returns the function that removes it. */
      registerForwardHook(hook) {
        this.#hooks.add(hook);
        return () => this.#hooks.delete(hook);
      }
      /** Registers (or replaces) a trainable tensor; it requires grad and outlives `tidy` scopes. */
      registerParameter(name, value) {
        this.#claim(name, this.#parameters);
        if (!value.isLeaf) throw new ValueError(`parameter '${name}' must be a leaf tensor (not computed from tensors that require grad); pass value.detach()`);
        this.#parameters.set(name, keep(value.requiresGrad_(true)));
        return value;
      }
      /** Registers (or replaces) a state tensor that is saved but not trained (running statistics). */
      registerBuffer(name, value) {
        this.#claim(name, this.#buffers);
        this.#buffers.set(name, keep(value));
        return value;
      }
      /** Registers (or replaces) a child module under `name`; returns it, for field initialisers. */
      register(name, module) {
        if (!(module instanceof _Module)) throw new ValueError(`register('${name}'): expected a Module, got ${String(module)}`);
        this.#claim(name, this.#children);
        this.#children.set(name, module);
        return module;
      }
      /** Checks a name is usable and not taken by another kind of member. */
      #claim(name, kind2) {
        if (typeof name !== "string" || name === "" || name.includes(".")) {
          throw new ValueError(`module member names must be non-empty and contain no '.', got ${JSON.stringify(name)}`);
        }
        for (const other of [this.#parameters, this.#buffers, this.#children]) {
          if (other !== kind2 && other.has(name)) throw new ValueError(`'${name}' is already registered on ${this.constructor.name} as another kind of member`);
        }
      }
      /** Direct children with their names. */
      namedChildren() {
        return [...this.#children];
      }
      children() {
        return [...this.#children.values()];
      }
      /** This module and every descendant, depth first, with dotted paths ('' for this one). */
      namedModules(prefix = "") {
        const out = [[prefix, this]];
        for (const [name, child] of this.#children) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
        return out;
      }
      modules() {
        return this.namedModules().map(([, m]) => m);
      }
      /** Own members of one kind, then those of descendants, with dotted names; shared tensors once. */
      #namedMembers(pick, recurse, unique) {
        const seen = /* @__PURE__ */ new Set();
        const out = [];
        const modules = recurse ? this.namedModules() : [["", this]];
        for (const [path, module] of modules) {
          for (const [name, t] of pick(module)) {
            if (unique && seen.has(t)) continue;
            seen.add(t);
            out.push([path ? `${path}.${name}` : name, t]);
          }
        }
        return out;
      }
      namedParameters(recurse = true) {
        return this.#namedMembers((m) => m.#parameters, recurse, true);
      }
      parameters(recurse = true) {
        return this.namedParameters(recurse).map(([, t]) => t);
      }
      namedBuffers(recurse = true) {
        return this.#namedMembers((m) => m.#buffers, recurse, true);
      }
      buffers(recurse = true) {
        return this.namedBuffers(recurse).map(([, t]) => t);
      }
      /**
       * Parameters and buffers by `state_dict` name, in PyTorch's order (each module's parameters,
       * then its buffers, then its children). The values are the live tensors, not copies.
       */
      stateDict() {
        return new Map(this.#namedMembers((m) => new Map([...m.#parameters, ...m.#buffers]), true, false));
      }
      /**
       * Copies tensors into this module's parameters and buffers by name. Mis-shaped entries always
       * throw; missing and unexpected ones throw too when `strict` (the default). On error nothing
       * is changed, and the `StateDictError` lists every offending key.
       */
      loadStateDict(stateDict, options = {}) {
        return loadInto(this.stateDict(), stateDict, options);
      }
      /** Sets training mode on this module and every descendant. */
      train(mode = true) {
        for (const m of this.modules()) m.training = mode;
        return this;
      }
      eval() {
        return this.train(false);
      }
      /** Turns gradient tracking of every parameter on or off (off freezes them). */
      requiresGrad_(flag = true) {
        for (const p of this.parameters()) p.requiresGrad_(flag);
        return this;
      }
      /** Calls `fn` on every descendant, then on this module (as PyTorch's `apply`, e.g. for init). */
      apply(fn) {
        for (const child of this.#children.values()) child.apply(fn);
        fn(this);
        return this;
      }
      /** Drops the gradients of every parameter. */
      zeroGrad() {
        zeroGrad(this.parameters());
      }
      /** The configuration `toString` shows, e.g. `{inFeatures: 784, outFeatures: 100}` (PyTorch's extra_repr). */
      extraRepr() {
        return {};
      }
      /** PyTorch-style description of the module tree: `Sequential(\n  (0): Linear(inFeatures=784, …)\n)`. */
      toString() {
        const config = Object.entries(this.extraRepr()).filter(([, v]) => v !== void 0).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`).join(", ");
        const children = this.namedChildren().map(([name, m]) => `  (${name}): ${m.toString().replace(/\n/g, "\n  ")}`);
        return `${this.constructor.name}(${config}${children.length ? `
${children.join("\n")}
` : ""})`;
      }
      /** Node's `console.log(model)` shows the same tree. */
      [/* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom")]() {
        return this.toString();
      }
      /** Frees every parameter and buffer; the module cannot be used afterwards. */
      dispose() {
        for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
      }
    };
  }
});

// ../../packages/nn/src/containers.ts
var ModuleSequence, Sequential;
var init_containers = __esm({
  "../../packages/nn/src/containers.ts"() {
    "use strict";
    init_module();
    ModuleSequence = class extends Module {
      /** Appends a module under the next index. */
      append(module) {
        this.register(String(this.length), module);
        return this;
      }
      get length() {
        return this.children().length;
      }
      at(index) {
        return this.children().at(index);
      }
      [Symbol.iterator]() {
        return this.children()[Symbol.iterator]();
      }
    };
    Sequential = class extends ModuleSequence {
      constructor(...modules) {
        super();
        const [first] = modules;
        if (modules.length === 1 && !(first instanceof Module)) {
          for (const [name, m] of Object.entries(first)) this.register(name, m);
        } else for (const m of modules) this.append(m);
      }
      forward(x) {
        return this.children().reduce((y, m) => m.call(y), x);
      }
    };
  }
});

// ../../packages/nn/src/init.ts
var init_exports = {};
__export(init_exports, {
  calculateGain: () => calculateGain,
  constant: () => constant,
  defaultLayerInit: () => defaultLayerInit,
  fans: () => fans,
  kaimingNormal: () => kaimingNormal,
  kaimingUniform: () => kaimingUniform,
  normal: () => normal,
  ones: () => ones2,
  skipInit: () => skipInit,
  uniform: () => uniform,
  xavierNormal: () => xavierNormal,
  xavierUniform: () => xavierUniform,
  zeros: () => zeros2
});
function calculateGain(nonlinearity, negativeSlope = 0.01) {
  switch (nonlinearity) {
    case "linear":
    case "conv2d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu":
      return Math.sqrt(2 / (1 + negativeSlope ** 2));
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}
function fans(t) {
  if (t.ndim < 2) throw new ValueError(`fan in and fan out need a tensor with at least 2 dims, got [${t.shape.join(", ")}]`);
  const receptive = t.shape.slice(2).reduce((a, b2) => a * b2, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}
function fill(t, make) {
  noGrad(() => tidy(() => void t.assign(make())));
  return t;
}
function uniform(t, low = 0, high = 1, options = {}) {
  return fill(t, () => rand(t.shape, { low, high, ...options }));
}
function normal(t, mean2 = 0, std = 1, options = {}) {
  return fill(t, () => randn(t.shape, { mean: mean2, std, ...options }));
}
function constant(t, value) {
  return fill(t, () => full(t.shape, value, { dtype: t.dtype }));
}
function zeros2(t) {
  return constant(t, 0);
}
function ones2(t) {
  return constant(t, 1);
}
function xavierUniform(t, options = {}) {
  const bound = Math.sqrt(3) * xavierStd(t, options.gain);
  return uniform(t, -bound, bound, options);
}
function xavierNormal(t, options = {}) {
  return normal(t, 0, xavierStd(t, options.gain), options);
}
function xavierStd(t, gain = 1) {
  const { fanIn, fanOut } = fans(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}
function kaimingUniform(t, options = {}) {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, options);
}
function kaimingNormal(t, options = {}) {
  return normal(t, 0, kaimingStd(t, options), options);
}
function kaimingStd(t, options) {
  const { fanIn, fanOut } = fans(t);
  const fan = (options.mode ?? "fanIn") === "fanIn" ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? "leakyRelu", options.a ?? 0) / Math.sqrt(fan);
}
function defaultLayerInit(weight, bias) {
  if (skipping > 0) return;
  const bound = 1 / Math.sqrt(fans(weight).fanIn);
  uniform(weight, -bound, bound);
  if (bias) uniform(bias, -bound, bound);
}
function skipInit(make) {
  skipping++;
  try {
    return make();
  } finally {
    skipping--;
  }
}
var skipping;
var init_init = __esm({
  "../../packages/nn/src/init.ts"() {
    "use strict";
    init_src();
    skipping = 0;
  }
});

// ../../packages/nn/src/layers/linear.ts
function requireSize(value, layer, name) {
  if (!Number.isInteger(value) || value < 1) throw new ValueError(`${layer}: ${name} must be a positive integer, got ${value}`);
  return value;
}
var Linear;
var init_linear = __esm({
  "../../packages/nn/src/layers/linear.ts"() {
    "use strict";
    init_src();
    init_init();
    init_module();
    Linear = class extends Module {
      constructor(inFeatures, outFeatures, options = {}) {
        super();
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        requireSize(inFeatures, "Linear", "inFeatures");
        requireSize(outFeatures, "Linear", "outFeatures");
        this.weight = this.registerParameter("weight", zeros([outFeatures, inFeatures]));
        this.bias = options.bias === false ? null : this.registerParameter("bias", zeros([outFeatures]));
        defaultLayerInit(this.weight, this.bias);
      }
      inFeatures;
      outFeatures;
      weight;
      bias;
      extraRepr() {
        return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
      }
      forward(x) {
        return linear(x, this.weight, this.bias);
      }
    };
  }
});

// ../../packages/nn/src/layers/conv.ts
var pair2, Conv2d;
var init_conv3 = __esm({
  "../../packages/nn/src/layers/conv.ts"() {
    "use strict";
    init_src();
    init_init();
    init_module();
    pair2 = (v) => typeof v === "number" ? [v, v] : [v[0], v[1]];
    Conv2d = class extends Module {
      constructor(inChannels, outChannels, kernelSize, options = {}) {
        super();
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = pair2(kernelSize);
        this.stride = options.stride ?? 1;
        this.padding = options.padding ?? 0;
        this.dilation = options.dilation ?? 1;
        this.groups = options.groups ?? 1;
        const g = this.groups;
        if (!Number.isInteger(g) || g < 1 || inChannels % g || outChannels % g) {
          throw new ValueError(`Conv2d: groups=${g} must be a positive integer dividing inChannels ${inChannels} and outChannels ${outChannels}`);
        }
        if ([inChannels, outChannels, ...this.kernelSize].some((n) => !Number.isInteger(n) || n < 1)) {
          throw new ValueError(`Conv2d: channels and kernel size must be positive integers, got ${inChannels}, ${outChannels}, [${this.kernelSize}]`);
        }
        this.weight = this.registerParameter("weight", zeros([outChannels, inChannels / g, ...this.kernelSize]));
        this.bias = options.bias === false ? null : this.registerParameter("bias", zeros([outChannels]));
        defaultLayerInit(this.weight, this.bias);
      }
      inChannels;
      outChannels;
      weight;
      bias;
      kernelSize;
      stride;
      padding;
      dilation;
      groups;
      extraRepr() {
        const { stride, padding, dilation, groups } = this;
        return { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride, padding, dilation, groups, bias: this.bias !== null };
      }
      forward(x) {
        return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
      }
    };
  }
});

// ../../packages/nn/src/layers/fused-conv.ts
var FusedConv2d;
var init_fused_conv = __esm({
  "../../packages/nn/src/layers/fused-conv.ts"() {
    "use strict";
    init_src();
    init_conv3();
    FusedConv2d = class extends Conv2d {
      activation;
      constructor(inChannels, outChannels, kernelSize, options = {}) {
        super(inChannels, outChannels, kernelSize, options);
        this.activation = options.activation ?? "none";
        if (!FUSED_ACTIVATIONS.includes(this.activation)) {
          throw new ValueError(`FusedConv2d: unknown activation ${JSON.stringify(this.activation)}; expected one of ${FUSED_ACTIVATIONS.join(", ")}`);
        }
      }
      extraRepr() {
        return { ...super.extraRepr(), activation: this.activation };
      }
      /** `residual`, when given, must have the output's shape; it is added before the activation. */
      forward(x, residual) {
        const { stride, padding, dilation, groups, activation } = this;
        return fusedConv2d(x, this.weight, this.bias, { stride, padding, dilation, groups, activation, residual: residual ?? null });
      }
    };
  }
});

// ../../packages/nn/src/layers/activation.ts
var ReLU;
var init_activation = __esm({
  "../../packages/nn/src/layers/activation.ts"() {
    "use strict";
    init_src();
    init_module();
    ReLU = class extends Module {
      forward(x) {
        return relu(x);
      }
    };
  }
});

// ../../packages/nn/src/layers/batchnorm.ts
var BatchNorm, BatchNorm2d;
var init_batchnorm = __esm({
  "../../packages/nn/src/layers/batchnorm.ts"() {
    "use strict";
    init_src();
    init_module();
    BatchNorm = class extends Module {
      constructor(numFeatures, options = {}) {
        super();
        this.numFeatures = numFeatures;
        if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new ValueError(`${new.target.name}: numFeatures must be a positive integer, got ${numFeatures}`);
        this.eps = options.eps ?? 1e-5;
        this.momentum = options.momentum ?? 0.1;
        const affine = options.affine ?? true;
        const track = options.trackRunningStats ?? true;
        this.weight = affine ? this.registerParameter("weight", ones([numFeatures])) : null;
        this.bias = affine ? this.registerParameter("bias", zeros([numFeatures])) : null;
        this.runningMean = track ? this.registerBuffer("running_mean", zeros([numFeatures])) : null;
        this.runningVar = track ? this.registerBuffer("running_var", ones([numFeatures])) : null;
        this.numBatchesTracked = track ? this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int32" })) : null;
      }
      numFeatures;
      weight;
      bias;
      runningMean;
      runningVar;
      numBatchesTracked;
      eps;
      momentum;
      extraRepr() {
        return { numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: this.weight !== null, trackRunningStats: this.runningMean !== null };
      }
      forward(x) {
        if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
          const want = this.ranks.map((r) => `${r}-D`).join(" or ");
          throw new ShapeError(`${this.constructor.name}(${this.numFeatures}): expected ${want} input with ${this.numFeatures} channels in dim 1, got [${x.shape.join(", ")}]`);
        }
        const counter = this.numBatchesTracked;
        if (this.training && counter) noGrad(() => tidy(() => void counter.assign(add(counter, 1))));
        return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
          training: this.training || !this.runningMean,
          momentum: this.momentum,
          eps: this.eps
        });
      }
    };
    BatchNorm2d = class extends BatchNorm {
      ranks = [4];
    };
  }
});

// ../../packages/nn/src/layers/reshape.ts
var Identity;
var init_reshape = __esm({
  "../../packages/nn/src/layers/reshape.ts"() {
    "use strict";
    init_module();
    Identity = class extends Module {
      forward(x) {
        return x;
      }
    };
  }
});

// ../../packages/nn/src/fusion.ts
function requireEval(fn, modules) {
  const training = modules.find((m) => m.training);
  if (training) {
    throw new ValueError(`${fn}: fusion is for inference only, but ${training.constructor.name} is in training mode (batch norm would still use batch statistics); call .eval() first`);
  }
}
function foldBn(conv2, bn) {
  const { runningMean: mean2, runningVar: variance2 } = bn;
  if (!mean2 || !variance2) throw new ValueError(`cannot fold ${bn} into a convolution: without running statistics it normalises by each batch's`);
  if (bn.numFeatures !== conv2.outChannels) throw new ShapeError(`cannot fold BatchNorm2d(${bn.numFeatures}) into a convolution with ${conv2.outChannels} output channels`);
  return noGrad(
    () => tidy(() => {
      const invStd = div(1, sqrt(add(variance2, bn.eps)));
      const scale = bn.weight ? mul(bn.weight, invStd) : invStd;
      const weight = mul(conv2.weight, reshape(scale, [-1, 1, 1, 1]));
      const shifted = mul(conv2.bias ? sub(conv2.bias, mean2) : neg(mean2), scale);
      return [weight, bn.bias ? add(shifted, bn.bias) : shifted];
    })
  );
}
function rebuild(conv2, weight, bias, make) {
  const { stride, padding, dilation, groups } = conv2;
  const made = skipInit(() => make({ stride, padding, dilation, groups, bias: bias !== null }));
  noGrad(() => {
    made.weight.assign(weight);
    if (bias) made.bias.assign(bias);
  });
  return made.eval();
}
function foldInto(conv2, bn, make) {
  if (!bn) return rebuild(conv2, conv2.weight, conv2.bias, make);
  const [weight, bias] = foldBn(conv2, bn);
  try {
    return rebuild(conv2, weight, bias, make);
  } finally {
    dispose([weight, bias]);
  }
}
function fuseConv(conv2, { bn = null, activation = "none" } = {}) {
  requireEval("fuseConv", bn ? [conv2, bn] : [conv2]);
  return foldInto(conv2, bn, (options) => new FusedConv2d(conv2.inChannels, conv2.outChannels, conv2.kernelSize, { ...options, activation }));
}
function convRun([conv2, next, after]) {
  if (conv2?.constructor !== Conv2d) return null;
  const bn = next?.constructor === BatchNorm2d && next.runningMean ? next : null;
  const relu2 = (bn ? after : next)?.constructor === ReLU;
  if (!bn && !relu2) return null;
  return { bn, activation: relu2 ? "relu" : "none", length: 1 + Number(bn !== null) + Number(relu2) };
}
function fuseSequential(seq) {
  const out = new Sequential();
  const children = seq.namedChildren();
  for (let i = 0; i < children.length; ) {
    const [name, m] = children[i];
    const run2 = convRun(children.slice(i, i + 3).map(([, c]) => c));
    if (!run2) {
      out.register(name, fuseModule(m));
      i++;
      continue;
    }
    out.register(name, fuseConv(m, run2));
    for (const [absorbed] of children.slice(i + 1, i + run2.length)) out.register(absorbed, new Identity());
    i += run2.length;
  }
  return out.eval();
}
function fuseModule(m) {
  if (m.fuse) return m.fuse().eval();
  if (m.constructor === Sequential) return fuseSequential(m);
  return m;
}
function fuseForInference(model) {
  requireEval("fuseForInference", model.modules());
  return fuseModule(model);
}
var init_fusion2 = __esm({
  "../../packages/nn/src/fusion.ts"() {
    "use strict";
    init_src();
    init_containers();
    init_init();
    init_activation();
    init_batchnorm();
    init_conv3();
    init_fused_conv();
    init_reshape();
  }
});

// ../../packages/nn/src/layers/pooling.ts
var MaxPool2d;
var init_pooling = __esm({
  "../../packages/nn/src/layers/pooling.ts"() {
    "use strict";
    init_src();
    init_module();
    MaxPool2d = class extends Module {
      constructor(kernelSize, options = {}) {
        super();
        this.kernelSize = kernelSize;
        this.options = options;
      }
      kernelSize;
      options;
      extraRepr() {
        return { kernelSize: this.kernelSize, ...this.options };
      }
      forward(x) {
        return maxPool2d(x, { kernelSize: this.kernelSize, ...this.options });
      }
    };
  }
});

// ../../packages/nn/src/index.ts
var init_src3 = __esm({
  "../../packages/nn/src/index.ts"() {
    "use strict";
    init_module();
    init_containers();
    init_linear();
    init_conv3();
    init_fusion2();
    init_pooling();
    init_batchnorm();
    init_init();
  }
});

// ../../packages/vision/src/classifier.ts
function childOf(module, name, path) {
  const child = module.namedChildren().find(([n]) => n === name)?.[1];
  if (!child) throw new ValueError(`no module at '${path}' (missing '${name}')`);
  return child;
}
var InputTooSmallError, ImageClassifier;
var init_classifier = __esm({
  "../../packages/vision/src/classifier.ts"() {
    "use strict";
    init_src();
    init_src3();
    InputTooSmallError = class extends ShapeError {
      constructor(model, minimum2, received) {
        super(`${model}: input ${received[2]}x${received[3]} is too small; this network needs at least ${minimum2}x${minimum2} (input [${received.join(", ")}])`);
        this.model = model;
        this.minimum = minimum2;
        this.received = received;
      }
      model;
      minimum;
      received;
    };
    ImageClassifier = class extends Module {
      constructor(numClasses) {
        super();
        this.numClasses = numClasses;
        if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`numClasses must be a positive integer, got ${numClasses}`);
      }
      numClasses;
      /** Channels of the input images. */
      inChannels = 3;
      /** Exact input size, for networks whose head fixes it (LeNet-5); null when any size ≥ the minimum works. */
      fixedInputSize = null;
      /** Checks the input is NCHW with the right channels and large enough, then runs the backbone. */
      forwardFeatures(x) {
        this.checkInput(x);
        return this.backbone(x);
      }
      /** Class scores from features (the head; overridden where the head's output needs reshaping). */
      forwardHead(features) {
        return this.head.call(features);
      }
      forward(x) {
        return this.forwardHead(this.forwardFeatures(x));
      }
      checkInput(x) {
        const [, c, h, w2] = x.shape;
        if (x.ndim !== 4 || c !== this.inChannels) {
          throw new ShapeError(`${this.arch}: expected NCHW input with ${this.inChannels} channels, got [${x.shape.join(", ")}]`);
        }
        if (this.fixedInputSize !== null && (h !== this.fixedInputSize || w2 !== this.fixedInputSize)) {
          throw new ShapeError(`${this.arch}: expected ${this.fixedInputSize}x${this.fixedInputSize} input, got [${x.shape.join(", ")}]`);
        }
        if (h < this.minInputSize || w2 < this.minInputSize) throw new InputTooSmallError(this.arch, this.minInputSize, x.shape);
      }
      /** The head module (looked up by path, so a replaced head is used at once). */
      get head() {
        return this.headPath.split(".").reduce((m, name) => childOf(m, name, this.headPath), this);
      }
      /**
       * Swaps the head for a new one with `numClasses` outputs, freshly initialised and trainable,
       * in the old one's training mode; the backbone is untouched and the old head's tensors are
       * freed. Returns the new head.
       */
      replaceHead(numClasses) {
        if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`${this.arch}: numClasses must be a positive integer, got ${numClasses}`);
        const path = this.headPath.split(".");
        const parent = path.slice(0, -1).reduce((m, name) => childOf(m, name, this.headPath), this);
        const old = this.head;
        const head = parent.register(path.at(-1), this.makeHead(numClasses));
        head.train(this.training);
        old.dispose();
        this.numClasses = numClasses;
        return head;
      }
      /** Parameters of the head(s) — overridden where there are several (GoogLeNet's auxiliary heads). */
      headParameters() {
        return this.head.parameters();
      }
      /** Every parameter outside the head(s). */
      backboneParameters() {
        const head = new Set(this.headParameters());
        return this.parameters().filter((p) => !head.has(p));
      }
    };
  }
});

// ../../packages/vision/src/index.ts
var init_src4 = __esm({
  "../../packages/vision/src/index.ts"() {
    "use strict";
    init_classifier();
  }
});

// ../../plugins/models-resnet/src/fused-block.ts
var FusedResidualBlock;
var init_fused_block = __esm({
  "../../plugins/models-resnet/src/fused-block.ts"() {
    "use strict";
    init_src();
    init_src3();
    FusedResidualBlock = class extends Module {
      constructor(preNorm, convs, downsample) {
        super();
        this.preNorm = preNorm;
        this.convs = convs;
        this.downsample = downsample;
        if (preNorm) this.register("bn1", preNorm);
        convs.forEach((conv2, i) => this.register(`conv${i + 1}`, conv2));
        if (downsample) this.register("downsample", downsample);
      }
      preNorm;
      convs;
      downsample;
      forward(x) {
        const pre = this.preNorm ? relu(this.preNorm.call(x)) : x;
        const shortcut = this.downsample ? this.downsample.call(pre) : x;
        const y = this.convs.slice(0, -1).reduce((h, conv2) => conv2.call(h), pre);
        return this.convs.at(-1).call(y, shortcut);
      }
    };
  }
});

// ../../plugins/models-resnet/src/block.ts
function branchConvs(s) {
  const out = s.planes * EXPANSION[s.kind];
  if (s.kind === "basic") {
    if (s.groups !== 1 || s.widthPerGroup !== 64) throw new ValueError(`basic residual blocks need groups=1 and widthPerGroup=64, got ${s.groups} and ${s.widthPerGroup}`);
    return [
      { inC: s.inChannels, outC: s.planes, k: 3, stride: s.stride, groups: 1 },
      { inC: s.planes, outC: s.planes, k: 3, stride: 1, groups: 1 }
    ];
  }
  const width = Math.floor(s.planes * s.widthPerGroup / 64) * s.groups;
  return [
    { inC: s.inChannels, outC: width, k: 1, stride: 1, groups: 1 },
    { inC: width, outC: width, k: 3, stride: s.stride, groups: s.groups },
    { inC: width, outC: out, k: 1, stride: 1, groups: 1 }
  ];
}
var EXPANSION, ResidualBlock;
var init_block = __esm({
  "../../plugins/models-resnet/src/block.ts"() {
    "use strict";
    init_src();
    init_src3();
    init_fused_block();
    EXPANSION = { basic: 1, bottleneck: 4 };
    ResidualBlock = class extends Module {
      constructor(spec) {
        super();
        this.spec = spec;
        if (!(spec.survival > 0 && spec.survival <= 1)) throw new ValueError(`residual block survival probability must be in (0, 1], got ${spec.survival}`);
        branchConvs(spec).forEach((c, i) => {
          const conv2 = new Conv2d(c.inC, c.outC, c.k, { stride: c.stride, padding: (c.k - 1) / 2, groups: c.groups, bias: false });
          const norm2 = new BatchNorm2d(spec.preact ? c.inC : c.outC);
          if (spec.preact) this.norms.push(this.register(`bn${i + 1}`, norm2));
          this.convs.push(this.register(`conv${i + 1}`, conv2));
          if (!spec.preact) this.norms.push(this.register(`bn${i + 1}`, norm2));
        });
        this.outChannels = spec.planes * EXPANSION[spec.kind];
        const project = spec.stride !== 1 || spec.inChannels !== this.outChannels;
        const shortcut = () => new Conv2d(spec.inChannels, this.outChannels, 1, { stride: spec.stride, bias: false });
        this.downsample = !project ? null : this.register("downsample", spec.preact ? new Sequential(shortcut()) : new Sequential(shortcut(), new BatchNorm2d(this.outChannels)));
      }
      spec;
      convs = [];
      norms = [];
      downsample;
      outChannels;
      /** How many training forwards skipped the branch (for inspection and tests). */
      dropped = 0;
      /** The last BN of the branch (torchvision's `zero_init_residual` zeroes its scale). */
      get lastNorm() {
        return this.norms.at(-1);
      }
      /**
       * The block for inference (`fuseForInference`): each conv with the BN after it folded in and
       * the ReLU after that fused — in pre-activation blocks the BN after a conv is the next conv's
       * pre-activation — and the last conv taking the shortcut as its residual.
       */
      fuse() {
        const { preact } = this.spec;
        const last = this.convs.length - 1;
        const convs = this.convs.map((conv2, i) => {
          if (!preact) return fuseConv(conv2, { bn: this.norms[i], activation: "relu" });
          return i < last ? fuseConv(conv2, { bn: this.norms[i + 1], activation: "relu" }) : fuseConv(conv2);
        });
        return new FusedResidualBlock(preact ? this.norms[0] : null, convs, this.downsample && fuseForInference(this.downsample));
      }
      forward(x) {
        const { preact, survival } = this.spec;
        const skip = this.training && survival < 1 && (this.spec.generator ?? defaultGenerator()).uniform() >= survival;
        if (skip) this.dropped++;
        const pre = preact && (!skip || this.downsample) ? relu(this.norms[0].call(x)) : x;
        const shortcut = this.downsample ? this.downsample.call(pre) : x;
        if (skip) return preact ? shortcut : relu(shortcut);
        let y = pre;
        this.convs.forEach((conv2, i) => {
          if (preact) {
            y = conv2.call(i === 0 ? y : relu(this.norms[i].call(y)));
          } else {
            y = this.norms[i].call(conv2.call(y));
            if (i < this.convs.length - 1) y = relu(y);
          }
        });
        if (this.training && survival < 1) y = div(y, survival);
        const out = add(y, shortcut);
        return preact ? out : relu(out);
      }
    };
  }
});

// ../../plugins/models-resnet/src/resnet.ts
function buildParts(arch, config, options) {
  const preact = config.preact ?? false;
  const total = config.layers.reduce((a, b2) => a + b2, 0);
  const last = options.stochasticDepth ?? 1;
  if (!(last > 0 && last <= 1)) throw new ValueError(`${arch}: stochasticDepth must be a survival probability in (0, 1], got ${last}`);
  if (config.layers.some((n) => !Number.isInteger(n) || n < 1)) throw new ValueError(`${arch}: layers must be positive integers, got [${config.layers}]`);
  const base = config.basePlanes ?? 64;
  const blocks = [];
  let channels = base;
  const layers = config.layers.map((n, stage) => {
    const planes = base * 2 ** stage;
    const stageBlocks = Array.from({ length: n }, (_, j) => {
      const block = new ResidualBlock({
        kind: config.block,
        inChannels: channels,
        planes,
        stride: stage > 0 && j === 0 ? 2 : 1,
        groups: config.groups ?? 1,
        widthPerGroup: config.widthPerGroup ?? 64,
        preact,
        survival: 1 - (blocks.length + 1) / total * (1 - last),
        ...options.generator ? { generator: options.generator } : {}
      });
      channels = block.outChannels;
      blocks.push(block);
      return block;
    });
    return new Sequential(...stageBlocks);
  });
  return {
    // The stem; pre-activation nets leave its BN–ReLU to their first block.
    conv1: new Conv2d(3, base, 7, { stride: 2, padding: 3, bias: false }),
    bn1: preact ? null : new BatchNorm2d(base),
    maxpool: new MaxPool2d(3, { stride: 2, padding: 1 }),
    layers,
    bnFinal: preact ? new BatchNorm2d(channels) : null,
    features: channels,
    blocks
  };
}
var ResNetBase, ResNet, FusedResNet, depths, RESNETS;
var init_resnet = __esm({
  "../../plugins/models-resnet/src/resnet.ts"() {
    "use strict";
    init_src();
    init_src3();
    init_src4();
    init_block();
    ResNetBase = class extends ImageClassifier {
      constructor(arch, numClasses, parts) {
        super(numClasses);
        this.arch = arch;
        this.#parts = parts;
        this.register("conv1", parts.conv1);
        if (parts.bn1) this.register("bn1", parts.bn1);
        this.register("maxpool", parts.maxpool);
        parts.layers.forEach((layer, i) => this.register(`layer${i + 1}`, layer));
        if (parts.bnFinal) this.register("bn_final", parts.bnFinal);
      }
      arch;
      headPath = "fc";
      minInputSize = 1;
      #parts;
      get parts() {
        return this.#parts;
      }
      makeHead(numClasses) {
        return new Linear(this.#parts.features, numClasses);
      }
      backbone(x) {
        const { conv1, bn1, maxpool, layers, bnFinal } = this.#parts;
        let y = conv1.call(x);
        if (bn1) y = relu(bn1.call(y));
        y = layers.reduce((h, layer) => layer.call(h), maxpool.call(y));
        if (bnFinal) y = relu(bnFinal.call(y));
        return flatten(adaptiveAvgPool2d(y, 1), 1);
      }
    };
    ResNet = class extends ResNetBase {
      constructor(arch, config, options = {}) {
        const { blocks, ...parts } = buildParts(arch, config, options);
        super(arch, options.numClasses ?? 1e3, parts);
        this.config = config;
        this.blocks = blocks;
        this.register("fc", this.makeHead(this.numClasses));
        if (options.initWeights ?? true) this.#init(options.zeroInitResidual ?? false);
      }
      config;
      blocks;
      #init(zeroInitResidual) {
        for (const m of this.modules()) {
          if (m instanceof Conv2d) init_exports.kaimingNormal(m.weight, { mode: "fanOut", nonlinearity: "relu" });
        }
        if (zeroInitResidual) for (const b2 of this.blocks) init_exports.zeros(b2.lastNorm.weight);
      }
      /**
       * The network for inference (`fuseForInference`): the stem's BN and ReLU fused into its conv,
       * every block fused, the pooling, final BN and head shared.
       */
      fuse() {
        const { conv1, bn1, layers } = this.parts;
        const stem = bn1 ? fuseConv(conv1, { bn: bn1, activation: "relu" }) : conv1;
        const fused = { ...this.parts, conv1: stem, bn1: null, layers: layers.map((layer) => fuseForInference(layer)) };
        return new FusedResNet(this.arch, this.numClasses, fused, this.head);
      }
    };
    FusedResNet = class extends ResNetBase {
      constructor(arch, numClasses, parts, head) {
        super(arch, numClasses, parts);
        this.register("fc", head);
      }
    };
    depths = {
      18: ["basic", [2, 2, 2, 2]],
      34: ["basic", [3, 4, 6, 3]],
      50: ["bottleneck", [3, 4, 6, 3]],
      101: ["bottleneck", [3, 4, 23, 3]],
      152: ["bottleneck", [3, 8, 36, 3]]
    };
    RESNETS = {};
    for (const [depth, [block, layers]] of Object.entries(depths)) {
      RESNETS[`resnet${depth}`] = { block, layers };
      RESNETS[`preact_resnet${depth}`] = { block, layers, preact: true };
    }
    for (const depth of [50, 101]) RESNETS[`wide_resnet${depth}_2`] = { block: "bottleneck", layers: depths[depth][1], widthPerGroup: 128 };
    for (const [depth, groups, width] of [[50, 32, 4], [101, 32, 8], [101, 64, 4]]) {
      RESNETS[`resnext${depth}_${groups}x${width}d`] = { block: "bottleneck", layers: depths[depth][1], groups, widthPerGroup: width };
    }
  }
});

// ../../plugins/models-resnet/src/index.ts
var init_src5 = __esm({
  "../../plugins/models-resnet/src/index.ts"() {
    "use strict";
    init_src();
    init_resnet();
    for (const [name, config] of Object.entries(RESNETS)) {
      registerModel(name, (options) => new ResNet(name, config, options), { family: "resnet" });
    }
  }
});

// ../../packages/optim/src/optimizer.ts
function stored(state2, key, like, fill2 = 0) {
  return state2[key] ?? full(like.shape, fill2);
}
function store2(state2, key, value) {
  const current = state2[key];
  if (current) return current.assign(value);
  return state2[key] = keep(value.detach());
}
function requireRange(optimizer, group, nonNegative, belowOne = []) {
  const values = group;
  for (const key of [...nonNegative, ...belowOne]) {
    const v = values[key];
    const ok = typeof v === "number" && Number.isFinite(v) && v >= 0 && (!belowOne.includes(key) || v < 1);
    if (!ok) throw new ValueError(`${optimizer}: ${key} must be a finite number ${belowOne.includes(key) ? "in [0, 1)" : ">= 0"}, got ${JSON.stringify(v)}`);
  }
}
var BaseOptimizer, Optimizer;
var init_optimizer = __esm({
  "../../packages/optim/src/optimizer.ts"() {
    "use strict";
    init_src();
    BaseOptimizer = class {
      constructor(params, defaults) {
        this.defaults = defaults;
        const list = [...params];
        if (list.length === 0) throw new ValueError(`${this.constructor.name}: got an empty parameter list`);
        const groups = list.every((p) => p instanceof Tensor) ? [{ params: list }] : list;
        for (const group of groups) this.addParamGroup(group);
      }
      defaults;
      paramGroups = [];
      state = /* @__PURE__ */ new Map();
      /** Adds parameters with their own hyperparameters (e.g. layers unfrozen while fine-tuning). */
      addParamGroup(group) {
        const params = [...group.params];
        const seen = new Set(this.paramGroups.flatMap((g) => g.params));
        for (const p of params) {
          if (!(p instanceof Tensor)) throw new ValueError(`${this.constructor.name}: parameters must be tensors, got ${String(p)}`);
          if (seen.has(p)) throw new ValueError(`${this.constructor.name}: a parameter appears in more than one group (or twice in one)`);
          seen.add(p);
        }
        const merged = { ...this.defaults, ...group, params };
        this.validate(merged);
        this.paramGroups.push(merged);
      }
      /** Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`). */
      zeroGrad() {
        for (const g of this.paramGroups) zeroGrad(g.params);
      }
      stateDict() {
        const index = this.#indices();
        const state2 = {};
        for (const [p, s] of this.state) state2[index.get(p)] = { ...s };
        const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({ ...hyper, params: params.map((p) => index.get(p)) }));
        return { state: state2, paramGroups };
      }
      /**
       * Restores hyperparameters and state saved by `stateDict` for the same parameters in the same
       * order. Checks everything first: on error nothing changes.
       */
      loadStateDict(saved) {
        const name = this.constructor.name;
        if (saved.paramGroups.length !== this.paramGroups.length || saved.paramGroups.some((g, i) => g.params.length !== this.paramGroups[i].params.length)) {
          const sizes = (gs) => `[${gs.map((g) => g.params.length).join(", ")}]`;
          throw new ValueError(`${name}.loadStateDict: saved groups hold ${sizes(saved.paramGroups)} parameters, this optimizer ${sizes(this.paramGroups)}`);
        }
        const params = this.paramGroups.flatMap((g) => g.params);
        for (const [key, s] of Object.entries(saved.state)) {
          const p = params[Number(key)];
          if (!p) throw new ValueError(`${name}.loadStateDict: state for parameter ${key}, but there are ${params.length}`);
          for (const [field, v] of Object.entries(s)) {
            if (v instanceof Tensor && !shapesEqual(v.shape, p.shape)) {
              throw new ShapeError(`${name}.loadStateDict: state '${field}' of parameter ${key} has shape [${v.shape}], the parameter [${p.shape}]`);
            }
          }
        }
        saved.paramGroups.forEach(({ params: _, ...hyper }, i) => this.validate({ ...this.paramGroups[i], ...hyper }));
        this.disposeState();
        saved.paramGroups.forEach(({ params: _, ...hyper }, i) => Object.assign(this.paramGroups[i], hyper));
        for (const [key, s] of Object.entries(saved.state)) {
          const copy2 = {};
          for (const [field, v] of Object.entries(s)) copy2[field] = v instanceof Tensor ? keep(v.detach()) : structuredClone(v);
          this.state.set(params[Number(key)], copy2);
        }
      }
      /** Frees the state tensors (moment estimates, buffers). */
      disposeState() {
        for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
        this.state.clear();
      }
      #indices() {
        return new Map(this.paramGroups.flatMap((g) => g.params).map((p, i) => [p, i]));
      }
    };
    Optimizer = class extends BaseOptimizer {
      /** One update; with a closure, it is called first (with gradients on) and its loss returned. */
      step(closure) {
        const loss = closure ? enableGrad(closure) : void 0;
        noGrad(
          () => tidy(() => {
            for (const group of this.paramGroups) {
              for (const p of group.params) {
                if (!p.grad) continue;
                let s = this.state.get(p);
                if (!s) this.state.set(p, s = {});
                this.update(p, p.grad, s, group);
              }
            }
          })
        );
        return loss;
      }
    };
  }
});

// ../../packages/optim/src/adam.ts
var Adam;
var init_adam2 = __esm({
  "../../packages/optim/src/adam.ts"() {
    "use strict";
    init_src();
    init_optimizer();
    Adam = class extends Optimizer {
      /** Decoupled weight decay (AdamW) rather than L2 added to the gradient. */
      decoupled = false;
      constructor(params, options = {}) {
        super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...options });
      }
      validate(o) {
        const name = this.constructor.name;
        if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new ValueError(`${name}: betas must be a pair, got ${JSON.stringify(o.betas)}`);
        requireRange(name, o, ["lr", "eps", "weightDecay"]);
        requireRange(name, { beta1: o.betas[0], beta2: o.betas[1] }, [], ["beta1", "beta2"]);
      }
      update(p, grad4, state2, o) {
        const step = state2.step = (state2.step ?? 0) + 1;
        const moments = ["expAvg", "expAvgSq", ...o.amsgrad ? ["maxExpAvgSq"] : []];
        const [beta1, beta2] = o.betas;
        const [next, ...updated] = adamStep([p, grad4, ...moments.map((key) => stored(state2, key, p))], {
          lr: o.lr,
          beta1,
          beta2,
          eps: o.eps,
          weightDecay: o.weightDecay,
          decoupled: this.decoupled,
          amsgrad: o.amsgrad,
          step
        });
        moments.forEach((key, i) => store2(state2, key, updated[i]));
        p.assign(next);
      }
    };
  }
});

// ../../packages/optim/src/index.ts
var init_src6 = __esm({
  "../../packages/optim/src/index.ts"() {
    "use strict";
    init_adam2();
  }
});

// src/models/spec.ts
function conv(name, cin, cout, k, stride = 1, pad3 = 0, relu2 = true) {
  return { kind: "conv", name, cin, cout, k, stride, pad: pad3, relu: relu2 };
}
function parameterLayers(layers) {
  return layers.flatMap((l) => {
    if (l.kind === "conv" || l.kind === "linear") return [l];
    if (l.kind === "residual") return [...parameterLayers(l.body), ...parameterLayers(l.shortcut)];
    if (l.kind === "fire") return parameterLayers([l.squeeze, l.expand1, l.expand3]);
    return [];
  });
}
function makeWeights(net, seed = 1) {
  let s = seed >>> 0;
  const next = () => {
    s = Math.imul(s, 1664525) + 1013904223 >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const out = /* @__PURE__ */ new Map();
  for (const l of parameterLayers(net.layers)) {
    const fanIn = l.kind === "conv" ? l.cin * l.k * l.k : l.cin;
    const scale = 2 * Math.sqrt(6 / fanIn);
    const weight = Float32Array.from({ length: l.cout * fanIn }, () => next() * scale);
    const bias = Float32Array.from({ length: l.cout }, () => next() * 0.1);
    out.set(l.name, { weight, bias });
  }
  return out;
}
function makeInput(shape, seed = 7) {
  let s = seed >>> 0;
  return Float32Array.from({ length: shape.reduce((a, b2) => a * b2, 1) }, () => {
    s = Math.imul(s, 1664525) + 1013904223 >>> 0;
    return s / 2 ** 32 * 2 - 1;
  });
}
var init_spec = __esm({
  "src/models/spec.ts"() {
    "use strict";
  }
});

// src/models/walk.ts
function walk(layers, ops2, x) {
  for (const l of layers) {
    switch (l.kind) {
      case "conv":
        x = ops2.conv(l, x);
        break;
      case "maxpool":
        x = ops2.maxpool(l, x);
        break;
      case "residual": {
        const shortcut = l.shortcut.length ? walk(l.shortcut, ops2, x) : x;
        const last = l.body.at(-1);
        x = ops2.convAddRelu && last.kind === "conv" ? ops2.convAddRelu(last, walk(l.body.slice(0, -1), ops2, x), shortcut) : ops2.addRelu(walk(l.body, ops2, x), shortcut);
        break;
      }
      case "fire": {
        const s = walk([l.squeeze], ops2, x);
        x = ops2.concat([walk([l.expand1], ops2, s), walk([l.expand3], ops2, s)]);
        break;
      }
      case "gap":
        x = ops2.gap(x);
        break;
      case "linear":
        x = ops2.linear(l, x);
        break;
    }
  }
  return x;
}
var init_walk = __esm({
  "src/models/walk.ts"() {
    "use strict";
  }
});

// src/rows/fovea-net.ts
function upload(net) {
  const weights = makeWeights(net);
  const params = /* @__PURE__ */ new Map();
  for (const l of parameterLayers(net.layers)) {
    const w2 = weights.get(l.name);
    const shape = l.kind === "conv" ? [l.cout, l.cin, l.k, l.k] : [l.cout, l.cin];
    params.set(l.name, { weight: keep(tensor(w2.weight, shape)), bias: keep(tensor(w2.bias, [l.cout])) });
  }
  return params;
}
function ops(params) {
  const conv2 = (l, x, options) => {
    const p = params.get(l.name);
    return fusedConv2d(x, p.weight, p.bias, { stride: l.stride, padding: l.pad, ...options });
  };
  return {
    conv: (l, x) => conv2(l, x, { activation: l.relu ? "relu" : "none" }),
    convAddRelu: (l, x, residual) => conv2(l, x, { residual, activation: "relu" }),
    maxpool: (l, x) => maxPool2d(x, { kernelSize: l.k, stride: l.stride, padding: l.pad }),
    addRelu: (a, b2) => relu(add(a, b2)),
    concat: (parts) => concat(parts, 1),
    gap: (x) => mean(x, [2, 3]),
    linear: (l, x) => {
      const p = params.get(l.name);
      return linear(x, p.weight, p.bias);
    }
  };
}
function foveaInference(net) {
  const params = upload(net);
  const x = keep(tensor(makeInput(net.input), net.input));
  const logits = async () => {
    const y = tidy(() => walk(net.layers, ops(params), x));
    const values = await y.data();
    y.dispose();
    return values;
  };
  return {
    run: async () => void await logits(),
    logits,
    dispose: () => {
      x.dispose();
      for (const p of params.values()) dispose([p.weight, p.bias]);
    }
  };
}
var init_fovea_net = __esm({
  "src/rows/fovea-net.ts"() {
    "use strict";
    init_src();
    init_spec();
    init_walk();
  }
});

// src/models/resnet18.ts
var resnet18_exports = {};
__export(resnet18_exports, {
  resnet: () => resnet,
  resnet18: () => resnet18
});
function basicBlock(name, cin, planes, stride) {
  const body = [conv(`${name}.conv1`, cin, planes, 3, stride, 1), conv(`${name}.conv2`, planes, planes, 3, 1, 1, false)];
  const shortcut = stride !== 1 || cin !== planes ? [conv(`${name}.downsample`, cin, planes, 1, stride, 0, false)] : [];
  return { block: { kind: "residual", body, shortcut }, cout: planes };
}
function resnet(name, makeBlock, depths2, batch2, size2) {
  const layers = [conv("conv1", 3, 64, 7, 2, 3), { kind: "maxpool", k: 3, stride: 2, pad: 1 }];
  let cin = 64;
  depths2.forEach((n, stage) => {
    for (let j = 0; j < n; j++) {
      const { block, cout } = makeBlock(`layer${stage + 1}.${j}`, cin, 64 * 2 ** stage, stage > 0 && j === 0 ? 2 : 1);
      layers.push(block);
      cin = cout;
    }
  });
  layers.push({ kind: "gap" }, { kind: "linear", name: "fc", cin, cout: 1e3 });
  return { name, input: [batch2, 3, size2, size2], layers };
}
function resnet18(batch2 = 1, size2 = 224) {
  return resnet("resnet18", basicBlock, [2, 2, 2, 2], batch2, size2);
}
var init_resnet18 = __esm({
  "src/models/resnet18.ts"() {
    "use strict";
    init_spec();
  }
});

// src/models/resnet50.ts
var resnet50_exports = {};
__export(resnet50_exports, {
  resnet50: () => resnet50
});
function bottleneck(name, cin, planes, stride) {
  const cout = planes * 4;
  const body = [
    conv(`${name}.conv1`, cin, planes, 1),
    conv(`${name}.conv2`, planes, planes, 3, stride, 1),
    conv(`${name}.conv3`, planes, cout, 1, 1, 0, false)
  ];
  const shortcut = stride !== 1 || cin !== cout ? [conv(`${name}.downsample`, cin, cout, 1, stride, 0, false)] : [];
  return { block: { kind: "residual", body, shortcut }, cout };
}
function resnet50(batch2 = 1, size2 = 224) {
  return resnet("resnet50", bottleneck, [3, 4, 6, 3], batch2, size2);
}
var init_resnet50 = __esm({
  "src/models/resnet50.ts"() {
    "use strict";
    init_resnet18();
    init_spec();
  }
});

// src/gpu/workloads.ts
function batchLabels(batch2) {
  return Int32Array.from({ length: batch2 }, (_, i) => i % 1e3);
}
function gemmProbe(n) {
  return { begin: 1, step: Math.max(1, n / 4 - 1) };
}
function concatOutputs(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
var CHECKED_GRADIENTS;
var init_workloads = __esm({
  "src/gpu/workloads.ts"() {
    "use strict";
    init_resnet18();
    init_resnet50();
    CHECKED_GRADIENTS = ["conv1", "fc"];
  }
});

// src/gpu/rows/fovea.ts
var fovea_exports = {};
__export(fovea_exports, {
  foveaWebgpuRow: () => foveaWebgpuRow,
  parseTiles: () => parseTiles,
  prepare: () => prepare
});
function gemm(n) {
  const a = keep(tensor(makeInput([n, n], 1), [n, n]));
  const b2 = keep(tensor(makeInput([n, n], 2), [n, n]));
  const { begin, step } = gemmProbe(n);
  const output = async () => {
    const probe = tidy(() => slice(matmul(a, b2), [begin, begin], [null, null], [step, step]));
    const values = await probe.data();
    probe.dispose();
    return values;
  };
  return { run: async () => void await output(), output, dispose: () => dispose([a, b2]) };
}
function specStateDict(net) {
  const weights = makeWeights(net);
  const dict = /* @__PURE__ */ new Map();
  for (const l of parameterLayers(net.layers)) {
    const w2 = weights.get(l.name);
    if (l.kind === "linear") {
      dict.set(`${l.name}.weight`, tensor(w2.weight, [l.cout, l.cin]));
      dict.set(`${l.name}.bias`, tensor(w2.bias, [l.cout]));
    } else {
      const key = l.name.endsWith(".downsample") ? `${l.name}.0` : l.name;
      dict.set(`${key}.weight`, tensor(w2.weight, [l.cout, l.cin, l.k, l.k]));
    }
  }
  return dict;
}
function trainStep(net) {
  const model = models.create("resnet18", { initWeights: false });
  const dict = specStateDict(net);
  const report = model.loadStateDict(dict, { strict: false });
  dispose([...dict.values()]);
  if (report.unexpected.length) throw new Error(`the spec's weights do not fit the zoo's resnet18: ${report.unexpected.join(", ")}`);
  model.train();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const x = keep(tensor(makeInput(net.input), net.input));
  const labels = keep(tensor(batchLabels(net.input[0]), [net.input[0]], { dtype: "int32" }));
  const step = async () => {
    const loss = tidy(() => {
      opt.zeroGrad();
      const l = crossEntropy(model.call(x), labels);
      l.backward();
      opt.step();
      return l;
    });
    await loss.data();
    loss.dispose();
  };
  const weights = model.stateDict();
  const output = async () => {
    opt.zeroGrad();
    const loss = tidy(() => {
      const l = crossEntropy(model.call(x), labels);
      l.backward();
      return l;
    });
    const grads = CHECKED_GRADIENTS.map((layer) => weights.get(`${layer}.weight`).grad);
    const parts = [await loss.data(), ...await Promise.all(grads.map((g) => g.data()))];
    loss.dispose();
    opt.zeroGrad();
    return concatOutputs(parts);
  };
  return {
    run: step,
    output,
    dispose: () => {
      opt.zeroGrad();
      opt.disposeState();
      model.dispose();
      dispose([x, labels]);
    }
  };
}
function prepare(w2) {
  if (w2.kind === "gemm") return gemm(w2.n);
  if (w2.kind === "train") return trainStep(w2.net);
  const { run: run2, logits, dispose: dispose2 } = foveaInference(w2.net);
  return { run: run2, output: logits, dispose: dispose2 };
}
function parseTiles(spec) {
  if (spec in TILE_CONFIGS) return spec;
  const m = /^t(\d+)x(\d+)b(\d+)x(\d+)d(\d+)$/.exec(spec);
  if (!m) throw new Error(`--tiles: '${spec}' is neither ${Object.keys(TILE_CONFIGS).join(", ")} nor t{TX}x{TY}b{rows}x{cols}d{depth}`);
  const [tx, ty, bm, bn, depth] = m.slice(1).map(Number);
  return { ...TILE_CONFIGS.large, name: spec, threads: [tx, ty], block: [bm, bn], depth };
}
async function foveaWebgpuRow(tiles) {
  const name = tiles ? `fovea-webgpu[${tiles}]` : "fovea-webgpu";
  const found2 = registration;
  if (!found2.registered) return { name, threads: "GPU", prepare: async () => ({ skip: found2.reason }) };
  setLogLevel("silent");
  const backend = tiles ? `webgpu-${tiles}` : "webgpu";
  if (tiles) {
    const override = parseTiles(tiles);
    registerKernels(backend, webgpuKernels);
    registerBackend(backend, () => WebGPUBackend.create({ tiles: override, name: backend }), { priority: -1 });
  }
  await setBackend(backend);
  return {
    name,
    threads: `GPU (${found2.adapter})`,
    prepare: async (w2) => {
      const instance = await setBackend(backend);
      manualSeed(0);
      const prepared = prepare(w2);
      if (!("run" in prepared)) return prepared;
      return { ...prepared, dispose: () => (prepared.dispose?.(), instance.emptyCache()) };
    }
  };
}
var init_fovea = __esm({
  async "src/gpu/rows/fovea.ts"() {
    "use strict";
    init_src();
    await init_src2();
    init_src5();
    init_src6();
    init_spec();
    init_fovea_net();
    init_workloads();
  }
});

// src/zz-train-cpu.ts
import { create, globals } from "webgpu";
Object.assign(globalThis, globals);
var gpu = create(["backend=null"]);
Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
var fv = await Promise.resolve().then(() => (init_src(), src_exports));
var { WebGPUBackend: WebGPUBackend2, webgpuKernels: webgpuKernels2 } = await init_src2().then(() => src_exports2);
var { prepare: prepare2 } = await init_fovea().then(() => fovea_exports);
var NET = process.env.NET ?? "resnet18";
var NETFN = (await (NET === "resnet50" ? Promise.resolve().then(() => (init_resnet50(), resnet50_exports)) : Promise.resolve().then(() => (init_resnet18(), resnet18_exports))))[NET];
var [batch, size, steps] = (process.argv[2] ?? "2,64,10").split(",").map(Number);
var b = await WebGPUBackend2.create({ gpu, name: "wg", tiles: "large" });
fv.registerKernels("wg", webgpuKernels2, { replace: true });
fv.registerBackend("wg", () => b, { replace: true });
await fv.setBackend("wg");
var kind = process.argv[3] ?? "train";
var w = prepare2({ id: "x", title: "x", unit: "ms", kind, net: NETFN(batch, size) });
var dev = b.context.device;
var counts = {};
for (const m of ["createBuffer", "createBindGroup", "createComputePipeline", "createShaderModule"]) {
  const orig = dev[m].bind(dev);
  dev[m] = (...a) => {
    counts[m] = (counts[m] ?? 0) + 1;
    return orig(...a);
  };
}
for (let i = 0; i < Number(process.env.WARM ?? 6); i++) {
  for (const k of Object.keys(counts)) counts[k] = 0;
  const t = performance.now();
  await w.run();
  console.log("warm", i, (performance.now() - t).toFixed(0), JSON.stringify(counts));
}
for (const k of Object.keys(counts)) counts[k] = 0;
var d0 = b.context.dispatched;
var t0 = performance.now();
for (let i = 0; i < steps; i++) await w.run();
var ms = (performance.now() - t0) / steps;
console.log(JSON.stringify(counts));
console.log(kind, `${ms.toFixed(1)} ms CPU a step, ${(b.context.dispatched - d0) / steps} dispatches, ${(1e3 * ms / ((b.context.dispatched - d0) / steps)).toFixed(0)} \xB5s each`);
