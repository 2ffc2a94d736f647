import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RgbImage } from '../../src/common/progress.js';
import type { Library, NewRender } from '../../src/main/services/library/index.js';

/** Sample pictures shared between checkouts, laid out as the app's samples folder is. */
export const SAMPLES = resolve(import.meta.dirname, '../../../shared/images');
export const TUBINGEN = join(SAMPLES, 'content/tubingen.jpg');
export const STARRY_NIGHT = join(SAMPLES, 'style/starry_night.jpg');

export async function makeTempDir(prefix = 'atelier-library-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A folder's entries, sorted; none when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).sort();
}

export async function upload(path: string, name = path.split('/').pop()!): Promise<{ name: string; dataBase64: string }> {
  return { name, dataBase64: (await readFile(path)).toString('base64') };
}

/** A horizontal gradient, so a round trip through PNG can be compared pixel for pixel. */
export function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set([(i % width) % 256, 100, 200], i * 3);
  return { width, height, data };
}

export function newRender(pairId: string, image: RgbImage): NewRender {
  const losses = { content: 1, style: 2, tv: 3, total: 6 };
  return {
    pairId, settings: { size: 64 }, startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:05.000Z',
    durationMs: 5000, backend: 'wasm', cancelled: false, losses: { initial: losses, final: losses }, image,
  };
}

/** A pair with no images and default settings, as the UI's "new pair" makes. */
export function savePlainPair(library: Library, name: string, id?: string) {
  return library.savePair({ ...(id !== undefined && { id }), name, contentId: null, styles: [], settings: {}, presetId: null });
}
