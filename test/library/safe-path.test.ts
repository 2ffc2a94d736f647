// resolveInside: the path check in front of the desktop protocol and the web server, against attack strings.
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from '../../src/main/services/library/index.js';
import { makeTempDir } from './support.js';

let base: string;
let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: base, cleanup } = await makeTempDir('atelier-safe-path-'));
  // realpath: the temp folder itself may sit behind a symlink (macOS's /var → /private/var).
  base = await realpath(base);
  root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'ok.png'), 'inside');
  await writeFile(join(root, 'sub', 'deep.png'), 'inside');
  await writeFile(join(root, 'sp ace.png'), 'inside');
  await writeFile(join(root, '..dots.png'), 'inside');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await mkdir(join(base, 'rootsibling'));
  await writeFile(join(base, 'rootsibling', 'x.png'), 'outside');
  await symlink(join(base, 'secret.txt'), join(root, 'link-out.png'));
  await symlink(base, join(root, 'dir-out'));
  await symlink(join(root, 'ok.png'), join(root, 'link-in.png'));
}, 30_000);
afterAll(() => cleanup());

describe('resolveInside', () => {
  it.each([
    ['ok.png', 'ok.png'],
    ['sub/deep.png', 'sub/deep.png'],
    ['sp%20ace.png', 'sp ace.png'],
    ['sub%2Fdeep.png', 'sub/deep.png'],
    ['..dots.png', '..dots.png'],
    ['link-in.png', 'ok.png'],
    // Out through a symlink and back in: what counts is where the file really is.
    ['dir-out/root/ok.png', 'ok.png'],
  ])('serves %s', async (request, file) => {
    expect(await resolveInside(root, request)).toBe(join(root, file));
  });

  it.each([
    '../secret.txt', '..', 'sub/../../secret.txt', 'sub/../ok.png', './ok.png', '.', '', 'sub//deep.png', 'sub/',
    '/etc/passwd', '//etc/passwd', '%2Fetc%2Fpasswd',
    '..\\secret.txt', 'sub\\deep.png', '%5c..%5csecret.txt', '..%5Csecret.txt',
    '%2e%2e/secret.txt', '%2E%2E%2Fsecret.txt', '..%2fsecret.txt', '.%2e/secret.txt', 'sub/%2e%2e/%2e%2e/secret.txt',
    '%252e%252e%252fsecret.txt', '%25', 'ok.png%2500',
    'ok.png\0', 'ok.png%00', '%00', 'ok.png%00.txt',
    'C:/Windows/win.ini', 'C:%5CWindows', 'ok.png:stream', 'file:///etc/passwd',
    '%', '%E0%A4%A', '%zz',
    '../rootsibling/x.png', '..%2frootsibling%2fx.png',
    'link-out.png', 'dir-out/secret.txt', 'dir-out/root/ok.png/../../secret.txt',
  ])('refuses %j', async (request) => {
    await expect(resolveInside(root, request)).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining('is not allowed') });
  });

  it('says NOT_FOUND for a missing file or a folder', async () => {
    await expect(resolveInside(root, 'missing.png')).rejects.toMatchObject({ code: 'NOT_FOUND', message: '"missing.png" was not found' });
    await expect(resolveInside(root, 'sub')).rejects.toMatchObject({ code: 'NOT_FOUND', message: '"sub" is not a file' });
  });
});
