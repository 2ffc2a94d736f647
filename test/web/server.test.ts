import { readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../src/common/contract/index.js';
import { mediaRequestToPath } from '../../src/main/app/protocol.js';
import type { Studio } from '../../src/main/studio.js';
import { CONTENT_SECURITY_POLICY, startWebServer, type WebServer } from '../../src/main/web/index.js';
import { fakeRenderer, raw, samplePng, tempDir, tempStudio } from './support.js';

let studio: Studio;
let server: WebServer;
let imageId: string;
let png: Buffer;
const cleanups: (() => Promise<void>)[] = [];
/** Event subscriptions the server holds right now (to see that closed streams let go). */
let openSubscriptions = 0;

const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(server.port, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(), ...headers }, body: JSON.stringify(body) });
const json = (body: Buffer): { ok: boolean; value?: unknown; error?: { code: string; message: string } } => JSON.parse(body.toString('utf8'));

beforeAll(async () => {
  const made = await tempStudio('web');
  studio = made.studio;
  cleanups.push(made.cleanup);
  const files = await tempDir('renderer');
  cleanups.push(files.cleanup);
  const rendererDir = await fakeRenderer(files.dir);
  await symlink(join(files.dir, 'secret.txt'), join(rendererDir, 'linked-secret.txt'));
  server = await startWebServer({
    studio: {
      dispatch: studio.dispatch,
      dispatchUpload: studio.dispatchUpload,
      mediaPath: studio.mediaPath,
      onEvent(listener) {
        openSubscriptions++;
        const off = studio.onEvent(listener);
        return () => {
          openSubscriptions--;
          off();
        };
      },
    },
    rendererDir,
    maxBodyBytes: 64 * 1024,
    keepAliveMs: 100,
  });
  png = await samplePng(1);
  const imported = await studio.dispatch('library:importImage', { name: 'gradient.png', dataBase64: png.toString('base64') });
  if (!imported.ok) throw new Error(imported.error.message);
  imageId = (imported.value as { image: { id: string } }).image.id;
});

