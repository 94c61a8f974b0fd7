import test from 'ava';
import { Generator, ValueError } from '../src/index.js';

test('a generator replays exactly from a saved state, mid normal pair included', (t) => {
  const g = new Generator(7);
  g.normal();
  const state = g.getState();
  const expected = [g.normal(), g.uniform(), g.integer(0, 10)];
  const replay = new Generator().setState(state);
  t.deepEqual([replay.normal(), replay.uniform(), replay.integer(0, 10)], expected);
});

test('seeds give different streams and uniform stays in [0, 1)', (t) => {
  const draws = Array.from({ length: 1000 }, ((g) => () => g.uniform())(new Generator(1)));
  t.true(draws.every((v) => v >= 0 && v < 1));
  t.not(new Generator(1).nextUint32(), new Generator(2).nextUint32());
});

test('an all-zero or malformed state is refused', (t) => {
  t.throws(() => new Generator().setState([0, 0, 0, 0]), { instanceOf: ValueError });
  t.throws(() => new Generator().setState([1, 2]), { instanceOf: ValueError });
});
