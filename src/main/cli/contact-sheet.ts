import type { RgbImage } from '../../common/progress.js';
import { loadSharp } from '../services/images/index.js';

const TILE = 192;
const GAP = 4;
const LABEL = 18;

/** A row of a contact sheet: a label over pictures shown side by side, each fitted into a tile. */
export interface SheetRow {
  label: string;
  pictures: RgbImage[];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One PNG with a row per pair and a column per picture (photo, painting, reference, ours…), for looking at
 * results side by side: the numbers alone cannot say whether a result kept the photo's colours.
 */
export async function contactSheet(rows: SheetRow[], columns: string[]): Promise<Buffer> {
  const sharp = await loadSharp();
  const count = Math.max(columns.length, ...rows.map((r) => r.pictures.length));
  const width = count * (TILE + GAP) + GAP;
  const rowHeight = LABEL + TILE + GAP;
  const height = LABEL + rows.length * rowHeight + GAP;
  const text = (x: number, y: number, value: string) => `<text x="${x}" y="${y}" font-family="sans-serif" font-size="13" fill="#222">${escapeXml(value)}</text>`;
  const labels = [
    ...columns.map((c, i) => text(GAP + i * (TILE + GAP), 14, c)),
    ...rows.map((r, j) => text(GAP, LABEL + j * rowHeight + 14, r.label)),
  ];
  const layers: { input: Buffer; left: number; top: number }[] = [
    { input: Buffer.from(`<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${labels.join('')}</svg>`), left: 0, top: 0 },
  ];
  for (const [j, row] of rows.entries()) {
    for (const [i, picture] of row.pictures.entries()) {
      const tile = await sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 3 } })
        .resize(TILE, TILE, { fit: 'inside' }).png().toBuffer();
      layers.push({ input: tile, left: GAP + i * (TILE + GAP), top: LABEL + j * rowHeight + LABEL });
    }
  }
  return sharp({ create: { width, height, channels: 3, background: '#f4f4f4' } }).composite(layers).png().toBuffer();
}
