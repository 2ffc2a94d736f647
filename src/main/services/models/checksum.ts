import { stat } from 'node:fs/promises';
import { hashFile } from '../files/hash-file.js';

export { hashFile, type HashAlgorithm } from '../files/hash-file.js';

/**
 * Hashing 27 MB of weights on every load would dominate start-up, so a file whose size and
 * modification time are unchanged since it was last hashed in this process keeps its hash.
 */
const knownHashes = new Map<string, { bytes: number; mtimeMs: number; sha256: string }>();

export async function sha256Cached(path: string): Promise<{ bytes: number; sha256: string }> {
  const { size: bytes, mtimeMs } = await stat(path);
  const known = knownHashes.get(path);
  if (known && known.bytes === bytes && known.mtimeMs === mtimeMs) return known;
  const sha256 = await hashFile(path);
  knownHashes.set(path, { bytes, mtimeMs, sha256 });
  return { bytes, sha256 };
}
