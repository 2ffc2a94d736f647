import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { registerModelsCommand } from '../../src/main/cli/models-command.js';
import { ModelsMissingError } from '../../src/main/services/models/index.js';
import { SHARED_MODELS } from './paths.js';

let temp: string;
let out: string;
let err: string;
let program: Command;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-cli-'));
  out = '';
  err = '';
  program = new Command('atelier').exitOverride().configureOutput({
    writeOut: (text) => (out += text),
    writeErr: (text) => (err += text),
  });
  registerModelsCommand(program);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const run = (...args: string[]) => program.parseAsync(args, { from: 'user' });

test('models install --from … --only vgg19, then models verify', async () => {
  await run('models', 'install', '--from', SHARED_MODELS, '--to', temp, '--only', 'vgg19');
  expect(err.split('\n')).toEqual([
    ...['model.json', ...Array.from({ length: 7 }, (_, i) => `group1-shard${i + 1}of7.bin`)].map(
      (file, i) => `vgg19: checked ${file} (${i + 1}/8)`,
    ),
    `vgg19: installed 8 files in ${join(temp, 'vgg19')}`,
    '',
  ]);

  await run('models', 'verify', '--dir', temp, '--only', 'vgg19');
  expect(out).toBe(`vgg19: 8 files ok in ${join(temp, 'vgg19')}\n`);
});

test('models verify fails with the how-to-install error when nothing is installed', async () => {
  const failure = run('models', 'verify', '--dir', temp);
  await expect(failure).rejects.toBeInstanceOf(ModelsMissingError);
  await expect(failure).rejects.toThrow(/npm run models:install/);
});

test('--only takes a known network', async () => {
  await expect(run('models', 'install', '--only', 'alexnet')).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  expect(err).toMatch(/Allowed choices are vgg19, fast-style/);
});
