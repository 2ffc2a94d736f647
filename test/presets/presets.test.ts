import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetSchema, settingsInputSchema } from '../../src/common/contract/index.js';
import { renderSettingsSchema, VGG19_LAYERS } from '../../src/common/settings.js';
import { contentLoss } from '../../src/main/engine/losses.js';
import * as tf from '../../src/main/engine/tf.js';
import { expectedKernelShape, Vgg19, type Vgg19Weights } from '../../src/main/engine/vgg19.js';
import { BUILT_IN_PRESETS, createPresets, type PresetsService } from '../../src/main/services/presets/index.js';

let dataDir: string;
let presets: PresetsService;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atelier-presets-'));
  presets = createPresets({ dataDir });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const BUILT_IN_IDS = ['builtin-gatys-2015', 'builtin-chollet-keras', 'builtin-subtle', 'builtin-bold', 'builtin-finest', 'builtin-texture-only'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Settings as a render resolves them. The contract's settingsInputSchema fills in defaults when it
 * parses (zod 4's partial() keeps them), so stored and imported settings are compared by what they paint.
 */
const rendered = (settings: object): object => renderSettingsSchema.parse(settings);
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error);

describe('built-in presets', () => {
  it('come first, with fixed ids, a description, and settings the strict schema accepts as they are', async () => {
    const list = await presets.list({});
    expect(list.map((p) => p.id)).toEqual(BUILT_IN_IDS);
    for (const preset of list) {
      expect(presetSchema.safeParse(preset).success).toBe(true);
      expect(preset.builtIn).toBe(true);
      expect(preset.description.length).toBeGreaterThan(20);
      expect(settingsInputSchema.safeParse(preset.settings).success).toBe(true);
      expect(rendered(preset.settings)).toMatchObject(preset.settings);
    }
  });

  it('all set the same keys, so applying one after another leaves nothing of the first', () => {
    const keys = BUILT_IN_PRESETS.map((p) => Object.keys(p.settings).sort());
    for (const k of keys) expect(k).toEqual(keys[0]);
  });

  it('Gatys 2015 follows the paper: its layers, average pooling, L-BFGS from noise, no TV, β/α ≈ 1e3 / 2.1e6', async () => {
    expect(BUILT_IN_PRESETS[0]!.settings).toMatchObject({
      contentLayers: ['conv4_2'],
      styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
      styleLayerWeights: [1, 1, 1, 1, 1],
      pooling: 'avg',
      optimizer: 'lbfgs',
      init: 'noise',
      contentWeight: 1,
      styleWeight: 5e-4,
      tvWeight: 0,
    });
    // The paper's ½Σ(F−P)² is the engine's content loss (a mean) times the number of conv4_2 values;
    // that number is read from the engine's own VGG19 (shapes only: zero weights), at 32 px and scaled
    // by area to 512 px, and the preset's weight must be the paper's α/β = 1e-3 divided by it.
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const weights = Object.fromEntries(VGG19_LAYERS.map((layer) => {
      const shape = expectedKernelShape(layer);
      return [layer, { kernel: new Float32Array(shape.reduce((a, b) => a * b, 1)), kernelShape: shape, bias: new Float32Array(shape[3]) }];
    })) as Vgg19Weights;
    const vgg = Vgg19.fromWeights(weights);
    const [conv42At32, mean] = tf.tidy(() => {
      const features = vgg.features(tf.zeros([1, 32, 32, 3]), ['conv4_2'], 'avg').get('conv4_2')!;
      return [features.size, contentLoss(tf.add(features, 1), features).arraySync()];
    });
    vgg.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(mean).toBeCloseTo(0.5, 6);
    const conv42Values = conv42At32 * (512 / 32) ** 2;
    expect(BUILT_IN_PRESETS[0]!.settings.styleWeight! / BUILT_IN_PRESETS[0]!.settings.contentWeight!).toBeCloseTo(1e3 / conv42Values, 4);
  });

  it('cannot be renamed or deleted, but can be exported', async () => {
    await expect(presets.rename({ id: 'builtin-bold', name: 'Mine' })).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(presets.delete({ id: 'builtin-bold' })).rejects.toMatchObject({ code: 'READ_ONLY' });
    const file = await presets.export({ id: 'builtin-gatys-2015' });
    expect(file.fileName).toBe('Gatys 2015.atelier-preset.json');
    expect(JSON.parse(file.json)).toMatchObject({ format: 'atelier-preset', version: 1, name: 'Gatys 2015', settings: { styleWeight: 5e-4 } });
  });
});

describe('user presets', () => {
  it('are saved with a new UUID, kept in presets.json, and listed after the built-ins by name', async () => {
    const zebra = await presets.save({ name: 'Zebra', description: '', settings: { styleWeight: 2e-3 } });
    const apple = await presets.save({ name: 'apple', description: 'soft', settings: { tvWeight: 1 } });
    // Stored with the version of the units they are in (settings.ts, migrateStoredSettings).
    expect(zebra).toEqual({ id: expect.stringMatching(UUID), name: 'Zebra', description: '', builtIn: false, settings: { version: 2, styleWeight: 2e-3 } });

    const reopened = createPresets({ dataDir });
    const list = await reopened.list({});
    expect(list.map((p) => p.name).slice(BUILT_IN_IDS.length)).toEqual(['apple', 'Zebra']);
    expect(list.at(-2)).toMatchObject({ ...apple, settings: { version: 2 } });
    expect(rendered(list.at(-2)!.settings)).toEqual(rendered(apple.settings));
    expect(JSON.parse(await readFile(join(dataDir, 'presets.json'), 'utf8')).presets).toHaveLength(2);
  });

  it('refuse a name already used, whatever its case, by a user preset or a built-in', async () => {
    await presets.save({ name: 'Dreamy', description: '', settings: {} });
    for (const name of ['dreamy', 'DREAMY', 'bold']) {
      const error = await rejection(presets.save({ name, description: '', settings: {} }));
      expect(error).toMatchObject({ code: 'NAME_TAKEN', message: `a preset named "${name}" already exists; choose another name` });
    }
    expect(await presets.list({})).toHaveLength(BUILT_IN_IDS.length + 1);
  });

  it('rename: to a free name, to another case of its own name, never to a taken one', async () => {
    const dreamy = await presets.save({ name: 'Dreamy', description: '', settings: {} });
    await presets.save({ name: 'Sharp', description: '', settings: {} });
    expect(await presets.rename({ id: dreamy.id, name: 'Misty' })).toMatchObject({ id: dreamy.id, name: 'Misty' });
    expect(await presets.rename({ id: dreamy.id, name: 'MISTY' })).toMatchObject({ name: 'MISTY' });
    await expect(presets.rename({ id: dreamy.id, name: 'sharp' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    await expect(presets.rename({ id: 'not-a-preset-id', name: 'X' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('delete removes one preset; a second delete says it is gone', async () => {
    const doomed = await presets.save({ name: 'Doomed', description: '', settings: {} });
    await presets.save({ name: 'Kept', description: '', settings: {} });
    expect(await presets.delete({ id: doomed.id })).toBeNull();
    expect((await presets.list({})).map((p) => p.name)).not.toContain('Doomed');
    expect((await presets.list({})).map((p) => p.name)).toContain('Kept');
    await expect(presets.delete({ id: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('onDidChange fires once per change, not for a refused one, and stops when unsubscribed', async () => {
    let calls = 0;
    const unsubscribe = presets.onDidChange(() => calls++);
    const p = await presets.save({ name: 'One', description: '', settings: {} });
    await presets.rename({ id: p.id, name: 'Two' });
    await presets.import({ json: (await presets.export({ id: p.id })).json });
    await presets.delete({ id: p.id });
    await presets.save({ name: 'bold', description: '', settings: {} }).catch(() => undefined);
    await presets.import({ json: '{' }).catch(() => undefined);
    expect(calls).toBe(4);
    unsubscribe();
    await presets.save({ name: 'Three', description: '', settings: {} });
    expect(calls).toBe(4);
  });
});

describe('settings saved before version 2', () => {
  const VERSION_1 = { styleWeight: 2e-3, contentLayers: ['conv5_2'] };

  it('are read in their own units: the paper\'s normalization and version 1\'s defaults for the weights they left unset', () => {
    expect(settingsInputSchema.parse(VERSION_1)).toEqual({ ...VERSION_1, version: 2, lossNormalization: 'paper', tvWeight: 5 });
    expect(settingsInputSchema.parse({})).toEqual({ version: 2, lossNormalization: 'paper', styleWeight: 4.4e-4, tvWeight: 5 });
    // Version 2 settings are left as they are, and a later version is refused rather than misread.
    expect(settingsInputSchema.parse({ version: 2, styleWeight: 300 })).toEqual({ version: 2, styleWeight: 300 });
    expect(settingsInputSchema.safeParse({ version: 3 }).success).toBe(false);
    // The version 1 default render, in version 2 terms: what a pair that followed the defaults painted.
    expect(rendered(settingsInputSchema.parse({}))).toMatchObject({ lossNormalization: 'paper', styleWeight: 4.4e-4, tvWeight: 5, pooling: 'max' });
  });

  it('in a preset file, import with their units kept, and in presets.json, reopen with them', async () => {
    const imported = await presets.import({ json: JSON.stringify({ format: 'atelier-preset', version: 1, name: 'Old', description: '', settings: VERSION_1 }) });
    expect(imported.settings).toEqual({ ...VERSION_1, version: 2, lossNormalization: 'paper', tvWeight: 5 });
    const reopened = (await createPresets({ dataDir }).list({})).find((p) => p.id === imported.id)!;
    expect(reopened.settings).toEqual(imported.settings);
  });

  it('every built-in says which units it is in', () => {
    for (const preset of BUILT_IN_PRESETS) expect(preset.settings.version, preset.name).toBe(2);
    const weight = (id: string) => BUILT_IN_PRESETS.find((p) => p.id === id)!.settings.styleWeight!;
    const defaults = rendered({});
    expect(weight('builtin-subtle')).toBeLessThan((defaults as { styleWeight: number }).styleWeight);
    expect(weight('builtin-bold')).toBeGreaterThan((defaults as { styleWeight: number }).styleWeight);
  });
});

describe('preset files', () => {
  it('export then import: same name, description and settings under a new id, " (2)" on a clash', async () => {
    const original = await presets.save({ name: 'Night / Day', description: 'two moods', settings: { styleWeight: 3e-3, contentLayers: ['conv5_2'], tvKind: 'squared' } });
    const file = await presets.export({ id: original.id });
    expect(file.fileName).toBe('Night _ Day.atelier-preset.json');
    expect(JSON.parse(file.json)).toEqual({ format: 'atelier-preset', version: 1, name: 'Night / Day', description: 'two moods', settings: original.settings });

    const copy = await presets.import({ json: file.json });
    expect(copy).toMatchObject({ id: expect.stringMatching(UUID), name: 'Night / Day (2)', description: 'two moods', builtIn: false });
    expect(copy.id).not.toBe(original.id);
    expect(rendered(copy.settings)).toEqual(rendered(original.settings));
    expect((await presets.import({ json: file.json })).name).toBe('Night / Day (3)');
  });

  it('an imported name that is taken stays within the 100-character limit', async () => {
    const long = 'x'.repeat(100);
    await presets.save({ name: long, description: '', settings: {} });
    const copy = await presets.import({ json: JSON.stringify({ format: 'atelier-preset', version: 1, name: long, settings: {} }) });
    expect(copy.name).toBe(`${'x'.repeat(96)} (2)`);
    expect(await createPresets({ dataDir }).list({})).toHaveLength(BUILT_IN_IDS.length + 2);
  });

  it('accepts a Keras layer name and stores it as the paper names it', async () => {
    const json = JSON.stringify({ format: 'atelier-preset', version: 1, name: 'Keras', settings: { contentLayers: ['block5_conv2'] } });
    expect((await presets.import({ json })).settings.contentLayers).toEqual(['conv5_2']);
  });

  const file = (changes: Record<string, unknown>): string => JSON.stringify({ format: 'atelier-preset', version: 1, name: 'P', description: '', settings: {}, ...changes });
  it.each([
    ['not JSON', '{"format": "atelier-preset",', /^not a preset file: .*JSON/],
    ['JSON that is not a preset', '[1, 2]', /^not a preset file: it lacks "format": "atelier-preset"$/],
    ['another format', file({ format: 'lut' }), /^not a preset file: it lacks "format"/],
    ['a newer version', file({ version: 2 }), /^this preset file was made by a newer Atelier \(file version 2\); this one reads version 1$/],
    ['a bad version', file({ version: '1' }), /^this preset file cannot be used: version: /],
    ['an unknown setting', file({ settings: { styleWeight: 1e-3, brushSize: 3 } }), /^this preset file cannot be used: settings\.brushSize: not a setting Atelier knows$/],
    ['a bad value', file({ settings: { styleWeight: -1 } }), /^this preset file cannot be used: settings\.styleWeight: /],
    ['an unknown layer', file({ settings: { styleLayers: ['conv9_1'] } }), /settings\.styleLayers\.0: unknown VGG19 layer "conv9_1"/],
    ['an empty name', file({ name: '  ' }), /^this preset file cannot be used: name: /],
  ])('refuses %s with BAD_PRESET and changes nothing', async (_, json, message) => {
    await presets.save({ name: 'Existing', description: '', settings: {} });
    const before = await presets.list({});
    const document = await readFile(join(dataDir, 'presets.json'), 'utf8');

    const error = await rejection(presets.import({ json }));

    expect(error).toMatchObject({ code: 'BAD_PRESET', message: expect.stringMatching(message) });
    expect(await presets.list({})).toEqual(before);
    expect(await readFile(join(dataDir, 'presets.json'), 'utf8')).toBe(document);
  });

  it('a refused file on a first run does not even create presets.json', async () => {
    await expect(presets.import({ json: 'nope' })).rejects.toMatchObject({ code: 'BAD_PRESET' });
    expect(existsSync(join(dataDir, 'presets.json'))).toBe(false);
  });
});
