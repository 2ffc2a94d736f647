// The renderer's pure logic: error codes to words, the settings form <-> settings object, the loss
// chart's geometry and the display formats. No DOM, no server.
import { describe, expect, it } from 'vitest';
import { AtelierError, ERROR_CODES } from '../../src/common/errors.js';
import { renderSettingsSchema, type RenderSettingsInput } from '../../src/common/settings.js';
import { formatDuration } from '../../src/renderer/components/common/format.js';
import { formatLoss, lossChartGeometry } from '../../src/renderer/components/render/loss-chart.js';
import { SETTING_DOCS } from '../../src/renderer/components/settings/setting-docs.js';
import { describeError, errorTitle } from '../../src/renderer/stores/error-words.js';
import { DEFAULT_SETTINGS, fromForm, sameSettings, toForm } from '../../src/renderer/stores/settings-form.js';

describe('error words', () => {
  it('titles a known code and shows the service message as a sentence', () => {
    const view = describeError(new AtelierError('IN_USE', 'the image is used by "Tübingen × Starry Night"'));
    expect(view).toEqual({ code: 'IN_USE', title: 'Still in use', message: 'The image is used by "Tübingen × Starry Night".' });
  });

  it('has its own title for every code (the compiler checks that each has one)', () => {
    const internal = errorTitle('INTERNAL');
    for (const code of ERROR_CODES.filter((c) => c !== 'INTERNAL')) expect(errorTitle(code), code).not.toBe(internal);
    expect(new Set(ERROR_CODES.map(errorTitle)).size).toBe(ERROR_CODES.length);
    expect(errorTitle('BAD_PRESET')).toBe('Not a preset Atelier can use');
    expect(errorTitle('NAME_TAKEN')).toBe('That name is taken');
    expect(errorTitle('PRESET_INVALID')).toBe(internal);
  });

  it('falls back for unknown codes and for things that are not AtelierErrors', () => {
    expect(describeError({ code: 'SOMETHING_NEW', message: 'it broke.' }).title).toBe(errorTitle('INTERNAL'));
    // Words nobody wrote for people stay behind "Details"; the person reads a plain sentence.
    expect(describeError(new Error('plain failure'))).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^Atelier met a problem/), details: 'plain failure' });
    expect(describeError({ code: 'IMAGE_UNREADABLE', message: '"notes.txt" is not an image' })).toMatchObject({
      title: 'Not an image Atelier can read',
      message: '"notes.txt" is not an image.',
    });
    expect(describeError(undefined).message).toBe('No details were given.');
  });
});

