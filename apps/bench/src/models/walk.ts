import type { Layer } from './spec.js';

/** The layer of one kind. */
export type LayerOf<K extends Layer['kind']> = Extract<Layer, { kind: K }>;

/**
 * How one framework computes each kind of layer; `walk` supplies the structure (residual
 * branches, fire modules), so every row interprets a spec the same way.
 */
export interface LayerOps<T> {
  /** Convolution with the layer's bias, then ReLU when `layer.relu`. */
  conv(layer: LayerOf<'conv'>, x: T): T;
  maxpool(layer: LayerOf<'maxpool'>, x: T): T;
  /** relu(a + b): the end of a residual block. */
  addRelu(a: T, b: T): T;
  /**
   * relu(conv(x) + bias + residual) in one op, where a framework has it: a residual block's last
   * conv then takes the shortcut, instead of `conv` followed by `addRelu`.
   */
  convAddRelu?(layer: LayerOf<'conv'>, x: T, residual: T): T;
  /** Concatenation along the channels. */
  concat(parts: T[]): T;
  /** Global average pooling to [N, C]. */
  gap(x: T): T;
  linear(layer: LayerOf<'linear'>, x: T): T;
}

/** Runs `layers` on `x` with one framework's ops. */
export function walk<T>(layers: readonly Layer[], ops: LayerOps<T>, x: T): T {
  for (const l of layers) {
    switch (l.kind) {
      case 'conv':
        x = ops.conv(l, x);
        break;
      case 'maxpool':
        x = ops.maxpool(l, x);
        break;
      case 'residual': {
        const shortcut = l.shortcut.length ? walk(l.shortcut, ops, x) : x;
        const last = l.body.at(-1)!;
        x =
          ops.convAddRelu && last.kind === 'conv'
            ? ops.convAddRelu(last, walk(l.body.slice(0, -1), ops, x), shortcut)
            : ops.addRelu(walk(l.body, ops, x), shortcut);
        break;
      }
      case 'fire': {
        const s = walk([l.squeeze], ops, x);
        x = ops.concat([walk([l.expand1], ops, s), walk([l.expand3], ops, s)]);
        break;
      }
      case 'gap':
        x = ops.gap(x);
        break;
      case 'linear':
        x = ops.linear(l, x);
        break;
    }
  }
  return x;
}
