import sharp from 'sharp';
import { FAST_STYLE_TITLES } from '../../../common/instant.js';
import type { RgbImage } from '../../../common/progress.js';
import type { InstantLook } from './instant-files.js';

const GAP = 8;
const LABEL_HEIGHT = 28;
const COLUMNS = 3;

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The looks side by side, three to a row, each titled with its painting: one picture to compare them. */
export async function contactSheet(looks: readonly InstantLook[]): Promise<RgbImage> {
  const cellWidth = Math.max(...looks.map((look) => look.image.width));
  const cellHeight = Math.max(...looks.map((look) => look.image.height)) + LABEL_HEIGHT;
  const rows = Math.ceil(looks.length / COLUMNS);
  const width = GAP + Math.min(COLUMNS, looks.length) * (cellWidth + GAP);
  const height = GAP + rows * (cellHeight + GAP);
  const composites = looks.flatMap((look, i) => {
    const left = GAP + (i % COLUMNS) * (cellWidth + GAP);
    const top = GAP + Math.floor(i / COLUMNS) * (cellHeight + GAP);
    const { width: w, height: h, data } = look.image;
    const label = `<svg width="${cellWidth}" height="${LABEL_HEIGHT}"><text x="${cellWidth / 2}" y="19" font-family="sans-serif" font-size="15" fill="#222" text-anchor="middle">${escapeXml(FAST_STYLE_TITLES[look.net])} (${look.net})</text></svg>`;
    return [
      { input: Buffer.from(data.buffer, data.byteOffset, data.byteLength), raw: { width: w, height: h, channels: 3 as const }, left: left + Math.floor((cellWidth - w) / 2), top },
      { input: Buffer.from(label), left, top: top + h },
    ];
  });
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: '#f4f2ee' } })
    .composite(composites)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
