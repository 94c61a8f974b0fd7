import type { DType } from './dtype.js';
import { Tensor } from './tensor.js';
import * as ew from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as mv from './ops/movement.js';
import * as la from './ops/linalg.js';
import * as ix from './ops/indexing.js';
import type { Operand } from './ops/util.js';

type Dim = number | readonly number[] | null | undefined;

/** Chainable ops on tensors: `x.matmul(w).add(b).relu()`. */
declare module './tensor.js' {
  interface Tensor {
    add(other: Operand): Tensor;
    sub(other: Operand): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(other: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    less(other: Operand): Tensor;
    greater(other: Operand): Tensor;
    lessEqual(other: Operand): Tensor;
    greaterEqual(other: Operand): Tensor;
    equal(other: Operand): Tensor;
    notEqual(other: Operand): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    sign(): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    clamp(min?: number, max?: number): Tensor;
    cast(dtype: DType): Tensor;
    sum(dim?: Dim, keepdim?: boolean): Tensor;
    mean(dim?: Dim, keepdim?: boolean): Tensor;
    max(dim?: Dim, keepdim?: boolean): Tensor;
    min(dim?: Dim, keepdim?: boolean): Tensor;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    logsumexp(dim: Dim, keepdim?: boolean): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
    /** Matrix transpose of a 2-D tensor. */
    readonly T: Tensor;
    expand(shape: readonly number[]): Tensor;
    slice(begin: readonly number[], end?: readonly (number | null)[], step?: readonly number[]): Tensor;
    flip(dims: readonly number[]): Tensor;
    matmul(other: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
  }
}

const binary = { add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, pow: ew.pow, maximum: ew.maximum, minimum: ew.minimum, less: ew.less, greater: ew.greater, lessEqual: ew.lessEqual, greaterEqual: ew.greaterEqual, equal: ew.equal, notEqual: ew.notEqual };
const unary = { neg: ew.neg, abs: ew.abs, exp: ew.exp, log: ew.log, sqrt: ew.sqrt, square: ew.square, sign: ew.sign, relu: ew.relu, sigmoid: ew.sigmoid, tanh: ew.tanh };
const withArgs = {
  clamp: ew.clamp,
  cast: ew.cast,
  sum: red.sum,
  mean: red.mean,
  max: red.max,
  min: red.min,
  argmax: red.argmax,
  argmin: red.argmin,
  logsumexp: red.logsumexp,
  softmax: red.softmax,
  logSoftmax: red.logSoftmax,
  reshape: mv.reshape,
  view: mv.reshape,
  flatten: mv.flatten,
  squeeze: mv.squeeze,
  unsqueeze: mv.unsqueeze,
  permute: mv.permute,
  transpose: mv.transpose,
  expand: mv.expand,
  slice: mv.slice,
  flip: mv.flip,
  matmul: la.matmul,
  gather: ix.gather,
};

const proto = Tensor.prototype as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries({ ...binary, ...unary, ...withArgs })) {
  proto[name] = function (this: Tensor, ...args: unknown[]) {
    return (fn as (...a: unknown[]) => Tensor)(this, ...args);
  };
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return mv.transpose(this, 0, 1);
  },
});
