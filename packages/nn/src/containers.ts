import { ValueError, type Tensor } from '@fovea/core';
import { Module } from './module.js';

/** Children in order, named '0', '1', … unless given names. */
abstract class ModuleSequence extends Module {
  /** Appends a module under the next index. */
  append(module: Module): this {
    this.register(String(this.length), module);
    return this;
  }

  get length(): number {
    return this.children().length;
  }

  at(index: number): Module | undefined {
    return this.children().at(index);
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

/**
 * Runs its children in order, each on the previous one's output. Children are named '0', '1', …,
 * or by the keys of a record (PyTorch's OrderedDict form).
 */
export class Sequential extends ModuleSequence {
  constructor(...modules: Module[] | [Readonly<Record<string, Module>>]) {
    super();
    const [first] = modules;
    if (modules.length === 1 && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first as Record<string, Module>)) this.register(name, m);
    } else for (const m of modules as Module[]) this.append(m);
  }

  forward(x: Tensor): Tensor {
    return this.children().reduce((y, m) => m.call(y), x);
  }
}

/** Holds modules in a list so their parameters are registered; call them from your own forward. */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  forward(): Tensor {
    throw new ValueError('ModuleList has no forward of its own: call its modules from the enclosing module');
  }
}

/** Holds modules by name (the keys become `state_dict` path segments). */
export class ModuleDict extends Module {
  constructor(modules: Readonly<Record<string, Module>> = {}) {
    super();
    for (const [name, m] of Object.entries(modules)) this.register(name, m);
  }

  get(name: string): Module | undefined {
    return this.namedChildren().find(([n]) => n === name)?.[1];
  }

  set(name: string, module: Module): this {
    this.register(name, module);
    return this;
  }

  keys(): string[] {
    return this.namedChildren().map(([n]) => n);
  }

  forward(): Tensor {
    throw new ValueError('ModuleDict has no forward of its own: call its modules from the enclosing module');
  }
}
