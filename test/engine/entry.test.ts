import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The engine's entry is cheap: importing it (as the studio's main process does, for plans, sizes and
 * memory rules) starts no TensorFlow.js, which registers its engine on globalThis when it loads; the
 * runtime entry does. Each built module is imported in a fresh Node, where nothing else loaded tfjs.
 */
const ENGINE = join(process.cwd(), 'dist', 'main', 'engine');

function tfjsLoadedAfterImporting(file: string): boolean {
  const path = join(ENGINE, file);
  if (!existsSync(path)) throw new Error(`${path} is missing; run \`npm run -s build:node\` first`);
  const script = `await import(${JSON.stringify(pathToFileURL(path).href)}); console.log('_tfengine' in globalThis);`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().endsWith('true');
}

describe('the engine entry', () => {
  it('loads no TensorFlow.js; the runtime entry does', () => {
    expect(tfjsLoadedAfterImporting('index.js')).toBe(false);
    expect(tfjsLoadedAfterImporting('runtime.js')).toBe(true);
  });
});
