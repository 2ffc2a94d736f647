// Uploads in web mode stream to disk under the one limit (MAX_UPLOAD_BYTES, in common): the file is on
// disk while the request is still arriving, an oversized one is refused by its Content-Length or, sent
// without one, while it streams; nothing is left in the staging folder. Real studio, real HTTP.
import { readdir, stat } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_CALL_BYTES } from '../../src/common/contract/index.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { fakeRenderer, raw, samplePng, tempDir, tempStudio } from './support.js';

let server: WebServer;
let capped: WebServer;
let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];
const auth = (s: WebServer): Record<string, string> => ({ Authorization: `Bearer ${s.token}` });
const staged = async () => (await readdir(join(dataDir, 'tmp')).catch(() => [] as string[])).filter((name) => name.startsWith('upload-'));

beforeAll(async () => {
  const made = await tempStudio('web');
  dataDir = made.dataDir;
  cleanups.push(made.cleanup);
  const files = await tempDir('renderer');
  cleanups.push(files.cleanup);
  const rendererDir = await fakeRenderer(files.dir);
  server = await startWebServer({ studio: made.studio, rendererDir });
  // The same studio with a 1 MB cap on every body, to send "too much" without sending 100 MB.
  capped = await startWebServer({ studio: made.studio, rendererDir, maxBodyBytes: 1024 * 1024 });
});

afterAll(async () => {
  await server?.close();
  await capped?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A chunked upload request (no Content-Length), answered into `answer`; the caller writes the body. */
function openUpload(to: WebServer, path = '/api/library/importImage'): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest({ host: '127.0.0.1', port: to.port, path, method: 'POST',
      headers: { Host: `127.0.0.1:${to.port}`, ...auth(to), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket right after refusing.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
  });
  return { req, answer };
}

describe('uploads stream to disk', () => {
  it('writes the file while the request is still arriving, then imports it', async () => {
    const png = await samplePng(21, 640, 480);
    const base64 = png.toString('base64');
    const half = base64.length - (base64.length % 4) - 4 * 1024;
    const { req, answer } = openUpload(server);
    req.write(`{"name":"streamed.png","dataBase64":"${base64.slice(0, half)}`);
    // The decoded first part is on disk in the staging folder before the body has ended.
    await vi.waitFor(async () => {
      const [file] = await staged();
      expect(file).toBeDefined();
      expect((await stat(join(dataDir, 'tmp', file!))).size).toBeGreaterThan(half / 2);
    }, { timeout: 10_000 });
    req.end(`${base64.slice(half)}"}`);
    const { status, body } = await answer;
    expect(status, body).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ ok: true, value: { duplicate: false, image: { name: 'streamed.png', width: 640, height: 480, bytes: png.length } } });
    expect(await staged()).toEqual([]);
    const media = await raw(server.port, `/media/image/${JSON.parse(body).value.image.id}/original`, { headers: auth(server) });
    expect(media.body.equals(png)).toBe(true);
  });

  it('refuses a declared Content-Length past the limit before reading the body, with the limit in words', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/library/importImage', method: 'POST',
        headers: { Host: `127.0.0.1:${server.port}`, ...auth(server), 'Content-Type': 'application/json', 'Content-Length': String(MAX_UPLOAD_CALL_BYTES + 1) } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: { code: 'TOO_LARGE', message: `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, the most Atelier takes in one upload (library:importImage)` } });
    expect(MAX_UPLOAD_BYTES).toBe(100 * 1024 * 1024);
  });

  it('refuses an upload without Content-Length once its running count passes the limit, before its end', async () => {
    const { req, answer } = openUpload(capped);
    req.write('{"name":"endless.png","dataBase64":"');
    const chunk = 'QUFB'.repeat(16 * 1024);
    let sent = 0;
    let refused = false;
    void answer.then(() => (refused = true));
    // Never ended: only a server that counts as the body arrives can answer.
    while (!refused && sent < 8 * 1024 * 1024) {
      sent += chunk.length;
      if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { status, body } = await answer;
    req.destroy();
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    await vi.waitFor(async () => expect(await staged()).toEqual([]));
  });

  it.each([
    ['not JSON', 'name=x.png&data=AAAA', /the body is not valid JSON/],
    ['a field outside the contract', '{"name":"x.png","dataBase64":"AAAA","extra":1}', /unexpected field "extra"/],
    ['no file', '{"name":"x.png"}', /"name" and "dataBase64" are both needed/],
    ['a number for a name', '{"name":5,"dataBase64":"AAAA"}', /must be strings/],
    ['text that is not base64', '{"name":"x.png","dataBase64":"<script>"}', /"dataBase64" is not base64/],
    ['an empty name', '{"name":"","dataBase64":"AAAA"}', /"name" must be 1 to 255 characters/],
  ])('answers 400 BAD_REQUEST to %s, leaving nothing staged', async (_, body, words) => {
    const answer = await raw(server.port, '/api/library/importImage', { method: 'POST', headers: { ...auth(server), 'Content-Type': 'application/json' }, body });
    expect(answer.status).toBe(400);
    const result = JSON.parse(answer.body.toString()) as { error: { code: string; message: string } };
    expect(result.error.code).toBe('BAD_REQUEST');
    expect(result.error.message).toMatch(/^invalid library:importImage request: /);
    expect(result.error.message).toMatch(words);
    expect(await staged()).toEqual([]);
  });

  it('leaves nothing staged when the client goes away mid-upload', async () => {
    const { req } = openUpload(server);
    req.write(`{"name":"gone.png","dataBase64":"${'QUFB'.repeat(64 * 1024)}`);
    await vi.waitFor(async () => expect(await staged()).not.toEqual([]), { timeout: 10_000 });
    req.destroy();
    await vi.waitFor(async () => expect(await staged()).toEqual([]), { timeout: 10_000 });
  });

  it('reads settings from an uploaded image through the same streaming door', async () => {
    const answer = await raw(server.port, '/api/export/readSettings', {
      method: 'POST', headers: { ...auth(server), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'plain.png', dataBase64: (await samplePng(22)).toString('base64') }),
    });
    expect(JSON.parse(answer.body.toString())).toMatchObject({ ok: false, error: { code: 'NO_SETTINGS', message: '"plain.png" was not exported by Atelier (it carries no render settings)' } });
    expect(await staged()).toEqual([]);
  });
});
