// The renderer's Pinia stores against a real web-mode server: every service on a temp data folder,
// reached through the renderer's own api module (src/renderer/api, web transport). Nothing of ours is
// mocked; the page's fetch/EventSource are pointed at the server (see support.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES, type Preset } from '../../src/common/contract/index.js';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { renderWorkerPath } from '../../src/main/services/queue/render-process.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { useEditorStore } from '../../src/renderer/stores/editor.js';
import { useExportsStore } from '../../src/renderer/stores/exports.js';
import { useLibraryStore } from '../../src/renderer/stores/library.js';
import { usePresetsStore } from '../../src/renderer/stores/presets.js';
import { useQueueStore } from '../../src/renderer/stores/queue.js';
import { useUiStore } from '../../src/renderer/stores/ui.js';
import { fakeRenderer, samplePng, tempDir } from '../web/support.js';
import { connectRendererTo, until } from './support.js';

const SAMPLES = resolve(process.cwd(), '..', 'shared', 'images');
const TINY = { size: 48, scales: [48], iterations: 4, progressEvery: 1 };

let studio: Studio;
let server: WebServer;
let disconnect: () => void;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const data = await tempDir('ui-stores');
  cleanups.push(data.cleanup);
  studio = await createStudio({ dataDir: join(data.dir, 'data'), resources: { ...checkoutResources(), ...(existsSync(SAMPLES) && { samplesDir: SAMPLES }) }, mode: 'web', defaultBackend: 'wasm' });
  cleanups.push(() => studio.dispose());
  server = await startWebServer({ studio, rendererDir: await fakeRenderer(data.dir) });
  cleanups.push(() => server.close());
  disconnect = connectRendererTo(server);
});

