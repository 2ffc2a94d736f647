// Every store file of the studio (presets, preferences, the queue) damaged or deleted by hand: the studio
// opens, each file is restored from its newest backup or started empty, the damaged one is kept aside,
// and the person gets one notice per file naming it, that stays until dismissed; no call fails for it.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Notice, Preset } from '../../src/common/contract/index.js';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { makeTempDir } from '../library/support.js';

let dir: string;
let cleanup: () => Promise<void>;
let studio: Studio | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('atelier-stores-'));
});
afterEach(async () => {
  await studio?.dispose();
  studio = undefined;
  await cleanup();
});

async function open(): Promise<Studio> {
  await studio?.dispose();
  studio = await createStudio({ dataDir: dir, mode: 'web' });
  return studio;
}

async function call<T>(channel: string, payload: unknown = {}): Promise<T> {
  const result = await studio!.dispatch(channel, payload);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value as T;
}

async function savePresetAndBackend(): Promise<Preset> {
  await open();
  const preset = await call<Preset>('presets:save', { name: 'Mine', settings: { styleWeight: 0.001 } });
  await call('backends:choose', { name: 'wasm' });
  return preset;
}

it('restores damaged presets.json and preferences.json from their backups, keeps the damaged files, and names each file in a notice', async () => {
  const preset = await savePresetAndBackend();
  await writeFile(join(dir, 'presets.json'), '{"presets": "not a list"}');
  await writeFile(join(dir, 'preferences.json'), '{ truncated');
  await open();
  // Both files are read on first use; neither call fails.
  expect((await call<Preset[]>('presets:list')).filter((p) => !p.builtIn)).toEqual([preset]);
  expect((await call<{ choice: string }>('backends:list')).choice).toBe('wasm');
  const notices = await call<Notice[]>('notices:list');
  expect(notices.map((n) => n.title).sort()).toEqual(['preferences.json was damaged', 'presets.json was damaged']);
  const names = await readdir(dir);
  for (const file of ['presets.json', 'preferences.json']) {
    const aside = names.find((name) => name.startsWith(`${file}.unreadable-`))!;
    expect(notices.find((n) => n.title.startsWith(file))!.message).toContain(aside);
  }
  expect(await readFile(join(dir, names.find((n) => n.startsWith('preferences.json.unreadable-'))!), 'utf8')).toBe('{ truncated');
});

it('restores deleted store files from their backups, and the notices stay across a restart until dismissed', async () => {
  const preset = await savePresetAndBackend();
  await rm(join(dir, 'presets.json'));
  await open();
  expect((await call<Preset[]>('presets:list')).filter((p) => !p.builtIn)).toEqual([preset]);
  const [notice] = await call<Notice[]>('notices:list');
  expect(notice).toMatchObject({ title: 'presets.json was missing' });
  expect(notice!.message).toMatch(/^presets\.json \(your own presets\) was missing\. The copy saved at .* \(presets\.json\.backup-1\) was restored\.$/);

  await open();
  expect(await call<Notice[]>('notices:list')).toEqual([notice]);
  await call('notices:dismiss', { id: notice!.id });
  await open();
  expect(await call<Notice[]>('notices:list')).toEqual([]);
});

it('starts a damaged file with no backup empty, and says that no earlier copy could be used', async () => {
  await savePresetAndBackend();
  for (const name of await readdir(dir)) if (name.startsWith('presets.json.backup-')) await rm(join(dir, name));
  await writeFile(join(dir, 'presets.json'), 'null');
  await open();
  expect((await call<Preset[]>('presets:list')).filter((p) => !p.builtIn)).toEqual([]);
  const [notice] = await call<Notice[]>('notices:list');
  expect(notice!.message).toContain('No earlier copy could be used, so it starts empty.');
});

it('keeps five backups, newest first, each a valid copy of an earlier save', async () => {
  await open();
  for (let n = 1; n <= 7; n++) await call('presets:save', { name: `Preset ${n}`, settings: {} });
  const backups = (await readdir(dir)).filter((name) => name.startsWith('presets.json.backup-')).sort();
  expect(backups).toEqual([1, 2, 3, 4, 5].map((n) => `presets.json.backup-${n}`));
  const counts = await Promise.all(backups.map(async (file) => (JSON.parse(await readFile(join(dir, file), 'utf8')) as { presets: unknown[] }).presets.length));
  expect(counts).toEqual([7, 6, 5, 4, 3]);
});
