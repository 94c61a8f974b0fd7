import { Message } from './proto.js';

// Field numbers and enums of onnx.proto (ONNX IR version 8, opset 13).
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

type AttrValue = number | number[] | { float: number };

/** Builds one ONNX graph: nodes, float (and int64) initializers, and float inputs/outputs with fixed shapes. */
export class GraphBuilder {
  readonly #graph = new Message();
  #next = 0;

  /** A fresh value name. */
  name(prefix: string): string {
    return `${prefix}_${this.#next++}`;
  }

  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = [this.name(op)]): string {
    const n = new Message();
    inputs.forEach((i) => n.string(1, i));
    outputs.forEach((o) => n.string(2, o));
    n.string(3, outputs[0]!).string(4, op);
    for (const [key, v] of Object.entries(attrs)) {
      const a = new Message().string(1, key);
      if (Array.isArray(v)) a.ints(8, v).int(20, ATTR.INTS);
      else if (typeof v === 'object') a.float(2, v.float).int(20, ATTR.FLOAT);
      else a.int(3, v).int(20, ATTR.INT);
      n.message(5, a);
    }
    this.#graph.message(1, n);
    return outputs[0]!;
  }

  initializer(prefix: string, dims: number[], values: Float32Array): string {
    const name = this.name(prefix);
    const t = new Message().ints(1, dims).int(2, FLOAT).string(8, name);
    t.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.#graph.message(5, t);
    return name;
  }

  /** A 1-D int64 initializer (the starts, ends and steps some ops take as inputs). */
  ints(prefix: string, values: readonly number[]): string {
    const name = this.name(prefix);
    this.#graph.message(5, new Message().ints(1, [values.length]).int(2, INT64).ints(7, values).string(8, name));
    return name;
  }

  #valueInfo(field: number, name: string, dims: readonly number[]): void {
    const shape = new Message();
    dims.forEach((d) => shape.message(1, new Message().int(1, d)));
    const tensorType = new Message().int(1, FLOAT).message(2, shape);
    this.#graph.message(field, new Message().string(1, name).message(2, new Message().message(1, tensorType)));
  }

  input(name: string, dims: readonly number[]): string {
    this.#valueInfo(11, name, dims);
    return name;
  }

  output(name: string, dims: readonly number[]): void {
    this.#valueInfo(12, name, dims);
  }

  /** The serialised ModelProto. */
  model(graphName: string): Uint8Array {
    this.#graph.string(2, graphName);
    const opset = new Message().string(1, '').int(2, 13);
    return new Message().int(1, 8).string(2, 'fovea-bench').message(7, this.#graph).message(8, opset).encode();
  }
}
