import type { ByteSink } from './sink.js';

/** What to write: bytes, text, or a function that streams into the sink it is given. */
export type FileContent = Uint8Array | string | ((sink: ByteSink) => Promise<void>);

/**
 * Writes a file so that readers see the old content or the new, never a mix: the content goes to
 * a temporary file beside `path`, is flushed to disk, then renamed over `path`. If anything fails
 * (including the content function throwing), the temporary file is removed and `path` is left as
 * it was. Node only.
 */
export async function atomicWriteFile(path: string, content: FileContent): Promise<void> {
  const [{ open, rename, rm }, { basename, dirname, join }, { randomUUID }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:crypto'),
  ]);
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    const sink = { write: (chunk: Uint8Array) => writeAll(handle, chunk) };
    if (typeof content === 'function') await content(sink);
    else await sink.write(typeof content === 'string' ? new TextEncoder().encode(content) : content);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dir, open);
}

async function writeAll(handle: import('node:fs/promises').FileHandle, chunk: Uint8Array): Promise<void> {
  for (let at = 0; at < chunk.byteLength; ) {
    const { bytesWritten } = await handle.write(chunk, at, chunk.byteLength - at);
    at += bytesWritten;
  }
}

/** Makes the rename itself durable; platforms that cannot open directories skip this. */
async function syncDirectory(dir: string, open: typeof import('node:fs/promises').open): Promise<void> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