describe('settings form', () => {
  it('shows the schema defaults and converts back to valid settings', () => {
    const form = toForm({});
    expect(form).toMatchObject({ mode: 'transfer', size: '512', scales: '', iterations: '', styleWeight: '10', init: '', styleScale: '1', colourTransfer: 'none', lossNormalization: 'relative' });
    const { settings, valid, errors } = fromForm(form);
    expect(errors).toEqual({});
    expect(valid).toBe(true);
    expect(renderSettingsSchema.parse(settings)).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips every field', () => {
    const input: RenderSettingsInput = {
      mode: 'texture', size: 384, scales: [192, 384], iterations: [100, 20], schedule: 'finest', optimizer: 'adam', learningRate: 2.5, historySize: 7,
      init: 'noise', seed: 42, contentLayers: ['conv5_2'], styleLayers: ['conv1_1', 'conv3_1'], styleLayerWeights: [2, 1],
      contentWeight: 0.5, styleWeight: 1e-4, tvWeight: 0, tvKind: 'squared', pooling: 'max', keepColors: true, progressEvery: 5,
      styleScale: 0.5, colourTransfer: 'luminance', version: 2, lossNormalization: 'paper',
    };
    const { settings, valid } = fromForm(toForm(input));
    expect(valid).toBe(true);
    expect(settings).toEqual(input);
  });

  it('accepts Keras layer names and text with spaces, and one iteration count for all stages', () => {
    const form = { ...toForm({ contentLayers: ['block4_conv2' as 'conv4_2'] }), scales: ' 128  256,512 ', iterations: '50' };
    expect(form.contentLayers).toEqual(['conv4_2']);
    expect(fromForm(form).settings).toMatchObject({ scales: [128, 256, 512], iterations: 50 });
  });

  it('reports each bad field in words', () => {
    const form = { ...toForm({}), size: 'big', styleWeight: '-1', scales: '256, 128', styleLayerWeights: '1, 2', contentLayers: [] };
    const { errors, valid } = fromForm(form);
    expect(valid).toBe(false);
    expect(errors.size).toMatch(/whole number of pixels/);
    expect(errors.styleWeight).toMatch(/0 or more/);
    expect(errors.scales).toMatch(/go up, and the last one equals the size/);
    expect(errors.styleLayerWeights).toMatch(/one weight per style layer \(5\)/);
    expect(errors.contentLayers).toMatch(/at least one layer/);
    // A number input gives numbers, an emptied one an empty string.
    expect(fromForm({ ...toForm({}), size: 256, seed: '' }).errors).toEqual({ seed: expect.stringMatching(/whole number/) });
  });

  it('compares settings by what they render', () => {
    expect(sameSettings({}, { size: 512, styleWeight: 10 })).toBe(true);
    // The same number in other units is another look.
    expect(sameSettings({ styleWeight: 100 }, { styleWeight: 100, lossNormalization: 'paper' })).toBe(false);
    // Size and schedule are the pair's, not the look's.
    expect(sameSettings({ size: 256, iterations: 20 }, {})).toBe(true);
    expect(sameSettings({ styleWeight: 0.01 }, {})).toBe(false);
    expect(sameSettings({ progressEvery: 1, styleBlend: [1, 2] }, {})).toBe(true);
  });

  it('explains every field', () => {
    for (const field of Object.keys(toForm({}))) {
      const doc = SETTING_DOCS[field as keyof typeof SETTING_DOCS];
      expect(doc.label.length).toBeGreaterThan(2);
      expect(doc.help.length).toBeGreaterThan(20);
    }
  });
});

describe('loss chart', () => {
  const box = { width: 100, height: 50, pad: 5 };

  it('places values on a log scale, first at the left, last at the right', () => {
    const g = lossChartGeometry([1000, 100, 10], box);
    expect(g.points).toBe('5,5 50,25 95,45');
    expect(g.last).toEqual({ x: 95, y: 45 });
    // Guides at each power of ten, from the bottom up.
    expect(g.ticks).toEqual([{ y: 45, label: '10' }, { y: 25, label: '100' }, { y: 5, label: '1000' }]);
    expect([g.min, g.max]).toEqual([10, 1000]);
  });

  it('skips values a log axis cannot show and copes with none or one', () => {
    expect(lossChartGeometry([], box)).toMatchObject({ points: '', last: null, ticks: [] });
    expect(lossChartGeometry([0, Number.NaN, -1], box).points).toBe('');
    expect(lossChartGeometry([5], box).points).toBe('50,25');
    const withGap = lossChartGeometry([100, 0, 1], box);
    expect(withGap.points).toBe('5,5 95,45');
  });

  it('draws a flat series in the middle', () => {
    expect(lossChartGeometry([7, 7, 7], box).points).toBe('5,25 50,25 95,25');
  });

  it('formats losses and durations shortly', () => {
    expect([formatLoss(123_456), formatLoss(0.5), formatLoss(0.004), formatLoss(1500), formatLoss(Number.NaN)]).toEqual(['1.2e5', '0.5', '4e-3', '1500', '–']);
    expect([formatDuration(4_200), formatDuration(65_000), formatDuration(3_700_000)]).toEqual(['4 s', '1 min 05 s', '1 h 01 min']);
  });
});
