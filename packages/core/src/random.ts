import { ValueError } from './errors.js';
import { registries } from './registry.js';

/**
 * xoshiro128** — small, fast and good enough for initialisation, shuffling and dropout. Its
 * whole state is four 32-bit words, so checkpoints can save and restore it exactly.
 */
export class Generator {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    // splitmix32 spreads any seed over the four state words.
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.#spare = null;
    return this;
  }

  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits (exact in float32). */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal by Box–Muller, using both values of each pair. */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  getState(): number[] {
    return [...this.#s, this.#spare === null ? NaN : this.#spare];
  }

  setState(state: readonly number[]): this {
    const words = state.slice(0, 4);
    // An all-zero state is xoshiro's fixed point: the generator would return zeros forever.
    if (words.length !== 4 || words.some((w) => !Number.isInteger(w)) || words.every((w) => w >>> 0 === 0)) {
      throw new ValueError(`Generator.setState: expected four 32-bit words, not all zero, got ${JSON.stringify(state)}`);
    }
    for (let i = 0; i < 4; i++) this.#s[i] = words[i]! >>> 0;
    this.#spare = state.length > 4 && !Number.isNaN(state[4]) ? state[4]! : null;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const GEN = Symbol.for('@fovea/core/generator@1');

/** The process-wide generator every random op draws from unless given another. */
export function defaultGenerator(): Generator {
  const r = registries() as unknown as { [GEN]?: Generator };
  r[GEN] ??= new Generator(0);
  return r[GEN];
}

/** Seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): void {
  defaultGenerator().manualSeed(seed);
}

export function getRngState(): number[] {
  return defaultGenerator().getState();
}

export function setRngState(state: readonly number[]): void {
  defaultGenerator().setState(state);
}
