// Bad input on the command line, as a person types it, through the built CLI: one line naming the
// option and what it accepts, exit code 2, never a stack trace, and never a written file.
import { copyFile, link, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atelier, content, style, type Run } from './support.js';

let dir: string;
const photo = () => path.join(dir, 'photo.jpg');
const painting = () => path.join(dir, 'painting.jpg');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-bad-options-'));
  // Copies: a test that failed to refuse would write over these, never over the shared images.
  await copyFile(content, photo());
  await copyFile(style, painting());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]): Promise<Run> => atelier(args, { cwd: dir, env: { ATELIER_MODELS_DIR: path.join(dir, 'no-models') } });
const render = (...args: string[]) => run(['render', '--content', 'photo.jpg', '--style', 'painting.jpg', '--out', 'out.png', ...args]);
const instant = (...args: string[]) => run(['instant', '--net', 'udnie', '--content', 'photo.jpg', '--out', 'out.png', ...args]);

/** One line on stderr, matching `words`, exit code 2, no stack trace. */
function expectOneLine(result: Run, words: RegExp): void {
  expect(result.stderr, result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(/^atelier: /);
  expect(result.stderr).toMatch(words);
  expect(result.code, result.stderr).toBe(2);
}

describe.concurrent('each bad option is one line naming it and its range, exit code 2', () => {
  it.each([
    ['render --size 0', () => render('--size', '0'), /'--size <px>' argument '0' is invalid\. Expected a whole number from 16 to 4096\./],
    ['render --size=-5', () => render('--size=-5'), /'--size <px>' argument '-5' is invalid\. Expected a whole number from 16 to 4096\./],
    ['render --size 5000', () => render('--size', '5000'), /--size .*from 16 to 4096/],
    ['render --size abc', () => render('--size', 'abc'), /--size .*from 16 to 4096/],
    ['render --scales 64,x', () => render('--scales', '64,x'), /--scales .*each a whole number from 16 to 4096 \("x" is not\)/],
    ['render --iterations -1', () => render('--iterations', '-1'), /--iterations .*from 0 to 10000/],
    ['render --learning-rate 0', () => render('--learning-rate', '0'), /--learning-rate .*a number above 0, up to 1000/],
    ['render --history-size 0', () => render('--history-size', '0'), /--history-size .*from 1 to 100/],
    ['render --seed 1.5', () => render('--seed', '1.5'), /--seed .*a whole number from 0 to 2147483647/],
    ['render --content-weight -1', () => render('--content-weight', '-1'), /--content-weight .*a number of 0 or more/],
    ['render --style-loss-weight NaN', () => render('--style-loss-weight', 'NaN'), /--style-loss-weight .*a number of 0 or more/],
    ['render --tv-weight -2', () => render('--tv-weight', '-2'), /--tv-weight .*a number of 0 or more/],
    ['render --style-layer-weights 1,-1', () => render('--style-layer-weights', '1,-1'), /--style-layer-weights .*each a number of 0 or more/],
    ['render --style-weight -1', () => render('--style-weight', '-1'), /--style-weight .*a number of 0 or more/],
    ['render --progress-every 0', () => render('--progress-every', '0'), /--progress-every .*from 1 to 1000/],
    ['render --threads 0', () => render('--threads', '0'), /--threads .*a whole number from 1 to 256/],
    ['render --mode paint', () => render('--mode', 'paint'), /--mode .*Allowed choices are transfer, content, texture/],
    ['render --backend gpu', () => render('--backend', 'gpu'), /--backend .*Allowed choices are/],
    ['render --style-weight twice for one --style', () => render('--style-weight', '1', '--style-weight', '2'), /--style-weight is given 2 times for 1 --style image/],
    ['render without --out', () => run(['render', '--content', 'photo.jpg', '--style', 'painting.jpg']), /required option '--out <file>' not specified/],
    ['render without --content', () => run(['render', '--style', 'painting.jpg', '--out', 'out.png']), /needs a content image/],
    ['render --content missing.jpg', () => run(['render', '--content', 'missing.jpg', '--style', 'painting.jpg', '--out', 'out.png']), /--content: "missing\.jpg" was not found/],
    ['render --style naming a folder', () => run(['render', '--content', 'photo.jpg', '--style', '.', '--out', 'out.png']), /--style: "\." is not a file/],
    ['instant --content missing.jpg', () => run(['instant', '--net', 'udnie', '--content', 'missing.jpg', '--out', 'out.png']), /--content: "missing\.jpg" was not found/],
    ['render --scales 128,64', () => render('--size', '128', '--scales', '128,64'), /scales must increase \(got 128, 64\)/],
    ['render --iterations for too many stages', () => render('--size', '64', '--scales', '32,64', '--iterations', '1,2,3'), /3 iteration counts given for 2 stages/],
    ['render --out x.gif', () => render('--out', 'x.gif'), /name it \.png, \.jpg/],
    ['instant --size 0', () => instant('--size', '0'), /'--size <px>' argument '0' is invalid\. Expected a whole number from 16 to 4096\./],
    ['instant --strength 150', () => instant('--strength', '150'), /--strength .*a number from 0 to 100/],
    ['instant --net picasso', () => run(['instant', '--net', 'picasso', '--content', 'photo.jpg', '--out', 'out.png']), /--net .*Allowed choices are/],
    ['bench --sizes 0', () => run(['bench', '--sizes', '0']), /--sizes .*each a whole number from 16 to 4096/],
    ['bench --iterations 0', () => run(['bench', '--iterations', '0']), /--iterations .*from 1 to 10000/],
    ['bench --warmup -1', () => run(['bench', '--warmup', '-1']), /--warmup .*from 0 to 10000/],
    ['bench-quality --size 8', () => run(['bench-quality', '--size', '8']), /--size .*from 16 to 4096/],
    ['bench --backends wasm,gpu', () => run(['bench', '--backends', 'wasm,gpu']), /--backends .*Expected a comma-separated list of auto, .* \("gpu" is not one\)/],
    ['bench-quality --settings with a size of 0', () => run(['bench-quality', '--settings', '{"size":0}']), /--settings .*size: expected a whole number from 16 to 4096/],
    ['models install --only vgg11', () => run(['models', 'install', '--only', 'vgg11']), /--only .*Allowed choices are vgg19, fast-style, vgg16/],
    ['an unknown command', () => run(['paint']), /unknown command 'paint'/],
  ])('%s', async (_, go, words) => {
    expectOneLine(await go(), words);
    expect(await readdir(dir)).not.toContain('out.png');
  });

  it('an unknown option is named, with the nearest real one', async () => {
    const result = await render('--sise', '64');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("atelier: unknown option '--sise'\n(Did you mean --size?)\n");
  });
});

describe('an output that is an input is refused, and the input is untouched', () => {
  it.each([
    ['render --out = --content', () => render('--out', 'photo.jpg'), /--out names the same file as --content \("photo\.jpg"\)/],
    ['render --out = --content by another path', () => render('--out', path.join(dir, '.', 'photo.jpg')), /--out names the same file as --content/],
    ['render --out = --style', () => render('--out', 'painting.jpg'), /--out names the same file as --style \("painting\.jpg"\)/],
    ['render --out = --init', () => render('--init', 'painting.jpg', '--out', 'painting.jpg'), /--out names the same file as --style/],
    ['render --report = --content', () => render('--report', 'photo.jpg'), /--report names the same file as --content/],
    ['render --out = a link to --content', () => render('--out', 'linked.jpg'), /--out names the same file as --content/],
    ['render --out = a hard link to --content', () => render('--out', 'hard.jpg'), /--out names the same file as --content/],
    ['instant --out = --content', () => instant('--out', 'photo.jpg'), /--out names the same file as --content \("photo\.jpg"\)/],
  ])('%s', async (_, go, words) => {
    await rm(path.join(dir, 'linked.jpg'), { force: true });
    await rm(path.join(dir, 'hard.jpg'), { force: true });
    await symlink(photo(), path.join(dir, 'linked.jpg'));
    await link(photo(), path.join(dir, 'hard.jpg'));
    const before = await Promise.all([photo(), painting()].map(async (file) => ({ bytes: await readFile(file), mtime: (await stat(file)).mtimeMs })));
    expectOneLine(await go(), words);
    const after = await Promise.all([photo(), painting()].map(async (file) => ({ bytes: await readFile(file), mtime: (await stat(file)).mtimeMs })));
    expect(after).toEqual(before);
  });

  it('--init naming the output is refused too', async () => {
    expectOneLine(await render('--init', 'start.png', '--out', 'start.png'), /--out names the same file as --init \("start\.png"\)/);
  });
});
