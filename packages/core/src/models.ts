import { RegistrationError, UnknownModelError } from './errors.js';
import type { ModelRegistry } from './op.js';
import { registries } from './registry.js';

type Factory = (options: Record<string, unknown>) => unknown;

interface ModelEntry {
  readonly factory: Factory;
  readonly family: string;
}

const KEY = Symbol.for('@fovea/core/models@1');

function table(): Map<string, ModelEntry> {
  const r = registries() as unknown as { [KEY]?: Map<string, ModelEntry> };
  r[KEY] ??= new Map();
  return r[KEY];
}

type Known = keyof ModelRegistry & string;
type OptionsOf<N> = N extends Known ? (ModelRegistry[N] extends { options: infer O } ? O : Record<string, unknown>) : Record<string, unknown>;
type ModelOf<N> = N extends Known ? (ModelRegistry[N] extends { model: infer M } ? M : unknown) : unknown;

/**
 * Registers a model constructor under a name (model packages do this on import). Plugins type
 * their entries by augmenting `ModelRegistry` with `{ options; model }`.
 */
export function registerModel(name: string, factory: Factory, options: { family?: string; replace?: boolean } = {}): void {
  if (table().has(name) && !options.replace) throw new RegistrationError(`model '${name}' is already registered`);
  table().set(name, { factory, family: options.family ?? 'custom' });
}

/** The model registry: `models.create('resnet18', {numClasses: 10})`, `models.list()`. */
export const models = {
  create<N extends string>(name: N, options?: OptionsOf<N>): ModelOf<N> {
    const entry = table().get(name);
    if (!entry) {
      throw new UnknownModelError(`unknown model '${name}'; registered: ${[...table().keys()].sort().join(', ') || 'none (import a model package such as @fovea/models-resnet)'}`);
    }
    return entry.factory((options ?? {}) as Record<string, unknown>) as ModelOf<N>;
  },
  list(family?: string): string[] {
    return [...table()].filter(([, e]) => !family || e.family === family).map(([n]) => n).sort();
  },
  has(name: string): boolean {
    return table().has(name);
  },
};
