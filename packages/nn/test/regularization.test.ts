import '@fovea/backend-js';
import test from 'ava';
import { tensor, ValueError } from '@fovea/core';
import { applyMaxNorm, elasticNetPenalty, l1Penalty, l2Penalty } from '../src/index.js';

test('L2, L1 and elastic-net penalties of §3.1 and their gradients', (t) => {
  const w1 = tensor([[1, -2], [0, 3]]).requiresGrad_();
  const w2 = tensor([-1]).requiresGrad_();
  t.is(l2Penalty([w1, w2]).item(), 15);
  t.is(l1Penalty(w1, 0.5).item(), 3);
  const en = elasticNetPenalty([w1, w2], 2, 0.5); // 2·Σ(0.5·w² + |w|) = 2·(7.5 + 7)
  t.is(en.item(), 29);
  en.backward();
  t.deepEqual(w1.grad!.toArray(), [[4, -6], [0, 8]]); // 2·(w + sign(w))
  t.throws(() => l2Penalty([]), { instanceOf: ValueError });
});

test('max-norm rescales only the units whose incoming weights exceed the bound', (t) => {
  const w = tensor([[3, 4], [0.3, 0.4]]);
  applyMaxNorm(w, 1);
  const rows = w.toArray() as number[][];
  t.true(Math.abs(rows[0]![0]! - 0.6) < 1e-6 && Math.abs(rows[0]![1]! - 0.8) < 1e-6);
  t.deepEqual(rows[1]!.map((v) => +v.toFixed(6)), [0.3, 0.4]);
  t.throws(() => applyMaxNorm(w, 0), { instanceOf: ValueError });
});
