import { open } from 'node:fs/promises';

/**
 * Creates `path` (failing if it exists) with `bytes` and flushes it to disk before returning. Every
 * "write a temporary file, then rename or link it into place" in the app goes through this: without
 * the flush, a power cut soon after the rename can leave an empty file under the final name.
 */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}
