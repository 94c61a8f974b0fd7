import { SafetensorsError } from './errors.js';
import { ByteReader, streamChunks } from './byte-reader.js';
import { buildTensors, decodeSafetensors, type DecodeOptions, type Safetensors } from './decode.js';
import { parseHeader, readHeaderLength } from './header.js';

/** Where a safetensors file comes from: a path (Node), its bytes, a fetch `Response`, a `Blob` (a browser `File`) or a byte stream. */
export type SafetensorsSource = string | Uint8Array | ArrayBuffer | Response | Blob | ReadableStream<Uint8Array>;

/**
 * Loads a safetensors file. Paths, responses, blobs and streams are read incrementally: the header is
 * checked against the size limit before it is read, validated whole before any tensor is
 * allocated, and each tensor is allocated only once its bytes have arrived.
 */
export async function loadSafetensors(source: SafetensorsSource, options: DecodeOptions = {}): Promise<Safetensors> {
  if (source instanceof Uint8Array) return decodeSafetensors(source, options);
  if (source instanceof ArrayBuffer) return decodeSafetensors(new Uint8Array(source), options);
  if (typeof source === 'string') return loadFile(source, options);
  if (typeof Response !== 'undefined' && source instanceof Response) return loadResponse(source, options);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return readStream(new ByteReader(streamChunks(source.stream())), source.size, { ...options, source: options.source ?? (source as Partial<File>).name ?? 'blob' });
  }
  return readStream(new ByteReader(streamChunks(source as ReadableStream<Uint8Array>)), undefined, { ...options, source: options.source ?? 'stream' });
}

async function loadFile(path: string, options: DecodeOptions): Promise<Safetensors> {
  const fs = await import('node:fs');
  const size = (await fs.promises.stat(path)).size;
  return readStream(new ByteReader(fs.createReadStream(path, { highWaterMark: 1 << 20 })), size, { ...options, source: options.source ?? path });
}

async function loadResponse(response: Response, options: DecodeOptions): Promise<Safetensors> {
  const source = options.source ?? (response.url || 'response');
  if (!response.ok) throw new SafetensorsError(`${source}: HTTP ${response.status} ${response.statusText}`);
  if (!response.body) throw new SafetensorsError(`${source}: response has no body`);
  return readStream(new ByteReader(streamChunks(response.body)), bodyLength(response), { ...options, source });
}

/** The body's size when the response states it and it is not compressed in transit. */
function bodyLength(response: Response): number | undefined {
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isSafeInteger(length) && !response.headers.get('content-encoding') ? length : undefined;
}

/** Reads a file from a stream; `totalBytes` (if known) lets lying offsets fail before any read. */
async function readStream(reader: ByteReader, totalBytes: number | undefined, options: DecodeOptions & { source: string }): Promise<Safetensors> {
  const { source } = options;
  try {
    const n = readHeaderLength(await reader.read(8), totalBytes, source, options);
    const json = await reader.read(n);
    if (json.byteLength < n) throw new SafetensorsError(`${source}: truncated header, ${json.byteLength} of ${n} bytes`);
    const header = parseHeader(json, totalBytes === undefined ? undefined : totalBytes - 8 - n, source);
    const tensors = await buildTensors(header.entries, options.select, async (e, wanted) => {
      const bytes = wanted ? await reader.read(e.end - e.begin) : null;
      const got = bytes ? bytes.byteLength : await reader.skip(e.end - e.begin);
      if (got < e.end - e.begin) {
        throw new SafetensorsError(`${source}: truncated data, tensor '${e.name}' needs data bytes [${e.begin}, ${e.end}) but the data ends at ${e.begin + got}`);
      }
      return bytes;
    });
    if (!(await reader.atEnd())) {
      for (const t of tensors.values()) t.dispose();
      throw new SafetensorsError(`${source}: bytes after the last tensor are not described by the header`);
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await reader.close();
  }
}
