import { ShapeError, ValueError, type Tensor } from '@fovea/core';
import { Module } from '@fovea/nn';

/** An input smaller than the network's smallest legal size (its windows would not fit). */
export class InputTooSmallError extends ShapeError {
  constructor(
    readonly model: string,
    readonly minimum: number,
    readonly received: readonly number[],
  ) {
    super(`${model}: input ${received[2]}x${received[3]} is too small; this network needs at least ${minimum}x${minimum} (input [${received.join(', ')}])`);
  }
}

/**
 * The base of every model in the zoo: a backbone that turns NCHW images into features
 * (`forwardFeatures`) and a head, a child module at `headPath`, that turns them into class
 * scores. The head can be swapped for another number of classes (`replaceHead`), and the split
 * is what transfer learning freezes and gives separate learning rates.
 */
export abstract class ImageClassifier extends Module {
  /** Registry name of the architecture, for messages. */
  abstract readonly arch: string;
  /** Dotted path of the head module, e.g. 'fc' or 'classifier.6'. */
  abstract readonly headPath: string;
  /** Channels of the input images. */
  readonly inChannels: number = 3;
  /** Smallest input height and width the network accepts. */
  abstract readonly minInputSize: number;
  /** Exact input size, for networks whose head fixes it (LeNet-5); null when any size ≥ the minimum works. */
  readonly fixedInputSize: number | null = null;

  constructor(public numClasses: number) {
    super();
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`numClasses must be a positive integer, got ${numClasses}`);
  }

  /** The backbone on checked input: what the head consumes. */
  protected abstract backbone(x: Tensor): Tensor;

  /** A fresh head for `numClasses` classes (initialised as the architecture does). */
  protected abstract makeHead(numClasses: number): Module;

  /** Checks the input is NCHW with the right channels and large enough, then runs the backbone. */
  forwardFeatures(x: Tensor): Tensor {
    this.checkInput(x);
    return this.backbone(x);
  }

  /** Class scores from features (the head; overridden where the head's output needs reshaping). */
  forwardHead(features: Tensor): Tensor {
    return this.head.call(features);
  }

  forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }

  checkInput(x: Tensor): void {
    const [, c, h, w] = x.shape;
    if (x.ndim !== 4 || c !== this.inChannels) {
      throw new ShapeError(`${this.arch}: expected NCHW input with ${this.inChannels} channels, got [${x.shape.join(', ')}]`);
    }
    if (this.fixedInputSize !== null && (h !== this.fixedInputSize || w !== this.fixedInputSize)) {
      throw new ShapeError(`${this.arch}: expected ${this.fixedInputSize}x${this.fixedInputSize} input, got [${x.shape.join(', ')}]`);
    }
    if (h! < this.minInputSize || w! < this.minInputSize) throw new InputTooSmallError(this.arch, this.minInputSize, x.shape);
  }

  /** The head module (looked up by path, so a replaced head is used at once). */
  get head(): Module {
    return this.headPath.split('.').reduce<Module>((m, name) => childOf(m, name, this.headPath), this);
  }

  /**
   * Swaps the head for a new one with `numClasses` outputs, freshly initialised and trainable,
   * in the old one's training mode; the backbone is untouched and the old head's tensors are
   * freed. Returns the new head.
   */
  replaceHead(numClasses: number): Module {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`${this.arch}: numClasses must be a positive integer, got ${numClasses}`);
    const path = this.headPath.split('.');
    const parent = path.slice(0, -1).reduce<Module>((m, name) => childOf(m, name, this.headPath), this);
    const old = this.head;
    const head = parent.register(path.at(-1)!, this.makeHead(numClasses));
    head.train(this.training);
    old.dispose();
    this.numClasses = numClasses;
    return head;
  }

  /** Parameters of the head(s) — overridden where there are several (GoogLeNet's auxiliary heads). */
  headParameters(): Tensor[] {
    return this.head.parameters();
  }

  /** Every parameter outside the head(s). */
  backboneParameters(): Tensor[] {
    const head = new Set(this.headParameters());
    return this.parameters().filter((p) => !head.has(p));
  }
}

function childOf(module: Module, name: string, path: string): Module {
  const child = module.namedChildren().find(([n]) => n === name)?.[1];
  if (!child) throw new ValueError(`no module at '${path}' (missing '${name}')`);
  return child;
}
