// The Models panel's service on real folders: status, install from a folder into the first writable
// models folder, a download cancelled midway, and the words a render gets when weights are missing.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ModelsProgress } from '../../src/common/contract/index.js';
import { createModelsService } from '../../src/main/services/models/models-service.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { SHARED_MODELS } from './paths.js';

const { manifestsDir } = checkoutResources();
let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-models-service-'));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe('without weights', () => {
  test('reports every network missing and tells a render how to get them in the app', async () => {
    const models = createModelsService({ manifestsDir, dirs: [join(temp, 'models')] });
    const status = await models.status({});
    expect(status.networks.map((n) => [n.network, n.installed, n.problem?.code])).toEqual([
      ['vgg19', false, 'MODELS_MISSING'],
      ['fast-style', false, 'MODELS_MISSING'],
      ['vgg16', false, 'MODELS_MISSING'],
    ]);
    // VGG16 is never shipped: the panel says how to get it, in the app's words.
    const vgg16 = status.networks.find((n) => n.network === 'vgg16')!;
    expect(vgg16.problem?.message).toMatch(/vgg16_weights_tf_dim_ordering_tf_kernels_notop\.h5 .* folder named vgg16 .* open Models and install from that folder/);
    expect(vgg16.problem?.message).not.toMatch(/npm|npx|atelier models/);
    await expect(models.isInstalled('vgg16')).resolves.toBe(false);
    await expect(models.renderLocation('vgg16')).rejects.toThrow(/The VGG16 weights are not installed\. To add it, put Keras's/);
    expect(status.installDir).toBe(join(temp, 'models'));
    expect(status.canChooseFolder).toBe(false);
    const failure = models.renderLocation();
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_MISSING' });
    await expect(failure).rejects.toThrow('Open Models (in the top bar)');
    await expect(failure).rejects.not.toThrow(/npm|npx/);
  });
});

describe('installing from a folder', () => {
  test('copies and checks the files into the user folder when the shipped one cannot be written, and a render finds them there', async () => {
    // A folder that cannot be created (its parent is a file) stands for a read-only resources folder:
    // chmod would not do, as the tests may run as root.
    await writeFile(join(temp, 'a-file'), '');
    const shipped = join(temp, 'a-file', 'models');
    const user = join(temp, 'user', 'models');
    const models = createModelsService({ manifestsDir, dirs: [shipped, user] });
    expect((await models.status({})).installDir).toBe(user);
    const events: ModelsProgress[] = [];
    models.onProgress((event) => events.push(event));
    const status = await models.installFromFolder({ from: SHARED_MODELS });
    expect(status!.networks.map((n) => [n.network, n.installed, n.dir])).toEqual([
      ['vgg19', true, user],
      ['fast-style', true, user],
      ['vgg16', false, null],
    ]);
    expect(status!.busy).toBe(false);
    const copied = events.filter((e) => e.network === 'vgg19' && e.step === 'file');
    expect(copied.map((e) => e.done)).toEqual(copied.map((_, i) => i + 1));
    expect(copied.at(-1)!.done).toBe(copied.at(-1)!.total);
    expect(events.at(-1)).toMatchObject({ step: 'installed' });
    await expect(models.renderLocation()).resolves.toEqual({ manifestsDir, dir: user });
    await expect(models.renderLocation('fast-style')).resolves.toEqual({ manifestsDir, dir: user });
  });

  test('without a path and without a dialog, asks for a path', async () => {
    const models = createModelsService({ manifestsDir, dirs: [join(temp, 'models')] });
    await expect(models.installFromFolder({})).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  test('takes VGG16 too when the folder holds a vgg16 folder, checking its Keras file against the published hash', async () => {
    const from = join(temp, 'from');
    await mkdir(join(from, 'vgg16'), { recursive: true });
    await symlink(join(SHARED_MODELS, 'vgg19'), join(from, 'vgg19'));
    await symlink(join(SHARED_MODELS, 'fast-style'), join(from, 'fast-style'));
    // Not Keras's file (it cannot be downloaded here): the check refuses it, which shows VGG16 was taken.
    await writeFile(join(from, 'vgg16', 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'), 'not the weights');
    const models = createModelsService({ manifestsDir, dirs: [join(temp, 'models')] });
    await expect(models.installFromFolder({ from })).rejects.toThrow(/failed its check: expected md5 6d6bbae143d832006294945121d1f1fc, got [0-9a-f]{32}\. Nothing was installed for vgg16/);
    const status = await models.status({});
    expect(status.networks.map((n) => [n.network, n.installed])).toEqual([['vgg19', true], ['fast-style', true], ['vgg16', false]]);
    expect(status.busy).toBe(false);
  });

  test('a closed dialog installs nothing', async () => {
    const models = createModelsService({ manifestsDir, dirs: [join(temp, 'models')], chooseFolder: async () => null });
    await expect(models.installFromFolder({})).resolves.toBeNull();
    expect((await models.status({})).canChooseFolder).toBe(true);
  });
});

describe('downloading', () => {
  // Sends the first megabyte of the "weights" and then holds the connection open, like a slow mirror.
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Length': String(80_000_000) });
    response.write(Buffer.alloc(1_000_000, 1));
  });
  const base = new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('shows progress in bytes, can be cancelled, and leaves nothing behind', async () => {
    const dir = join(temp, 'models');
    const models = createModelsService({ manifestsDir, dirs: [dir], sources: { vgg19: `${await base}/vgg19.h5` } });
    const events: ModelsProgress[] = [];
    let cancelled = false;
    models.onProgress((event) => {
      events.push(event);
      if (!cancelled && event.step === 'download' && (event.done ?? 0) >= 1_000_000) {
        cancelled = true;
        void models.cancel({});
      }
    });
    const download = models.download({});
    await expect(models.download({})).rejects.toMatchObject({ code: 'IN_USE' });
    const status = await download;
    expect(cancelled).toBe(true);
    expect(events[0]).toMatchObject({ network: 'vgg19', step: 'download', total: 80_000_000 });
    expect(status.networks[0]).toMatchObject({ network: 'vgg19', installed: false });
    expect(status.busy).toBe(false);
    expect(await readdir(join(dir, 'vgg19'))).toEqual([]);
  });
});
