// `atelier render` never loses a finished render: bad --out and --report are refused before the network
// loads, and a save that fails at the end goes to a fallback file the message names. Real files, real
// file systems (see small-disk.ts for why a tmpfs stands in for read-only and full disks).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canMount, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { atelier, content, style, type Run } from './support.js';

let dir: string;
/** The children's system temp folder, where fallbacks go: TMPDIR is what os.tmpdir() reads. */
let fallbackDir: string;
/** Weights that are not there: a run that got as far as loading the network would say so. */
let noModels: string;
let disk: SmallDisk | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-outputs-'));
  noModels = await mkdtemp(path.join(dir, 'no-models-'));
});
beforeEach(async () => {
  fallbackDir = await mkdtemp(path.join(dir, 'tmp-'));
});
afterEach(async () => {
  await disk?.dispose();
  disk = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// On wasm: ONNX Runtime writes files of its own into TMPDIR (.ses, mat-debug-<pid>.log) and keeps one
// open, which these tests' fallback folder and read-only remount would see; saving is what is tested here.
const quick = ['--content', content, '--style', style, '--size', '32', '--scales', '32', '--iterations', '2', '--backend', 'wasm'];

function render(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return atelier(['render', ...quick, ...args], { cwd: dir, env: { TMPDIR: fallbackDir, ...env } });
}

/** Refused before any work: the missing weights would have been reported had it gone on. Exit code 2: a bad option. */
function expectRefusedEarly(run: Run, message: RegExp, code = 1): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/models install|stage 1\/1/);
}

/**
 * Starts a render long enough to act on, does `midway` once it is painting, then presses Ctrl-C so it
 * ends with the best image so far and saves it.
 */
function interruptedRender(args: string[], midway: () => Promise<void>, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let started = false;
  return atelier(['render', '--content', content, '--style', style, '--size', '32', '--scales', '32', '--iterations', '5000',
    '--progress-every', '1', '--backend', 'wasm', ...args], {
    cwd: dir,
    env: { TMPDIR: fallbackDir, ...env },
    onStderr: (text, child) => {
      if (started || !/32px\s+2\/5000/.test(text)) return;
      started = true;
      void midway().then(() => child.kill('SIGINT'));
    },
  });
}

/** The one image in the fallback folder, checked to be the named, readable image. */
async function fallbackImage(run: Run, format: string): Promise<string> {
  const files = (await readdir(fallbackDir)).filter((f) => !f.endsWith('.json'));
  expect(files).toHaveLength(1);
  const file = path.join(fallbackDir, files[0]!);
  expect(files[0]).toMatch(/^atelier-unsaved-/);
  expect(run.stderr).toContain(`the image was saved instead to ${file}`);
  expect((await sharp(file).metadata()).format).toBe(format);
  return file;
}

