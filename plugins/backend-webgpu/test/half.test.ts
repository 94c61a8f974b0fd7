import test from 'ava';
import { fromHalves, halfBits, halfValue, toHalves } from '../src/half.js';

test('known binary16 encodings, ties to even', (t) => {
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65504, 0x7bff],
    [65519, 0x7bff],
    [65520, 0x7c00], // halfway to the next step past the maximum: rounds to infinity
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: to even (0)
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal steps: to even (2)
    [1 + 2 ** -11, 0x3c00], // tie: stays on the even 1.0
    [1 + 3 * 2 ** -11, 0x3c02], // tie: up to the even neighbour
    [-0, 0x8000],
  ];
  for (const [value, bits] of cases) t.is(halfBits(value), bits, `${value}`);
  t.is(halfBits(NaN) & 0x7e00, 0x7e00, 'NaN stays a (quiet) NaN');
});

test('every binary16 value survives widening and narrowing', (t) => {
  const bits = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const back = toHalves(fromHalves(bits));
  const wrong = [...bits].filter((b, i) => !Number.isNaN(halfValue(b)) && back[i] !== b);
  t.deepEqual(wrong, []);
  t.true(Number.isNaN(halfValue(0x7e00)));
  t.is(halfValue(0x8000), -0);
});

test('narrowing picks the nearest binary16 value', (t) => {
  // Midpoints between neighbours (and a hair either side) across normal and subnormal ranges.
  for (const b of [0x0001, 0x0155, 0x03ff, 0x0400, 0x1234, 0x3c00, 0x3fff, 0x7bfe]) {
    const [lo, hi] = [halfValue(b), halfValue(b + 1)];
    const mid = (lo + hi) / 2;
    t.is(halfBits(mid - (hi - lo) / 8), b);
    t.is(halfBits(mid + (hi - lo) / 8), b + 1);
    t.is(halfBits(mid), b % 2 === 0 ? b : b + 1, 'ties to even');
  }
});