afterAll(async () => {
  disconnect?.();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

beforeEach(() => {
  setActivePinia(createPinia());
});

const pngFile = async (seed: number, name: string) => new File([await samplePng(seed)], name, { type: 'image/png' });
const toastTitles = () => useUiStore().toasts.map((t) => `${t.kind}: ${t.title}`);

describe('library store', () => {
  it('imports files, reports a duplicate and a refused file in words', async () => {
    const library = useLibraryStore();
    const ui = useUiStore();
    await library.load();

    const [image] = await library.importFiles([await pngFile(1, 'first.png')]);
    expect(image).toMatchObject({ name: 'first.png', width: 64, height: 48 });
    expect(library.images.map((i) => i.id)).toContain(image!.id);
    expect(toastTitles()).toContain('success: Image imported');

    const [again] = await library.importFiles([await pngFile(1, 'copy.png')]);
    expect(again!.id).toBe(image!.id);
    expect(ui.toasts.at(-1)).toMatchObject({ kind: 'info', title: 'Already in the library' });
    expect(ui.toasts.at(-1)!.message).toContain('copy.png');

    const refused = await library.importFiles([new File(['just some notes'], 'notes.txt', { type: 'text/plain' })]);
    expect(refused).toEqual([]);
    const error = ui.toasts.at(-1)!;
    expect(error.kind).toBe('error');
    expect(error.title).not.toBe('Something went wrong');
    expect(error.message).toMatch(/notes\.txt/);

    // Past the one upload limit: refused in words before the file is read or sent.
    const huge = new File(['only the size is large'], 'huge.tif', { type: 'image/tiff' });
    Object.defineProperty(huge, 'arrayBuffer', { value: () => Promise.reject(new Error('read a file past the limit')) });
    Object.defineProperty(huge, 'size', { value: MAX_UPLOAD_BYTES + 1024 * 1024 });
    expect(await library.importFiles([huge])).toEqual([]);
    expect(ui.toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Image too large', message: '"huge.tif" is 101 MB; Atelier takes files of up to 100 MB.' });
  });

  it.skipIf(!existsSync(SAMPLES))('adds the sample images', async () => {
    const library = useLibraryStore();
    const added = await library.importSamples();
    expect(added.map((i) => i.name)).toEqual(expect.arrayContaining(['tubingen.jpg', 'starry_night.jpg']));
    expect(library.images.length).toBeGreaterThanOrEqual(added.length);
  });
});

describe('editor store', () => {
  it('makes one pair when two imports ask for one at the same time', async () => {
    const library = useLibraryStore();
    const editor = useEditorStore();
    await library.load();
    const before = library.pairs.length;
    const [first, second] = await Promise.all([editor.ensurePair(), editor.ensurePair()]);
    expect([first, second]).toEqual([true, true]);
    expect(library.pairs.length).toBe(before + 1);
    expect(editor.pairId).toBe(library.pairs.at(-1)!.id);
  });

  it('creates a pair, fills it, names it and saves each valid change', async () => {
    const library = useLibraryStore();
    const editor = useEditorStore();
    const ui = useUiStore();
    await library.load();
    const [content, style] = await library.importFiles([await pngFile(2, 'harbour.png'), await pngFile(3, 'waves.png')]);

    expect(editor.missing).toBe('Create a pair first');
    expect(await editor.ensurePair()).toBe(true);
    expect(ui.selectedPairId).toBe(editor.pairId);
    expect(editor.missing).toBe('Choose a content photo');
    editor.setContent(content!.id);
    expect(editor.missing).toBe('Add a style image');
    editor.addStyles([style!.id, style!.id]);
    // One style has the whole blend: its share cannot change.
    editor.setStyleShare(0, 0.3);
    expect(editor.styles).toEqual([{ imageId: style!.id, weight: 1 }]);
    expect(editor.name).toBe('harbour × waves');
    editor.form.size = '256';
    expect(editor.missing).toBeNull();

    await until(() => !editor.dirty && !editor.saving, 'the autosave');
    await library.refresh('pairs');
    expect(library.pairById.get(editor.pairId!)).toMatchObject({
      name: 'harbour × waves',
      contentId: content!.id,
      styles: [{ imageId: style!.id, weight: 1 }],
      settings: { size: 256 },
    });

    // An invalid field blocks rendering and is never saved.
    editor.form.size = 'huge';
    expect(editor.missing).toBe('Fix the highlighted settings');
    expect(editor.validation.errors.size).toBeTruthy();
    await new Promise((r) => setTimeout(r, 600));
    await library.refresh('pairs');
    expect(library.pairById.get(editor.pairId!)!.settings.size).toBe(256);
  });
});

describe('presets store', () => {
  it('saves, renames, exports, imports and deletes; a corrupt file is refused with its reason', async () => {
    const presets = usePresetsStore();
    const editor = useEditorStore();
    const ui = useUiStore();
    await presets.load();
    expect(presets.builtIn.length).toBeGreaterThan(0);

    editor.applySettings({ size: 320, styleWeight: 0.01 });
    const saved = (await presets.save('Loud', 'more paint', editor.validation.settings)) as Preset;
    expect(saved).toMatchObject({ name: 'Loud', builtIn: false, settings: { size: 320, styleWeight: 0.01 } });
    editor.applyPreset(saved.id);
    expect(editor.presetModified).toBe(false);
    // The size is the pair's, not the look's; a weight is the look's.
    editor.form.size = '384';
    expect(editor.presetModified).toBe(false);
    editor.form.styleWeight = '0.02';
    expect(editor.presetModified).toBe(true);

    expect(await presets.rename(saved.id, 'Louder')).toMatchObject({ name: 'Louder' });
    const file = await presets.exportFile(saved.id);
    expect(file!.fileName).toMatch(/\.json$/);

    // A name already taken comes back as such (the dialog says it at the field and offers to replace).
    const toasts = ui.toasts.length;
    expect(await presets.save('Louder', '', {})).toBe('taken');
    expect(ui.toasts).toHaveLength(toasts);
    expect(await presets.save('Louder', 'replaced', {}, true)).toMatchObject({ id: saved.id, name: 'Louder', description: 'replaced' });

    expect(await presets.remove(saved.id)).toBe(true);
    const imported = await presets.importFile(new Blob([file!.json], { type: 'application/json' }));
    expect(imported).toMatchObject({ name: 'Louder', settings: { size: 320 } });

    expect(await presets.importFile(new Blob(['{ this is not json'], { type: 'application/json' }))).toBeNull();
    expect(ui.toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Not a preset Atelier can use' });
    expect(ui.toasts.at(-1)!.message).toMatch(/^Not a preset file/);
    // A file the person chose is named in the message.
    expect(await presets.importFile(new File(['{ half a pre'], 'half.json', { type: 'application/json' }))).toBeNull();
    expect(ui.toasts.at(-1)!.message).toMatch(/^Could not import "half\.json": Not a preset file/);
  });
});

// The queue runs renders in a worker built to dist/ (`npm test` builds it first).
describe.skipIf(!existsSync(renderWorkerPath()))('queue and export stores', () => {
  it('renders a tiny pair live, exports it, reads its settings back, and explains IN_USE', async () => {
    const library = useLibraryStore();
    const editor = useEditorStore();
    const queue = useQueueStore();
    const exportsStore = useExportsStore();
    const ui = useUiStore();
    const stops = [library.listen(), queue.listen()];
    try {
      await Promise.all([library.load(), queue.load()]);
      const [content, style] = await library.importFiles([await pngFile(4, 'street.png'), await pngFile(5, 'brush.png')]);
      await editor.createPair();
      editor.load(library.pairById.get(ui.selectedPairId!)!);
      editor.setContent(content!.id);
      editor.addStyles([style!.id]);
      editor.applySettings(TINY);

      await editor.render();
      const job = queue.jobs.find((j) => j.pairId === editor.pairId)!;
      expect(job).toBeDefined();
      await until(() => queue.jobs.find((j) => j.id === job.id)?.state === 'done', 'the render to finish', 120_000);
      const done = queue.jobs.find((j) => j.id === job.id)!;
      expect(done.lossHistory.length).toBeGreaterThan(1);
      expect(ui.selectedRenderId).toBe(done.renderId);
      expect(toastTitles()).toContain('success: Render finished');
      await until(() => editor.currentRender?.id === done.renderId, 'the render in the library');

      const result = await exportsStore.exportRender({ renderId: done.renderId!, format: 'png', name: 'street brush' });
      expect(result!.path).toMatch(/street brush.*\.png$/);
      const exported = new File([await readFile(result!.path)], result!.fileName, { type: 'image/png' });
      const back = await exportsStore.readSettings(exported);
      expect(back.settings).toMatchObject(TINY);

      // A plain image carries no settings: the code says so.
      await expect(exportsStore.readSettings(await pngFile(6, 'plain.png'))).rejects.toMatchObject({ code: 'NO_SETTINGS' });

      expect(await library.deleteImage(content!.id)).toBe(false);
      expect(ui.toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Still in use' });
      expect(await library.deletePair(editor.pairId!)).toBe(true);
      expect(library.renders.some((r) => r.id === done.renderId)).toBe(false);
      expect(await library.deleteImage(content!.id)).toBe(true);
    } finally {
      for (const stop of stops) stop();
    }
  });
});