afterAll(async () => {
  await server?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('web server: who may ask', () => {
  it('listens on 127.0.0.1 only and prints a token URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.loginUrl).toBe(`${server.url}?token=${server.token}`);
    // 32 random bytes, base64url.
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 to every route without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app-1234.js', '/api/events', `/media/image/${imageId}/original`]) {
      expect((await raw(server.port, path)).status, path).toBe(401);
    }
    const call = await raw(server.port, '/api/app/info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(call.status).toBe(401);
    expect(json(call.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await raw(server.port, '/', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await raw(server.port, '/', { headers: { Cookie: `atelier_session_${server.port}=nope` } })).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie and a clean URL', async () => {
    const login = await raw(server.port, `/?token=${server.token}`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain(`atelier_session_${server.port}=${server.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const deep = await raw(server.port, `/gallery?x=1&token=${server.token}`);
    expect(deep.headers.location).toBe('/gallery?x=1');

    const page = await raw(server.port, '/', { headers: { Cookie: `other=1; ${cookie.split(';')[0]}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('<title>Atelier</title>');

    expect((await raw(server.port, '/?token=wrong')).status).toBe(401);
  });

  it('refuses other Host headers (DNS rebinding) even with the token', async () => {
    for (const host of ['evil.example:' + server.port, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `localhost.evil:${server.port}`]) {
      expect((await raw(server.port, '/', { headers: { Host: host, ...auth() } })).status, host).toBe(403);
    }
    expect((await raw(server.port, '/', { headers: { Host: `localhost:${server.port}`, ...auth() } })).status).toBe(200);
  });

  it('refuses calls from another origin and calls not sent as JSON', async () => {
    const foreign = await post('/api/app/info', {}, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const same = await post('/api/app/info', {}, { Origin: `http://127.0.0.1:${server.port}` });
    expect(same.status).toBe(200);
    const form = await raw(server.port, '/api/app/info', { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('sends the strict CSP, nosniff and no-store on API answers', async () => {
    const page = await raw(server.port, '/', { headers: auth() });
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data: blob:");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const call = await post('/api/app/info', {});
    expect(call.headers['cache-control']).toBe('no-store');
    expect(call.headers['x-content-type-options']).toBe('nosniff');
    expect(call.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('web server: the contract over HTTP', () => {
  it('routes every contract channel to the dispatcher, which rejects a bad payload before the handler', async () => {
    const table = studio.handlers as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    for (const channel of channels()) {
      const [service, method] = channel.split(':') as [string, string];
      const original = table[service]![method]!;
      const spy = vi.fn(original);
      table[service]![method] = spy;
      try {
        const answer = await post(`/api/${service}/${method}`, { notInTheContract: true });
        expect(answer.status, channel).toBe(400);
        const body = json(answer.body);
        expect(body.ok).toBe(false);
        expect(body.error?.code).toBe('BAD_REQUEST');
        expect(body.error?.message, channel).toContain(`invalid ${channel} request`);
        expect(spy, channel).not.toHaveBeenCalled();
      } finally {
        table[service]![method] = original;
      }
    }
  });

  it('answers a good call with its WireResult', async () => {
    const info = await post('/api/app/info', {});
    expect(info.status).toBe(200);
    expect(json(info.body)).toMatchObject({ ok: true, value: { mode: 'web', samplesAvailable: false, backend: null } });
    const images = json((await post('/api/library/listImages', {})).body);
    expect(images.value).toEqual([expect.objectContaining({ id: imageId, name: 'gradient.png', width: 64, height: 48 })]);
    // An empty body is an empty payload.
    const empty = await raw(server.port, '/api/presets/list', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' } });
    expect(json(empty.body).ok).toBe(true);
  });

  it('passes service errors through as data with their code', async () => {
    const missing = await post('/api/library/deleteImage', { id: 'ffffffffffffffff' });
    expect(missing.status).toBe(404);
    expect(json(missing.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers unknown calls, wrong methods, broken JSON and oversized bodies', async () => {
    expect((await post('/api/library/imageFile', {})).status).toBe(404);
    expect((await post('/api/library/constructor', {})).status).toBe(404);
    expect((await post('/api/__proto__/toString', {})).status).toBe(404);
    expect((await post('/api/app', {})).status).toBe(404);
    expect((await raw(server.port, '/api/app/info', { headers: auth() })).status).toBe(405);
    const broken = await raw(server.port, '/api/app/info', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{"oops' });
    expect(broken.status).toBe(400);
    expect(json(broken.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const big = await post('/api/library/importImage', { name: 'big.png', dataBase64: 'A'.repeat(100 * 1024) });
    expect(big.status).toBe(413);
    expect(json(big.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
  });
});

describe('web server: events', () => {
  it('streams studio events as Server-Sent Events, with keep-alive comments, and lets go on close', async () => {
    const before = openSubscriptions;
    const controller = new AbortController();
    const response = await fetch(`${server.url}api/events`, { headers: auth(), signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(openSubscriptions).toBe(before + 1);

    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(': connected');
    studio.emit('app:command', { command: 'help' });
    await readUntil('\n\n');
    await readUntil('"help"');
    expect(text).toContain(`data: ${JSON.stringify({ name: 'app:command', payload: { command: 'help' } })}\n\n`);
    // A real service event: saving a preset.
    expect(json((await post('/api/presets/save', { name: 'Soft', settings: { size: 256 } })).body).ok).toBe(true);
    await readUntil('presets:changed');
    await readUntil(': keep-alive');

    controller.abort();
    await vi.waitFor(() => expect(openSubscriptions).toBe(before));
  });
});

describe('web server: files', () => {
  it('serves library media with the right type', async () => {
    const original = await raw(server.port, `/media/image/${imageId}/original`, { headers: auth() });
    expect(original.status).toBe(200);
    expect(original.headers['content-type']).toBe('image/png');
    expect(original.body.equals(png)).toBe(true);
    const thumbnail = await raw(server.port, `/media/image/${imageId}/thumbnail`, { headers: auth() });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toMatch(/^image\//);
  });

  it('refuses media path tricks and unknown media', async () => {
    const attempts = [
      `/media/image/${imageId}/../../../../etc/passwd`,
      '/media/image/../../../../etc/passwd',
      '/media/image/..%2f..%2f..%2fetc%2fpasswd/original',
      '/media/image/%2e%2e%2f%2e%2e/original',
      `/media/image/${imageId}%2f..%2f..%2fdata.json/original`,
      `/media/image/${imageId}/full`,
      `/media/render/${imageId}/original`,
      `/media/images/${imageId}/original`,
      `/media/image/${imageId}/original/extra`,
      '/media/image/ffffffffffffffff/original',
      '/media/image/short/original',
      `/media/image/${imageId}\\..\\..\\x/original`,
    ];
    for (const path of attempts) {
      const answer = await raw(server.port, path, { headers: auth() });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body.includes('root:'), path).toBe(false);
    }
  });

  it('refuses a library file replaced by a symlink that leaves the data folder, by either door', async () => {
    const made = await tempStudio('web');
    cleanups.push(made.cleanup);
    const outside = await tempDir('outside');
    cleanups.push(outside.cleanup);
    const secret = join(outside.dir, 'secret.png');
    await writeFile(secret, await samplePng(9));
    const imported = await made.studio.dispatch('library:importImage', { name: 'mine.png', dataBase64: (await samplePng(2)).toString('base64') });
    if (!imported.ok) throw new Error(imported.error.message);
    const id = (imported.value as { image: { id: string } }).image.id;
    const original = join(made.dataDir, 'images', `${id}.png`);
    // Served while it is the library's own file, so the refusal below is about the link and nothing else.
    expect(await made.studio.mediaPath('image', id, 'original')).toBe(await realpath(original));
    await rm(original);
    await symlink(secret, original);
    await expect(made.studio.mediaPath('image', id, 'original')).rejects.toMatchObject({ code: 'BAD_PATH' });
    expect(await mediaRequestToPath(`atelier-media://image/${id}/original`, made.studio)).toBeNull();
    const linked = await startWebServer({ studio: made.studio, rendererDir: join(outside.dir, 'none') });
    try {
      const answer = await raw(linked.port, `/media/image/${id}/original`, { headers: { Authorization: `Bearer ${linked.token}` } });
      expect(answer.status).toBe(404);
      expect(answer.body.equals(await readFile(secret))).toBe(false);
      // A link that stays inside the data folder is still served.
      const thumbnail = join(made.dataDir, 'thumbnails', `${id}.jpg`);
      await rename(thumbnail, join(made.dataDir, 'thumbnails', 'kept.jpg'));
      await symlink(join(made.dataDir, 'thumbnails', 'kept.jpg'), thumbnail);
      expect((await raw(linked.port, `/media/image/${id}/thumbnail`, { headers: { Authorization: `Bearer ${linked.token}` } })).status).toBe(200);
    } finally {
      await linked.close();
    }
  });

  it('serves the renderer and nothing outside it', async () => {
    const asset = await raw(server.port, '/assets/app-1234.js', { headers: auth() });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // Client-side routes fall back to the page; missing files do not.
    expect((await raw(server.port, '/gallery/recent', { headers: auth() })).status).toBe(200);
    expect((await raw(server.port, '/assets/missing.js', { headers: auth() })).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%252e%252e/%252e%252e/secret.txt', '/linked-secret.txt', '/..%5csecret.txt', '/%00index.html']) {
      const answer = await raw(server.port, path, { headers: auth() });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body.toString(), path).not.toContain('outside the renderer');
    }
    expect((await raw(server.port, '/', { method: 'DELETE', headers: auth() })).status).toBe(405);
  });
});

describe('web server: shutdown', () => {
  it('closes open event streams when it closes', async () => {
    const made = await tempDir('close');
    cleanups.push(made.cleanup);
    const other = await startWebServer({ studio, rendererDir: await fakeRenderer(made.dir) });
    const response = await fetch(`${other.url}api/events`, { headers: { Authorization: `Bearer ${other.token}` } });
    const reader = response.body!.getReader();
    await reader.read();
    await other.close();
    await expect(readAll(reader)).resolves.toBeDefined();
  });

  it('uses the port it is given', async () => {
    const probe = await startWebServer({ studio, rendererDir: join(process.cwd(), 'nowhere') });
    const port = probe.port;
    await probe.close();
    const fixed = await startWebServer({ studio, rendererDir: join(process.cwd(), 'nowhere'), port });
    expect(fixed.port).toBe(port);
    await fixed.close();
  });
});

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<number> {
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
    if (done) return bytes;
    bytes += value?.length ?? 0;
  }
}
