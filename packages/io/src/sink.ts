/** Anything that takes bytes in order: a file handle wrapper, a stream writer, an array collector. */
export interface ByteSink {
  write(chunk: Uint8Array): unknown;
}
