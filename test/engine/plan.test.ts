import { describe, expect, it } from 'vitest';
import { renderSettingsSchema } from '../../src/common/settings.js';
import { planRender } from '../../src/main/engine/plan.js';

const PHOTO = { content: { width: 800, height: 600 }, styles: [{ width: 640, height: 480 }] };
const stagesOf = (settings: object) => planRender({ size: 512, ...settings }, PHOTO).stages.map(({ size, iterations }) => [size, iterations]);

describe('the automatic schedule', () => {
  it('runs the standard schedule unless the look asks for the finest one', () => {
    const standard = stagesOf({});
    expect(standard.map(([size]) => size)).toEqual([128, 256, 512]);
    expect(stagesOf({ schedule: 'standard' })).toEqual(standard);
    expect(stagesOf({ schedule: 'finest' })).toEqual([[128, 500], [256, 200], [512, 300]]);
    // Finest paints longer at every stage.
    for (const [i, [, iterations]] of stagesOf({ schedule: 'finest' }).entries()) expect(iterations).toBeGreaterThan(standard[i]![1]!);
  });

  it('gives way to iterations the person typed', () => {
    expect(stagesOf({ schedule: 'finest', iterations: [10, 20, 30] })).toEqual([[128, 10], [256, 20], [512, 30]]);
    expect(stagesOf({ schedule: 'finest', scales: [256, 512] })).toEqual([[256, 200], [512, 100]]);
  });

  it('refuses a schedule it does not know', () => {
    expect(renderSettingsSchema.safeParse({ schedule: 'fastest' }).success).toBe(false);
  });
});
