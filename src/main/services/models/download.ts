import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { HashAlgorithm } from './checksum.js';
import { ModelsCorruptError, ModelsDownloadError } from './errors.js';

export interface DownloadProgress {
  receivedBytes: number;
  /** From Content-Length; null when the server does not say. */
  totalBytes: number | null;
}

/** Node's fetch hides the socket error (ECONNREFUSED, ENOTFOUND …) in `cause`; that is the useful part. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Streams `url` to `dest`, hashing as it goes; a file that fails the published hash is an error. */
export async function downloadFile(
  url: string,
  dest: string,
  expected: { algorithm: HashAlgorithm; value: string },
  onProgress?: (progress: DownloadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { ...(signal && { signal }) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ModelsDownloadError(url, reasonOf(error), { cause: error });
  }
  if (!response.ok || !response.body) throw new ModelsDownloadError(url, `HTTP ${response.status}`);

  const totalBytes = Number(response.headers.get('content-length')) || null;
  const hash = createHash(expected.algorithm);
  let receivedBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      receivedBytes += chunk.length;
      onProgress?.({ receivedBytes, totalBytes });
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), meter, createWriteStream(dest), { ...(signal && { signal }) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ModelsDownloadError(url, reasonOf(error), { cause: error });
  }

  const actual = hash.digest('hex');
  if (actual !== expected.value) {
    throw new ModelsCorruptError(
      `${url} failed its check: expected ${expected.algorithm} ${expected.value}, got ${actual}. Nothing was installed from it.`,
      basename(new URL(url).pathname),
    );
  }
}
