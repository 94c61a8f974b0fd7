import { cast, FoveaError, noGrad, shapesEqual, Tensor, tidy, ValueError } from '@fovea/core';

export type StateDictInput = Map<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadOptions {
  /** Throw on missing and unexpected keys too (default true). Mis-shaped keys always throw. */
  strict?: boolean;
}

export interface ShapeMismatch {
  key: string;
  expected: readonly number[];
  received: readonly number[];
}

export interface LoadReport {
  /** Keys the module has but the state dict lacks. */
  missing: string[];
  /** Keys the state dict has but the module lacks. */
  unexpected: string[];
  /** Keys present in both with different shapes. */
  mismatched: ShapeMismatch[];
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** A state dict that does not fit a module; the module was left unchanged. */
export class StateDictError extends FoveaError {
  constructor(readonly report: LoadReport) {
    const parts: string[] = [];
    if (report.missing.length) parts.push(`missing keys: ${report.missing.join(', ')}`);
    if (report.unexpected.length) parts.push(`unexpected keys: ${report.unexpected.join(', ')}`);
    if (report.mismatched.length) {
      parts.push(`mis-shaped: ${report.mismatched.map((m) => `${m.key} (expected ${fmt(m.expected)}, got ${fmt(m.received)})`).join(', ')}`);
    }
    super(`loadStateDict: ${parts.join('; ')}; nothing was loaded`);
  }
}

function entriesOf(input: StateDictInput): Map<string, Tensor> {
  const map = input instanceof Map ? input : new Map(Object.entries(input));
  for (const [key, value] of map) {
    if (!(value instanceof Tensor)) throw new ValueError(`loadStateDict: the value of '${key}' is not a Tensor`);
    value.assertLive('loadStateDict');
  }
  return map;
}

/** Compares, then (only if acceptable) assigns every matching tensor in place. */
export function loadInto(own: Map<string, Tensor>, input: StateDictInput, options: LoadOptions): LoadReport {
  const given = entriesOf(input);
  const report: LoadReport = {
    missing: [...own.keys()].filter((k) => !given.has(k)),
    unexpected: [...given.keys()].filter((k) => !own.has(k)),
    mismatched: [],
  };
  for (const [key, target] of own) {
    const value = given.get(key);
    if (value && !shapesEqual(value.shape, target.shape)) report.mismatched.push({ key, expected: target.shape, received: value.shape });
  }
  const strict = options.strict ?? true;
  if (report.mismatched.length || (strict && (report.missing.length || report.unexpected.length))) throw new StateDictError(report);
  noGrad(() =>
    tidy(() => {
      for (const [key, target] of own) {
        const value = given.get(key);
        if (value) target.assign(value.dtype === target.dtype ? value : cast(value, target.dtype));
      }
    }),
  );
  return report;
}
