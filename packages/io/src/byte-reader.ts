/**
 * Reads exact byte counts from a stream of chunks. A request is only allocated once its bytes
 * have arrived, so a header that lies about sizes cannot make us allocate more than was sent.
 */
export class ByteReader {
  #chunks: AsyncIterator<Uint8Array>;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #done = false;
  /** Bytes handed out so far. */
  position = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or fewer if the stream ends first. */
  async read(n: number): Promise<Uint8Array> {
    while (this.#pendingBytes < n && (await this.#pull()));
    const out = new Uint8Array(Math.min(n, this.#pendingBytes));
    let filled = 0;
    while (filled < out.length) {
      const head = this.#pending[0]!;
      const take = Math.min(head.byteLength, out.length - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.byteLength) this.#pending.shift();
      else this.#pending[0] = head.subarray(take);
    }
    this.#pendingBytes -= filled;
    this.position += filled;
    return out;
  }

  /** Discards the next `n` bytes without keeping them; returns how many there were (fewer at the end). */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n && (this.#pendingBytes > 0 || (await this.#pull()))) {
      const head = this.#pending[0]!;
      const take = Math.min(head.byteLength, n - skipped);
      if (take === head.byteLength) this.#pending.shift();
      else this.#pending[0] = head.subarray(take);
      this.#pendingBytes -= take;
      skipped += take;
    }
    this.position += skipped;
    return skipped;
  }

  /** Whether the stream has no bytes left. */
  async atEnd(): Promise<boolean> {
    while (this.#pendingBytes === 0 && (await this.#pull()));
    return this.#pendingBytes === 0;
  }

  /** Stops reading and releases the underlying stream. */
  async close(): Promise<void> {
    this.#done = true;
    await this.#chunks.return?.();
  }

  async #pull(): Promise<boolean> {
    if (this.#done) return false;
    const { done, value } = await this.#chunks.next();
    if (done) {
      this.#done = true;
      return false;
    }
    const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    return true;
  }
}

/** Chunks of a web `ReadableStream` as an async iterable (not every browser makes streams iterable). */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel();
    reader.releaseLock();
  }
}
