/** Dtype rules: integer and boolean arithmetic, promotion, comparisons, casts. */
import * as fv from '@fovea/core';
import { valueChecks, type ValueCase } from './values.js';

const int = (...values: number[]) => fv.tensor(Int32Array.from(values));
const float = (...values: number[]) => fv.tensor(Float32Array.from(values));
const bool = (...values: boolean[]) => fv.tensor(values);

const CASES: ValueCase[] = [
  { name: 'int32 + int32 is int32', fn: () => fv.add(int(1, -2, 3), int(4, 5, -6)), expect: { shape: [3], data: [5, 3, -3], dtype: 'int32' } },
  { name: 'int32 * int32 is int32', fn: () => fv.mul(int(3, -2), int(4, 5)), expect: { shape: [2], data: [12, -10], dtype: 'int32' } },
  { name: 'int32 + integer number stays int32', fn: () => fv.add(int(1, 2), 3), expect: { shape: [2], data: [4, 5], dtype: 'int32' } },
  { name: 'int32 * fractional number is float32', fn: () => fv.mul(int(1, 2), 2.5), expect: { shape: [2], data: [2.5, 5], dtype: 'float32' } },
  { name: 'int32 + float32 is float32', fn: () => fv.add(int(1, 2), float(0.5, 0.25)), expect: { shape: [2], data: [1.5, 2.25], dtype: 'float32' } },
  { name: 'int32 / int32 is true division', fn: () => fv.div(int(1, -7), int(2, 2)), expect: { shape: [2], data: [0.5, -3.5], dtype: 'float32' } },
  { name: 'bool + int32 is int32', fn: () => fv.add(bool(true, false), int(1, 1)), expect: { shape: [2], data: [2, 1], dtype: 'int32' } },
  { name: 'bool * float32 is float32', fn: () => fv.mul(bool(true, false), float(1.5, 1.5)), expect: { shape: [2], data: [1.5, 0], dtype: 'float32' } },
  { name: 'neg of int32 is int32', fn: () => fv.neg(int(3, -4)), expect: { shape: [2], data: [-3, 4], dtype: 'int32' } },
  { name: 'abs of int32 is int32', fn: () => fv.abs(int(3, -4)), expect: { shape: [2], data: [3, 4], dtype: 'int32' } },
  { name: 'exp of int32 is float32', fn: () => fv.exp(int(0)), expect: { shape: [1], data: [1], dtype: 'float32' } },
  { name: 'maximum of int32 is int32', fn: () => fv.maximum(int(3, -4), int(1, 7)), expect: { shape: [2], data: [3, 7], dtype: 'int32' } },
  { name: 'sum of bool counts (int32)', fn: () => fv.sum(bool(true, false, true)), expect: { shape: [], data: [2], dtype: 'int32' } },
  { name: 'sum of int32 is int32', fn: () => fv.sum(int(2, 3, -1)), expect: { shape: [], data: [4], dtype: 'int32' } },
  { name: 'less gives bool', fn: () => fv.less(float(1, 2, 3), float(2, 2, 2)), expect: { shape: [3], data: [1, 0, 0], dtype: 'bool' } },
  { name: 'equal of int32 gives bool', fn: () => fv.equal(int(1, 2), int(1, 3)), expect: { shape: [2], data: [1, 0], dtype: 'bool' } },
  { name: 'greater of int32 and a fraction', fn: () => fv.greater(int(1, 2), 1.5), expect: { shape: [2], data: [0, 1], dtype: 'bool' } },
  { name: 'greaterEqual broadcasts', fn: () => fv.greaterEqual(float(1, 2), float(2)), expect: { shape: [2], data: [0, 1], dtype: 'bool' } },
  { name: 'notEqual gives bool', fn: () => fv.notEqual(float(1, 2), float(1, 3)), expect: { shape: [2], data: [0, 1], dtype: 'bool' } },
  { name: 'logicalNot of bool', fn: () => fv.logicalNot(bool(true, false)), expect: { shape: [2], data: [0, 1], dtype: 'bool' } },
  { name: 'where of int32 branches is int32', fn: () => fv.where(bool(true, false), int(1, 2), int(3, 4)), expect: { shape: [2], data: [1, 4], dtype: 'int32' } },
  { name: 'where promotes int32 and float32 branches', fn: () => fv.where(bool(true, false), int(1, 2), float(0.5, 0.5)), expect: { shape: [2], data: [1, 0.5], dtype: 'float32' } },
  { name: 'argmax is int32', fn: () => fv.argmax(float(1, 5, 5, 2)), expect: { shape: [], data: [1], dtype: 'int32' } },
  { name: 'cast to int32 truncates toward zero', fn: () => fv.cast(float(-1.7, 1.7, 2.5, -0.2), 'int32'), expect: { shape: [4], data: [-1, 1, 2, 0], dtype: 'int32' } },
  { name: 'cast to bool is x != 0', fn: () => fv.cast(float(0, -2.5, 0.1), 'bool'), expect: { shape: [3], data: [0, 1, 1], dtype: 'bool' } },
  { name: 'cast bool to float32', fn: () => fv.cast(bool(true, false), 'float32'), expect: { shape: [2], data: [1, 0], dtype: 'float32' } },
  { name: 'cast int32 to bool', fn: () => fv.cast(int(0, -3, 2), 'bool'), expect: { shape: [3], data: [0, 1, 1], dtype: 'bool' } },
  { name: 'cast bool to int32', fn: () => fv.cast(bool(true, false), 'int32'), expect: { shape: [2], data: [1, 0], dtype: 'int32' } },
  { name: 'int32 arithmetic is exact beyond 2^24', fn: () => fv.add(int(16777216, -16777216), int(1, -1)), expect: { shape: [2], data: [16777217, -16777217], dtype: 'int32' } },
  { name: 'sum of int32 is exact beyond 2^24', fn: () => fv.sum(int(16777216, 1, 2)), expect: { shape: [], data: [16777219], dtype: 'int32' } },
  { name: 'max and argmax of int32', fn: () => fv.stack([fv.max(int(3, 16777217, 16777216)), fv.argmax(int(3, 16777217, 16777216))]), expect: { shape: [2], data: [16777217, 1], dtype: 'int32' } },
  { name: 'permute of bool', fn: () => fv.permute(fv.tensor([[true, false, false], [false, true, true]]), [1, 0]), expect: { shape: [3, 2], data: [1, 0, 0, 1, 0, 1], dtype: 'bool' } },
  { name: 'slice, flip and concat of bool', fn: () => fv.concat([fv.flip(bool(true, false, false), [0]), fv.slice(bool(true, false, true), [1], [3])]), expect: { shape: [5], data: [0, 0, 1, 0, 1], dtype: 'bool' } },
  { name: 'pad of bool with true', fn: () => fv.pad(bool(false), [1, 1], 1), expect: { shape: [3], data: [1, 0, 1], dtype: 'bool' } },
  { name: 'where of bool branches is bool', fn: () => fv.where(bool(true, false), bool(false, false), bool(true, true)), expect: { shape: [2], data: [0, 1], dtype: 'bool' } },
  { name: 'transpose and pad of int32', fn: () => fv.pad(fv.transpose(fv.tensor(Int32Array.from([1, 2, 3, 4]), [2, 2]), 0, 1), [0, 1], -7), expect: { shape: [2, 3], data: [1, 3, -7, 2, 4, -7], dtype: 'int32' } },
  { name: 'gather of int32 values', fn: () => fv.gather(fv.tensor(Int32Array.from([10, 20, 30, 16777217]), [1, 4]), 1, fv.tensor(Int32Array.from([3, 0]), [1, 2])), expect: { shape: [1, 2], data: [16777217, 10], dtype: 'int32' } },
  { name: 'oneHot is int32', fn: () => fv.oneHot(int(2, 0), 3), expect: { shape: [2, 3], data: [0, 0, 1, 1, 0, 0], dtype: 'int32' } },
];

export const dtypeChecks = () => valueChecks(CASES);
