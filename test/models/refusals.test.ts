import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  ModelsCorruptError,
  ModelsDownloadError,
  ModelsMissingError,
  installModels,
  loadVgg19Weights,
  verifyModels,
} from '../../src/main/services/models/index.js';
import { SHARED_MODELS } from './paths.js';

async function flipByte(path: string, at: number): Promise<void> {
  await chmod(path, 0o644);
  const bytes = await readFile(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  await writeFile(path, bytes);
}

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-refusals-'));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe('corrupt files', () => {
  test('a source file that fails its checksum is refused and nothing is installed for it', async () => {
    const source = join(temp, 'source');
    await cp(join(SHARED_MODELS, 'vgg19'), join(source, 'vgg19'), { recursive: true });
    const bad = join(source, 'vgg19', 'group1-shard3of7.bin');
    await flipByte(bad, 1000);
    const to = join(temp, 'models');

    const failure = installModels({ from: source, to, networks: ['vgg19'] });
    await expect(failure).rejects.toBeInstanceOf(ModelsCorruptError);
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_CORRUPT', file: bad });
    await expect(failure).rejects.toThrow(/group1-shard3of7\.bin failed its check: expected sha256 d1e7346f\w+, got [0-9a-f]{64}/);
    expect(await readdir(join(to, 'vgg19'))).toEqual([]);
  });

  test('a failed reinstall leaves the good install in place', async () => {
    const to = join(temp, 'models');
    await installModels({ from: SHARED_MODELS, to, networks: ['vgg19'] });
    const source = join(temp, 'source');
    await cp(join(SHARED_MODELS, 'vgg19'), join(source, 'vgg19'), { recursive: true });
    await flipByte(join(source, 'vgg19', 'group1-shard7of7.bin'), 0);

    await expect(installModels({ from: source, to, networks: ['vgg19'] })).rejects.toBeInstanceOf(ModelsCorruptError);
    expect((await readdir(join(to, 'vgg19'))).sort()).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `group1-shard${i + 1}of7.bin`),
      'model.json',
    ]);
    await expect(verifyModels({ dir: to, networks: ['vgg19'] })).resolves.toHaveLength(1);
  });

  test('an installed file damaged later is refused at load, naming it and how to reinstall', async () => {
    const to = join(temp, 'models');
    await installModels({ from: SHARED_MODELS, to, networks: ['vgg19'] });
    await loadVgg19Weights(to);
    const damaged = join(to, 'vgg19', 'group1-shard5of7.bin');
    await flipByte(damaged, 4096);

    const failure = loadVgg19Weights(to);
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_CORRUPT', file: damaged });
    await expect(failure).rejects.toThrow(/group1-shard5of7\.bin is corrupt: .*Reinstall with `npx atelier models install --from <dir>`/);
  });
});

test('an install clears what an interrupted one left behind', async () => {
  const leftover = join(temp, 'vgg19', '.staging-interrupted');
  await mkdir(leftover, { recursive: true });
  await writeFile(join(leftover, 'model.json'), '{');
  await installModels({ from: SHARED_MODELS, to: temp, networks: ['vgg19'] });
  expect(await readdir(join(temp, 'vgg19'))).not.toContain('.staging-interrupted');
});

describe('missing weights', () => {
  test('say how to install them', async () => {
    const failure = loadVgg19Weights(temp);
    await expect(failure).rejects.toBeInstanceOf(ModelsMissingError);
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_MISSING' });
    await expect(failure).rejects.toThrow(`VGG19 weights not installed in ${join(temp, 'vgg19')}.`);
    await expect(failure).rejects.toMatchObject({ missing: expect.arrayContaining(['model.json', 'group1-shard7of7.bin']) });
    await expect(failure).rejects.toThrow(/`npm run models:install`/);
    await expect(failure).rejects.toThrow(/`npx atelier models install --from <dir>`/);
  });

  test('an incomplete install names what is missing', async () => {
    await installModels({ from: SHARED_MODELS, to: temp, networks: ['vgg19'] });
    await rm(join(temp, 'vgg19', 'group1-shard2of7.bin'));
    await expect(loadVgg19Weights(temp)).rejects.toThrow(
      `VGG19 weights incomplete (missing group1-shard2of7.bin) in ${join(temp, 'vgg19')}. Install them with`,
    );
  });

  test('a source folder without the files is named', async () => {
    await expect(installModels({ from: join(temp, 'nowhere'), to: join(temp, 'models'), networks: ['vgg19'] })).rejects.toThrow(
      /nowhere\/vgg19\/model\.json is missing from the source folder/,
    );
  });
});

describe('downloads', () => {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? '');
    if (path === '/vgg19.h5') {
      response.end(Buffer.alloc(1000, 7));
      return;
    }
    readFile(join(SHARED_MODELS, path)).then(
      (bytes) => response.end(bytes),
      () => response.writeHead(404).end(),
    );
  });
  const base = new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an unreachable source gives a clear error and leaves nothing behind', async () => {
    const url = 'http://127.0.0.1:9/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5';
    const failure = installModels({ to: temp, networks: ['vgg19'], sources: { vgg19: url } });
    await expect(failure).rejects.toBeInstanceOf(ModelsDownloadError);
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_DOWNLOAD_FAILED', url });
    // fetch refuses port 9 outright ("bad port"); elsewhere the reason would be ECONNREFUSED or ENOTFOUND.
    await expect(failure).rejects.toThrow(`could not download ${url} (`);
    await expect(failure).rejects.toThrow('; no network?) — install from a local folder with `atelier models install --from DIR`');
    expect(await readdir(join(temp, 'vgg19'))).toEqual([]);
  });

  test('a downloaded file that fails the published hash is refused', async () => {
    const failure = installModels({ to: temp, networks: ['vgg19'], sources: { vgg19: `${await base}/vgg19.h5` } });
    await expect(failure).rejects.toBeInstanceOf(ModelsCorruptError);
    await expect(failure).rejects.toThrow(/vgg19\.h5 failed its check: expected md5 253f8cb515780f3b799900260a226db6, got/);
    expect(await readdir(join(temp, 'vgg19'))).toEqual([]);
  });

  test('fast-style networks download file by file and are checked', async () => {
    const installed = await installModels({ to: temp, networks: ['fast-style'], sources: { 'fast-style': `${await base}/fast-style` } });
    expect(installed).toHaveLength(9);
    await expect(verifyModels({ dir: temp, networks: ['fast-style'] })).resolves.toHaveLength(9);
  });
});
