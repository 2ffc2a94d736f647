#!/usr/bin/env node
// `npm run dist [-- --samples DIR] [-- electron-builder options]`: refuses to package an app without its
// weights, stages the optional sample images where electron-builder.yml takes them from, then runs
// electron-builder with that file. Runs after `npm run build`: it checks with the app's own built code.
import { spawnSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkModels } from './check-models.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stagedSamples = join(root, 'build', 'samples');
const USAGE = `usage: npm run dist -- [--samples DIR] [-- electron-builder options, e.g. --linux dir]

  --samples DIR  ship these images as the app's samples ("Add sample images"); without it, none ship`;

const { values, positionals } = parseArgs({
  options: { samples: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const { checkoutResources } = await import(join(root, 'dist/main/services/resources/index.js'));
const { manifestsDir, modelsDir } = checkoutResources(root);
const refusal = await checkModels(modelsDir, manifestsDir);
if (refusal) {
  console.error(`dist: refusing to build: ${refusal}`);
  process.exit(1);
}

await rm(stagedSamples, { recursive: true, force: true });
if (values.samples) {
  const from = resolve(values.samples);
  // Counted the way the app's library lists them (content/ and style/ images), so what ships is what it offers.
  const { sampleFiles } = await import(join(root, 'dist/main/services/library/import-image.js'));
  const files = await sampleFiles(from);
  if (files.length === 0) {
    console.error(`dist: refusing to build: ${from} has no images in content/ or style/`);
    process.exit(1);
  }
  for (const file of files) await cp(file, join(stagedSamples, relative(from, file)));
  console.error(`dist: shipping ${files.length} sample images from ${from}`);
} else {
  console.error('dist: no --samples folder given; the app ships without sample images');
}

const builder = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const run = spawnSync(process.execPath, [builder, ...positionals], { cwd: root, stdio: 'inherit' });
// The staged copy has served its purpose; a later build without --samples must not pick it up.
await rm(stagedSamples, { recursive: true, force: true });
process.exit(run.status ?? 1);
