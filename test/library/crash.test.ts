// "A process killed in the middle of a write never corrupts the library and never loses a picture": a
// real Node process imports, renders, saves and deletes in a tight loop and is killed with SIGKILL at a
// random moment, many times over; after each kill a fresh library must open, hold every change that had
// finished, list every image and render file still on disk, and hold only complete records whose files exist.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pairSchema, renderRecordSchema } from '../../src/common/contract/index.js';
import { readImage } from '../../src/main/services/images/index.js';
import { createLibrary } from '../../src/main/services/library/index.js';
import { listDir, makeTempDir } from './support.js';

const KILLS = 30;
const root = resolve(import.meta.dirname, '../..');
// Inside node_modules so the compiled files find the project's packages; apart from dist/ so a build
// running beside this test is not disturbed.
const buildDir = join(root, 'node_modules/.cache/atelier-library-crash');
const built = join(buildDir, 'out/main/services/library/index.js');

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(() => {
  // The child runs plain Node, so it needs the library as JavaScript: compile just it and its imports.
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, 'tsconfig.json'), JSON.stringify({
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: { rootDir: join(root, 'src'), outDir: join(buildDir, 'out'), types: ['node'], sourceMap: false },
    files: [join(root, 'src/main/services/library/index.ts')],
  }));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(buildDir, 'tsconfig.json')], { stdio: 'pipe' });
}, 60_000);
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('atelier-library-crash-'));
});
afterAll(async () => {
  await cleanup();
  rmSync(buildDir, { recursive: true, force: true });
});

/** Starts the child, kills it 20–300 ms after its first finished change; resolves with the changes it reported finished. */
function runAndKill(): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.mjs'), built, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      timer ??= setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 280);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the child stopped on its own (code ${code}): ${stderr}`));
      // A line cut off by the kill is not a finished change.
      resolvePromise(stdout.split('\n').slice(0, -1));
    });
  });
}

it(`survives ${KILLS} kills in the middle of imports, renders, saves and deletes: nothing finished is lost, every file on disk is listed`, async () => {
  const finished = { pair: new Set<string>(), image: new Set<string>(), render: new Set<string>(), deleting: new Set<string>(), deleted: new Set<string>() };
  let leftAfterKills = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    for (const line of await runAndKill()) {
      const [what, id] = line.split(' ') as [keyof typeof finished, string];
      finished[what].add(id);
    }
    const before = await listAll();

    const library = await createLibrary({ dataDir: dir });
    const pairs = await library.listPairs({});
    for (const pair of pairs) expect(pairSchema.parse(pair).name).toMatch(/^pair \d+( \(renamed\))?$/);
    const ids = new Set(pairs.map((pair) => pair.id));
    expect([...finished.pair].filter((id) => !ids.has(id))).toEqual([]);

    const images = await library.listImages({});
    const imageIds = new Set(images.map((image) => image.id));
    expect([...finished.image].filter((id) => !imageIds.has(id))).toEqual([]);
    // Every image file on disk is listed: none was deleted, none left unlisted.
    expect(await listDir(join(dir, 'images'))).toEqual(images.map((image) => `${image.id}.png`).sort());

    const renders = await library.listRenders({});
    const renderIds = new Set(renders.map((render) => render.id));
    expect([...finished.render].filter((id) => !renderIds.has(id) && !finished.deleting.has(id))).toEqual([]);
    expect([...finished.deleted].filter((id) => renderIds.has(id))).toEqual([]);
    for (const render of renders) {
      expect(ids.has(renderRecordSchema.parse(render).pairId)).toBe(true);
      expect((await readImage(await library.renderFile(render.id, 'full'))).image.width).toBe(48);
    }
    // Every render file on disk is listed; temporary and staging leftovers are gone.
    expect(await listDir(join(dir, 'renders'))).toEqual(renders.flatMap((r) => [`${r.id}.png`, `${r.id}.thumb.jpg`]).sort());
    expect(await listDir(join(dir, 'tmp'))).toEqual([]);
    expect((await listDir(dir)).filter((name) => /^library\.json(?!\.backup-\d$)/.test(name))).toEqual(['library.json']);
    if ((await listAll()).join() !== before.join()) leftAfterKills++;
  }
  expect(finished.pair.size).toBeGreaterThan(KILLS);
  expect(finished.image.size).toBeGreaterThan(0);
  expect(finished.deleted.size).toBeGreaterThan(0);
  // Evidence that kills landed mid-change: some left a temporary file, an unlisted file or a pending delete to deal with.
  expect(leftAfterKills).toBeGreaterThan(0);
}, 120_000);

async function listAll(): Promise<string[]> {
  const folders = await Promise.all(['images', 'renders', 'tmp'].map(async (f) => (await listDir(join(dir, f))).map((name) => `${f}/${name}`)));
  return [...(await listDir(dir)), ...folders.flat()];
}
