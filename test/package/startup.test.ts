// The desktop app's main process builds the studio before it can open a window; what it imports then is
// start-up time. TensorFlow.js (and h5wasm, behind the same lazy import) load in render processes and on
// the first install only.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const studio = resolve(fileURLToPath(import.meta.url), '../../../dist/main/studio.js');

describe('start-up', () => {
  it('builds the studio without loading TensorFlow.js', () => {
    const probe = `
      import { createRequire } from 'node:module';
      const { createStudio } = await import(${JSON.stringify(studio)});
      if (typeof createStudio !== 'function') throw new Error('no createStudio');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((path) => path.includes('/node_modules/@tensorflow/'))));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
