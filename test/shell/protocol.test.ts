import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { mediaRequestToPath } from '../../src/main/app/protocol.js';
import { mediaUrlFor } from '../../src/renderer/api/image-url.js';
import { samplePng, tempStudio } from '../web/support.js';

const ID = 'a'.repeat(64);

describe('mediaRequestToPath', () => {
  it('maps atelier-media://kind/id/variant to the studio path', async () => {
    const mediaPath = vi.fn(async (kind: string, id: string, variant: string) => `/data/${kind}/${id}/${variant}`);
    expect(await mediaRequestToPath(`atelier-media://image/${ID}/original`, { mediaPath })).toBe(`/data/image/${ID}/original`);
    expect(await mediaRequestToPath(`atelier-media://render/${ID}/thumbnail`, { mediaPath })).toBe(`/data/render/${ID}/thumbnail`);
    expect(await mediaRequestToPath(`atelier-media://render/${ID}/full?v=2`, { mediaPath })).toBe(`/data/render/${ID}/full`);
  });

  it('refuses everything else without asking the studio', async () => {
    const mediaPath = vi.fn(async () => '/etc/passwd');
    const refused = [
      `file:///image/${ID}/original`,
      `https://image/${ID}/original`,
      `atelier-media://image/${ID}/full`,
      `atelier-media://render/${ID}/original`,
      `atelier-media://images/${ID}/original`,
      `atelier-media://image/${ID}/original/extra`,
      `atelier-media://image/${ID}`,
      `atelier-media://image//original`,
      'atelier-media://image/../../../etc/passwd',
      'atelier-media://image/..%2F..%2Fetc%2Fpasswd/original',
      `atelier-media://image/${ID}%2F..%2F..%2Fx/original`,
      'atelier-media://image/%2e%2e%2f%2e%2e%2f%2e%2e%2f/original',
      `atelier-media://user:pw@image/${ID}/original`,
      `atelier-media://image:99/${ID}/original`,
      'atelier-media://image/short/original',
      `atelier-media://image/${ID}\\..\\x/original`,
      'not a url',
      '',
    ];
    for (const url of refused) expect(await mediaRequestToPath(url, { mediaPath }), url).toBeNull();
    expect(mediaPath).not.toHaveBeenCalled();
  });

  it('answers null when the studio does not know the id', async () => {
    const mediaPath = vi.fn(async () => {
      throw new Error('unknown');
    });
    expect(await mediaRequestToPath(`atelier-media://image/${ID}/original`, { mediaPath })).toBeNull();
  });

  it('resolves the renderer\'s desktop media URLs to real library files', async () => {
    const { studio, cleanup } = await tempStudio('desktop');
    try {
      const imported = await studio.dispatch('library:importImage', { name: 'p.png', dataBase64: (await samplePng(9)).toString('base64') });
      if (!imported.ok) throw new Error(imported.error.message);
      const { id } = (imported.value as { image: { id: string } }).image;
      for (const variant of ['original', 'thumbnail'] as const) {
        const path = await mediaRequestToPath(mediaUrlFor('desktop', 'image', id, variant), studio);
        expect(path && existsSync(path), variant).toBe(true);
      }
      expect(await mediaRequestToPath(mediaUrlFor('desktop', 'image', 'ffffffffffff', 'original'), studio)).toBeNull();
    } finally {
      await cleanup();
    }
  });
});
