// `npm run dist` for real: electron-builder packs the Linux `dir` target around a stand-in Electron binary
// (the real one cannot be downloaded here), and the result is checked the way the installed app uses it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles } from '../../src/main/services/library/import-image.js';
import { createModelsService } from '../../src/main/services/models/models-service.js';
import { verifyModels } from '../../src/main/services/models/index.js';
import { packagedResources } from '../../src/main/services/resources/index.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const sharedImages = resolve(root, '../shared/images');
/** The limit this project keeps app.asar under: it was 313 MB with the whole tfjs package and the Vue compiler in it. */
const ASAR_LIMIT_BYTES = 40 * 1024 * 1024;
/** Production dependencies of the command line only (it runs from a checkout); electron-builder.yml leaves them out. */
const CLI_ONLY = new Set(['commander', 'cli-progress']);

/** How the wire stores a fuse: the characters '1' and '0' (@electron/fuses does not export its names for them). */
const FuseState = { ENABLE: '1'.charCodeAt(0), DISABLE: '0'.charCodeAt(0) };

const electronVersion = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  homepage?: string;
  author?: { email?: string };
  dependencies: Record<string, string>;
};

let temp: string;
let appDir: string;
let resourcesDir: string;
let asarPath: string;
let entries: Set<string>;
let build: { code: number | null; output: string };

function run(args: string[], script = 'dist.mjs'): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'scripts/packaging', script), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/** A path inside app.asar, as the asar index names it (no leading slash). */
function inAsar(path: string): boolean {
  return entries.has(path);
}

