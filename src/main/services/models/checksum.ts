import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export type HashAlgorithm = 'sha256' | 'md5';

export async function hashFile(path: string, algorithm: HashAlgorithm = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

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
