/**
 * Worker-thread entry for ImageFolder's `workers` option: loads the images it is sent and posts
 * the pixels back (the buffer transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { loadImage, type ImageSpec } from './load-image.js';

export interface DecodeRequest {
  id: number;
  path: string;
  spec: ImageSpec;
}

export type DecodeReply =
  | { id: number; data: Uint8Array | Float32Array | Int32Array; shape: readonly number[] }
  | { id: number; error: { name: string; message: string; code?: string } };

parentPort?.on('message', async ({ id, path, spec }: DecodeRequest) => {
  try {
    const { data, shape } = await loadImage(path, spec);
    const reply: DecodeReply = { id, data, shape };
    parentPort!.postMessage(reply, [data.buffer as ArrayBuffer]);
  } catch (e) {
    const { name, message, code } = e as Error & { code?: string };
    parentPort!.postMessage({ id, error: { name, message, code } } satisfies DecodeReply);
  }
});
