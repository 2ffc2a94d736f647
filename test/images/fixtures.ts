import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { RgbImage } from '../../src/common/progress.js';

/** Sample pictures shared between checkouts; CI has the same layout beside the repository. */
export const SAMPLES = resolve(import.meta.dirname, '../../../shared/images');
export const TUBINGEN = join(SAMPLES, 'content/tubingen.jpg');

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'atelier-images-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Writes `bytes` to `dir/name` and returns the path. */
export async function put(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** A solid-colour RGB image. */
export function solid(width: number, height: number, [r, g, b]: [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set([r, g, b], i);
  return { width, height, data };
}

/** A smooth gradient, so lossy formats can be compared against it with a small tolerance. */
export function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data.set([Math.round((255 * x) / (width - 1)), Math.round((255 * y) / (height - 1)), 128], i);
    }
  }
  return { width, height, data };
}

export function pixel(image: RgbImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return Array.from(image.data.subarray(i, i + 3));
}

export function meanAbsoluteDifference(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/**
 * A valid PNG whose header claims `width`×`height` but holds one pixel of data: enough for a
 * header check, and a decoder that trusted it would try to allocate the full size.
 */
export async function pngClaimingSize(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } }).png().toBuffer());
  // IHDR follows the 8-byte signature: length (4), type (4), width (4), height (4), 5 more bytes, CRC.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
