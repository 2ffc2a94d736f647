import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageAssetSchema, pairSchema, renderRecordSchema, type ImageAsset, type Pair, type RenderRecord } from '../../src/common/contract/index.js';
import { AtelierError } from '../../src/common/errors.js';
import type { ExportLibrary } from '../../src/main/services/export/index.js';

export const RENDER_ID = 'render-0001';
export const TEXTURE_RENDER_ID = 'render-0002';
export const CONTENT = { width: 96, height: 64 };
export const RENDERED = { width: 48, height: 32 };
export const SETTINGS = { size: 48, styleWeight: 2.5e-3, contentLayers: ['conv4_2' as const], tvKind: 'squared' as const, seed: 7 };
export const PAIR_NAME = 'Tübingen × "Starry Night" <&> 夜';

const losses = { content: 1, style: 2, tv: 3, total: 6 };
const now = '2025-01-01T00:00:00.000Z';

/**
 * A library with one photo pair and one texture pair, each with one render, backed by a real PNG
 * in a temporary folder: just what the exporter asks of the library service.
 */
export async function fakeLibrary(): Promise<{ library: ExportLibrary; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'atelier-export-'));
  const png = join(dir, 'render.png');
  // A horizontal gradient, so lossy formats and the upscale can be checked by their pixels.
  const { width, height } = RENDERED;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set([Math.round(((i % width) * 255) / (width - 1)), 100, 50], i * 3);
  await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(png);

  const content: ImageAsset = imageAssetSchema.parse({ id: 'a'.repeat(64), name: 'tubingen.jpg', ...CONTENT, format: 'jpeg', bytes: 1000, importedAt: now });
  const pair = (id: string, name: string, contentId: string | null): Pair =>
    pairSchema.parse({ id, name, contentId, styles: [{ imageId: 'b'.repeat(64), weight: 1 }], settings: SETTINGS, presetId: null, createdAt: now, updatedAt: now });
  const pairs = [pair('pair-0001', PAIR_NAME, content.id), pair('pair-0002', 'Just texture', null)];
  const record = (id: string, pairId: string): RenderRecord =>
    renderRecordSchema.parse({ id, pairId, settings: SETTINGS, startedAt: now, finishedAt: now, durationMs: 1, backend: 'cpu', cancelled: false, losses: { initial: losses, final: losses }, ...RENDERED });
  const renders = [record(RENDER_ID, 'pair-0001'), record(TEXTURE_RENDER_ID, 'pair-0002')];

  const find = <T extends { id: string }>(items: T[], id: string): T => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new AtelierError('NOT_FOUND', `no ${id}`);
    return item;
  };
  const library: ExportLibrary = {
    getRender: async (id) => find(renders, id),
    getPair: async (id) => find(pairs, id),
    getImage: async (id) => find([content], id),
    renderFile: (id) => (find(renders, id), png),
  };
  return { library, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
