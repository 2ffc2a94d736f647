import { describe, expect, it } from 'vitest';
import { pixelIterations, Speedometer } from '../../src/main/engine/speedometer.js';

// Two stages as the studio plans them: a cheap coarse one, then a fine one with 16 times the pixels.
const STAGES = [
  { width: 32, height: 24, iterations: 40 },
  { width: 128, height: 96, iterations: 20 },
];

describe('time left (speedometer)', () => {
  it('starts from the expected speed, the one the estimate before Render used', () => {
    const clock = new Speedometer(STAGES, 0.01);
    clock.record(0, 500, 0);
    const left = pixelIterations(STAGES) - 32 * 24;
    // Plus the second stage's setup, expected to cost what the first one's did.
    expect(clock.eta(0, 1)).toBeCloseTo(left * 0.01 + 500, 6);
  });

  it('moves toward the measured speed as the render goes, half-way by half the work', () => {
    const clock = new Speedometer(STAGES, 0.01);
    const half = pixelIterations(STAGES) / 2;
    // Setup 100 ms, then the first stage at 0.03 ms per pixel-iteration; the second stage up to half the work.
    clock.record(0, 100, 0);
    clock.record(0, 100 + 39 * 32 * 24 * 0.03, 39);
    clock.finishStage();
    const secondDone = (half - 39 * 32 * 24) / (128 * 96);
    clock.record(1, 100, 0);
    clock.record(1, 100 + secondDone * 128 * 96 * 0.03, secondDone);
    expect(clock.rate()).toBeCloseTo((0.01 * 2 * half + 0.03 * half) / (3 * half), 9);
  });

  it('counts the setup of the stages not started yet', () => {
    const clock = new Speedometer(STAGES);
    clock.record(0, 2000, 0);
    clock.record(0, 2000 + 10 * 32 * 24 * 0.02, 10);
    const rate = 0.02;
    expect(clock.eta(0, 11)).toBeCloseTo((29 * 32 * 24 + 20 * 128 * 96) * rate + 2000, 3);
  });
});
