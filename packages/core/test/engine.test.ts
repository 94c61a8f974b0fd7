import test from 'ava';
import {
  BackendError, DisposedError, GradError, KernelNotFoundError, RegistrationError, ShapeError, UnknownOpError, ValueError,
  defineFunction, getBackendName, grad, keep, listBackends, memory, noGrad, onBackendEvent, ready, registerBackend, registerOp,
  runOp, setBackend, tensor, tidy, type BackendEvent,
} from '../src/index.js';
import { registerStub } from './stub-backend.js';

registerStub('stub', 10);

test.serial('the highest-priority backend is chosen and the choice is reported', async (t) => {
  const events: BackendEvent[] = [];
  const off = onBackendEvent((e) => events.push(e));
  registerStub('stub-async', 20, async () => {
    throw new Error('no device here');
  });
  await ready();
  off();
  t.is(getBackendName(), 'stub');
  t.true(events.some((e) => e.type === 'fallback' && e.reason.includes('no device here')));
  t.true(events.some((e) => e.type === 'selected' && e.backend === 'stub'));
  t.deepEqual(listBackends().slice(0, 2), ['stub-async', 'stub']);
});

test.serial('registering twice is an error unless replacing', (t) => {
  t.throws(() => registerBackend('stub', () => null as never), { instanceOf: RegistrationError });
  t.throws(() => registerOp({ name: 'add', infer: () => [] }), { instanceOf: RegistrationError });
});

test.serial('an op without kernel or decomposition names the op, backend and registered kernels', async (t) => {
  await setBackend('stub');
  const x = tensor([1, 2]);
  const err = t.throws(() => x.exp(), { instanceOf: KernelNotFoundError });
  t.regex(err!.message, /'exp'.*'stub'/);
  t.throws(() => runOp('nope', [x], {}), { instanceOf: UnknownOpError });
  await t.throwsAsync(() => setBackend('missing'), { instanceOf: BackendError });
  t.is(getBackendName(), 'stub');
  x.dispose();
});

test.serial('autograd: the notes f = (x + y) z at (−2, 5, −4)', async (t) => {
  await setBackend('stub');
  const x = tensor(-2, [], { requiresGrad: true });
  const y = tensor(5, [], { requiresGrad: true });
  const z = tensor(-4, [], { requiresGrad: true });
  const f = x.add(y).mul(z);
  t.is(f.item(), -12);
  f.backward();
  t.deepEqual([x.grad!.item(), y.grad!.item(), z.grad!.item()], [-4, -4, 3]);
  t.throws(() => f.backward(), { instanceOf: GradError }, 'the graph is freed after backward');
  const again = x.mul(y);
  again.backward();
  again.dispose();
  t.is(x.grad!.item(), -4 + 5, 'gradients accumulate');
});

test.serial('custom function with saved tensors and functional grad', async (t) => {
  await setBackend('stub');
  const Square = defineFunction('square', {
    forward(ctx, x) {
      ctx.saveForBackward(x);
      return x.mul(x);
    },
    backward(ctx, dy) {
      return dy.mul(ctx.saved[0]!).mul(tensor(2));
    },
  });
  const x = tensor([3], [1], { requiresGrad: true });
  const y = Square.apply(x) as ReturnType<typeof tensor>;
  const [g] = grad(y, [x]);
  t.deepEqual(Array.from(g!.dataSync()), [6]);
  t.is(x.grad, null, 'functional grad leaves .grad alone');
  t.false(noGrad(() => x.mul(x)).requiresGrad);
});

test.serial('tidy frees everything but what it returns; keep exempts', async (t) => {
  await setBackend('stub');
  const before = memory().numTensors;
  let kept: ReturnType<typeof tensor> | undefined;
  const out = tidy(() => {
    const a = tensor([1, 2, 3]);
    kept = keep(a.add(a));
    return a.mul(a);
  });
  t.is(memory().numTensors, before + 2);
  t.deepEqual(Array.from(out.dataSync()), [1, 4, 9]);
  out.dispose();
  kept!.dispose();
  t.is(memory().numTensors, before);
  t.throws(() => out.dataSync(), { instanceOf: DisposedError });
  t.throws(() => tidy(() => {
    tensor([1]);
    throw new ValueError('boom');
  }), { instanceOf: ValueError });
  t.is(memory().numTensors, before, 'a throwing scope leaks nothing');
});

test.serial('bad inputs are typed errors and leave the engine usable', async (t) => {
  await setBackend('stub');
  t.throws(() => tensor([1, 2, 3]).add(tensor([1, 2])), { instanceOf: ShapeError });
  t.throws(() => tensor([[1, 2], [3]]), { instanceOf: ShapeError });
  t.throws(() => tensor([1, 2], [3]), { instanceOf: ShapeError });
  t.deepEqual(Array.from(tensor([1, 2]).add(tensor([3, 4])).dataSync()), [4, 6]);
});

test.serial('the model registry creates registered models and names what exists', async (t) => {
  const { registerModel, models } = await import('../src/index.js');
  registerModel('tiny', (o) => ({ classes: o.numClasses }), { family: 'test', replace: true });
  t.deepEqual(models.create('tiny', { numClasses: 3 }), { classes: 3 });
  t.deepEqual(models.list('test'), ['tiny']);
  t.throws(() => models.create('nope'), { message: /unknown model 'nope'.*tiny/ });
  t.throws(() => registerModel('tiny', () => 1), { instanceOf: RegistrationError });
});

test.serial('a decomposed op leaves only its outputs alive when no gradient is recorded', async (t) => {
  await setBackend('stub');
  registerOp({
    name: 'test.double-neg',
    infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
    decompose: ([x]) => [x!.neg().neg().add(x!)],
  }, { replace: true });
  const x = tensor([1, 2]);
  const before = memory().numTensors;
  const y = runOp('test.double-neg', [x], {})[0]!;
  t.is(memory().numTensors, before + 1);
  t.deepEqual(Array.from(y.dataSync()), [2, 4]);
  y.dispose();
  x.dispose();
});
