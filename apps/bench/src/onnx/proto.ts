/**
 * Just enough of the protobuf wire format to write ONNX models: varints, length-delimited
 * fields and packed repeated ints. A message is built as a list of encoded fields.
 */
export class Message {
  readonly #parts: Uint8Array[] = [];

  #tag(field: number, wire: number): void {
    this.#varint((field << 3) | wire);
  }

  #varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      bytes.push(v ? byte | 0x80 : byte);
    } while (v);
    this.#parts.push(Uint8Array.from(bytes));
  }

  int(field: number, value: number): this {
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.#tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#parts.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(value.length);
    this.#parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Message): this {
    return this.bytes(field, value.encode());
  }

  /** A packed repeated int64 field. */
  ints(field: number, values: readonly number[]): this {
    const inner = new Message();
    for (const v of values) inner.#varint(v);
    return this.bytes(field, inner.encode());
  }

  encode(): Uint8Array {
    const out = new Uint8Array(this.#parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