function unpacked(path: string): boolean {
  const stat = statFile(asarPath, path, false) as { unpacked?: boolean };
  return stat.unpacked === true && existsSync(join(`${asarPath}.unpacked`, path));
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-package-'));
  const { makeStandInElectron } = await import('./stand-in-electron.js');
  const electronDist = await makeStandInElectron(join(temp, 'electron-dist'), electronVersion);
  // Two samples are enough to show that the ones given are the ones shipped.
  const samples = join(temp, 'samples');
  await cp(join(sharedImages, 'content', 'tubingen.jpg'), join(samples, 'content', 'tubingen.jpg'));
  await cp(join(sharedImages, 'style', 'starry_night.jpg'), join(samples, 'style', 'starry_night.jpg'));
  build = await run([
    '--samples', samples, '--',
    '--linux', 'dir', `-c.electronDist=${electronDist}`, `-c.directories.output=${join(temp, 'out')}`,
  ]);
  appDir = join(temp, 'out', 'linux-unpacked');
  resourcesDir = join(appDir, 'resources');
  asarPath = join(resourcesDir, 'app.asar');
  entries = existsSync(asarPath) ? new Set(listPackage(asarPath, { isPack: false }).map((path) => path.slice(1))) : new Set();
}, 300_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('npm run dist (Linux dir target, stand-in Electron)', () => {
  it('builds', () => {
    expect(build.output).toContain('vgg19: 1 network(s) installed and verified');
    expect(build.code, build.output).toBe(0);
    expect(existsSync(asarPath)).toBe(true);
  });

  it('packs the built main, preload and renderer, and the entry package.json names', () => {
    for (const file of ['package.json', rootPackage.main, 'dist/preload/index.cjs', 'dist/renderer/index.html', 'dist/main/services/queue/render-worker.js']) {
      expect(inAsar(file), file).toBe(true);
    }
    const packed = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as typeof rootPackage;
    expect(inAsar(packed.main)).toBe(true);
    // Every script and stylesheet the page asks for is in the archive beside it.
    const page = extractFile(asarPath, 'dist/renderer/index.html').toString('utf8');
    const assets = [...page.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((match) => `dist/renderer/${match[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(inAsar(asset), asset).toBe(true);
  });

  it('holds every module the built code imports by relative path', () => {
    const built = [...entries].filter((path) => path.startsWith('dist/') && /\.(js|cjs)$/.test(path));
    const missing: string[] = [];
    for (const file of built) {
      const code = extractFile(asarPath, file).toString('utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = join(file, '..', specifier!);
        if (!inAsar(target)) missing.push(`${file} → ${specifier}`);
      }
    }
    expect(built.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('carries every production dependency the main and render processes load, loadable from its entry file', () => {
    for (const name of Object.keys(rootPackage.dependencies).filter((dependency) => !CLI_ONLY.has(dependency))) {
      const manifest = `node_modules/${name}/package.json`;
      expect(inAsar(manifest), manifest).toBe(true);
      const { main = 'index.js', exports } = JSON.parse(extractFile(asarPath, manifest).toString('utf8')) as { main?: string; exports?: unknown };
      // Packages with an exports map (zod, sharp, h5wasm…) are checked by the files they export to Node below.
      if (exports === undefined) expect(inAsar(join('node_modules', name, main)), `${name} → ${main}`).toBe(true);
    }
    for (const file of ['node_modules/h5wasm/dist/esm/hdf5_hl.js', 'node_modules/zod/index.js', 'node_modules/sharp/lib/index.js']) {
      expect(inAsar(file), file).toBe(true);
    }
  });

  it('leaves out what only the build, the renderer bundle or the CLI use', () => {
    for (const path of [
      'node_modules/vue/package.json',
      'node_modules/pinia/package.json',
      'node_modules/@vue/compiler-sfc/package.json',
      'node_modules/commander/package.json',
      'node_modules/cli-progress/package.json',
      'node_modules/@tensorflow/tfjs-core/dist/tf-core.js',
      'node_modules/@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.min.js',
      'node_modules/electron/package.json',
      'dist/main/cli/atelier.js',
      'models/vgg19/manifest.json',
    ]) {
      expect(inAsar(path), path).toBe(false);
    }
    expect([...entries].filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it(`keeps app.asar under ${ASAR_LIMIT_BYTES / 1024 / 1024} MB`, () => {
    expect(statSync(asarPath).size).toBeLessThan(ASAR_LIMIT_BYTES);
  });

  it('unpacks native addons, wasm binaries and the wasm thread worker', () => {
    const natives = [...entries].filter((path) => path.endsWith('.node') || path.endsWith('.wasm'));
    expect(natives.some((path) => path.startsWith('node_modules/@img/sharp-linux-x64/'))).toBe(true);
    expect(natives).toContain('node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm');
    for (const path of natives) expect(unpacked(path), path).toBe(true);
    for (const path of ['dist/main/engine/backend/wasm-pthread-worker.cjs', 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js']) {
      expect(unpacked(path), path).toBe(true);
    }
    // Only the target's binaries: packages that ship every platform's (onnxruntime-node) are trimmed.
    const foreign = [...entries].filter((path) => /\.(dll|dylib|exe)$/.test(path) || /\/(darwin|win32)(-|\/)/.test(path));
    expect(foreign).toEqual([]);
    // sharp loads libvips from beside its addon.
    expect(existsSync(join(`${asarPath}.unpacked`, 'node_modules/@img/sharp-libvips-linux-x64/lib'))).toBe(true);
  });

  it('puts manifests, weights and samples where the app looks for them', async () => {
    const resources = packagedResources(resourcesDir);
    expect(resources.samplesDir).toBe(join(resourcesDir, 'samples'));
    const [vgg19] = await verifyModels({ dir: resources.modelsDir, manifestsDir: resources.manifestsDir, networks: ['vgg19'] });
    expect(vgg19!.dir).toBe(join(resourcesDir, 'models', 'vgg19'));
    // What a render is handed, through the same service the studio builds.
    const models = createModelsService({ manifestsDir: resources.manifestsDir, dirs: [resources.modelsDir] });
    await expect(models.renderLocation()).resolves.toEqual({ manifestsDir: join(resourcesDir, 'models'), dir: join(resourcesDir, 'models') });
    const samples = (await sampleFiles(resources.samplesDir)).map((file) => file.slice(resourcesDir.length + 1));
    expect(samples).toEqual([join('samples', 'content', 'tubingen.jpg'), join('samples', 'style', 'starry_night.jpg')]);
    expect(existsSync(join(resourcesDir, 'models', 'README.md'))).toBe(false);
  });

  it('flips the fuses that harden a shipped app', async () => {
    const wire = (await getCurrentFuseWire(join(appDir, 'atelier'))) as unknown as Record<number, number>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  });

  it('has what the deb target needs in its metadata', () => {
    const packed = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as typeof rootPackage;
    expect(packed.homepage).toMatch(/^https:\/\//);
    expect(packed.author?.email).toMatch(/@/);
  });
});

describe('npm run dist refusals', () => {
  it('refuses to ship without verified VGG19 weights', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'atelier-no-models-'));
    try {
      const refused = await run([empty], 'check-models.mjs');
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/refusing to build: VGG19 weights not installed/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('refuses a samples folder without images', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'atelier-no-samples-'));
    try {
      const refused = await run(['--samples', empty, '--', '--linux', 'dir', `-c.directories.output=${join(empty, 'out')}`]);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('has no images in content/ or style/');
      expect(existsSync(join(empty, 'out'))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
