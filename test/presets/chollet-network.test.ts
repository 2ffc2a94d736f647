// The Chollet notebook preset follows its source onto VGG16 when VGG16 is installed, and says which
// network it uses either way.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSettingsSchema } from '../../src/common/settings.js';
import { createPresets } from '../../src/main/services/presets/index.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atelier-chollet-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function chollet(vgg16Installed: boolean) {
  const presets = createPresets({ dataDir, vgg16Installed: async () => vgg16Installed });
  const preset = (await presets.list({})).find((p) => p.id === 'builtin-chollet-keras');
  if (!preset) throw new Error('no Chollet preset');
  return { preset, exported: JSON.parse((await presets.export({ id: preset.id })).json) as { settings: unknown } };
}

describe('the Chollet notebook preset', () => {
  it('uses VGG16 when it is installed, and says so', async () => {
    const { preset, exported } = await chollet(true);
    expect(preset.settings.network).toBe('vgg16');
    expect(preset.description).toMatch(/Paints with VGG16 \(installed\)/);
    expect(exported.settings).toMatchObject({ network: 'vgg16' });
    // Its layers exist in VGG16.
    expect(renderSettingsSchema.safeParse(preset.settings).success).toBe(true);
  });

  it('uses VGG19 otherwise, and says how to get VGG16', async () => {
    const { preset } = await chollet(false);
    expect(preset.settings.network).toBe('vgg19');
    expect(preset.description).toMatch(/Paints with VGG19 while VGG16 is not installed \(open Models to add it\)/);
  });

  it('is VGG19 for a presets service that is not told', async () => {
    const presets = createPresets({ dataDir });
    expect((await presets.list({})).find((p) => p.id === 'builtin-chollet-keras')?.settings.network).toBe('vgg19');
  });
});