describe('before the render starts', () => {
  it('creates a missing output folder, says so, and saves there', async () => {
    const out = path.join(dir, 'renders', 'deeper', 'x.png');
    const run = await render(['--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`created the folder ${path.join(dir, 'renders')}`);
    expect((await sharp(out).metadata()).format).toBe('png');
  });

  it('refuses a folder that cannot be made because a file is in the way', async () => {
    await writeFile(path.join(dir, 'notes'), 'a file, not a folder');
    const run = await render(['--out', path.join(dir, 'notes', 'x.png')], { ATELIER_MODELS_DIR: noModels });
    expectRefusedEarly(run, /cannot write the image "x\.png": the folder ".*notes" cannot be created \(a file is in the way/);
  });

  it('refuses an extension it cannot write, for --out and for --report', async () => {
    expectRefusedEarly(await render(['--out', path.join(dir, 'x.gif')], { ATELIER_MODELS_DIR: noModels }), /"x\.gif": name it \.png, \.jpg/, 2);
    expectRefusedEarly(await render(['--out', path.join(dir, 'x.png'), '--report', path.join(dir, 'r.txt')], { ATELIER_MODELS_DIR: noModels }),
      /cannot write the report "r\.txt": it is JSON, so name it \.json/, 2);
  });

  it('refuses an output path that is a folder', async () => {
    await mkdir(path.join(dir, 'taken.png'));
    expectRefusedEarly(await render(['--out', path.join(dir, 'taken.png')], { ATELIER_MODELS_DIR: noModels }), /"taken\.png": ".*taken\.png" is a folder/);
  });

  it.skipIf(!canMount)('refuses a read-only folder for --out and --report (needs tmpfs mounts)', async () => {
    disk = await mountSmallDisk(256, { readOnly: true });
    expectRefusedEarly(await render(['--out', path.join(disk.dir, 'x.png')], { ATELIER_MODELS_DIR: noModels }),
      /cannot write the image "x\.png": the folder ".*" is not writable \(the disk is read-only\)/);
    expectRefusedEarly(await render(['--out', path.join(dir, 'ok.png'), '--report', path.join(disk.dir, 'r.json')], { ATELIER_MODELS_DIR: noModels }),
      /cannot write the report "r\.json": the folder ".*" is not writable/);
  });

  it.skipIf(!canMount)('refuses a disk that is already full (needs tmpfs mounts)', async () => {
    disk = await mountSmallDisk(256);
    await disk.fill();
    expectRefusedEarly(await render(['--out', path.join(disk.dir, 'x.png')], { ATELIER_MODELS_DIR: noModels }), /the disk holding ".*" is full/);
  });
});

describe('when saving fails at the end', () => {
  it('keeps the image in the temp folder when the output folder was removed meanwhile, and exits 1', async () => {
    const folder = path.join(dir, 'vanishing');
    const run = await interruptedRender(['--out', path.join(folder, 'x.webp')], () => rm(folder, { recursive: true }));
    expect(run.stderr).toContain('Could not save "x.webp": the folder');
    await fallbackImage(run, 'webp');
    expect(run.code).toBe(1);
  });

  it.skipIf(!canMount)('keeps the image and the report in the temp folder when the disk fills up meanwhile (needs tmpfs mounts)', async () => {
    disk = await mountSmallDisk(256);
    const report = path.join(disk.dir, 'r.json');
    const run = await interruptedRender(['--out', path.join(disk.dir, 'x.png'), '--report', report], () => disk!.fill());
    expect(run.stderr).toContain('Could not save "x.png": the disk is full');
    const image = await fallbackImage(run, 'png');
    const reports = (await readdir(fallbackDir)).filter((f) => f.endsWith('.json'));
    expect(reports).toHaveLength(1);
    const saved = path.join(fallbackDir, reports[0]!);
    expect(run.stderr).toContain(`Could not save "r.json": the disk is full; the report was saved instead to ${saved}`);
    expect(JSON.parse(await readFile(saved, 'utf8')).output.file).toBe(image);
    expect(run.code).toBe(1);
  });

  it.skipIf(!canMount)('keeps the image in the temp folder when the output folder turns read-only meanwhile (needs tmpfs mounts)', async () => {
    disk = await mountSmallDisk(256);
    const run = await interruptedRender(['--out', path.join(disk.dir, 'x.jpg')], async () => disk!.makeReadOnly());
    expect(run.stderr).toMatch(/Could not save "x\.jpg": the folder ".*" is not writable/);
    await fallbackImage(run, 'jpeg');
    expect(run.code).toBe(1);
  });

  it.skipIf(!canMount)('says so, naming every folder tried, when no fallback folder takes the image either (needs tmpfs mounts)', async () => {
    disk = await mountSmallDisk(256);
    const run = await interruptedRender(['--out', path.join(disk.dir, 'x.png')], async () => disk!.makeReadOnly(), { TMPDIR: disk.dir, HOME: disk.dir });
    expect(run.stderr).toMatch(/atelier: Could not save "x\.png": the folder ".*" is not writable; no fallback folder took the file either/);
    expect(run.stderr).toContain(`(Could not save "atelier-unsaved-x-`);
    expect(run.stderr).toContain(`: the folder "${disk.dir}" is not writable)`);
    expect(run.code).toBe(1);
  });
});
