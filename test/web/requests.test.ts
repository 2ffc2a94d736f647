// Web mode against hostile or oversized requests: names that objects inherit, per-call body limits
// enforced while the body streams in, and the event stream's Origin check. A real studio, real HTTP.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CALL_BYTES, MAX_UPLOAD_CALL_BYTES } from '../../src/common/contract/index.js';
import type { Studio } from '../../src/main/studio.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { fakeRenderer, raw, tempDir, tempStudio } from './support.js';

let studio: Studio;
let server: WebServer;
const cleanups: (() => Promise<void>)[] = [];
const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  const made = await tempStudio('web');
  studio = made.studio;
  cleanups.push(made.cleanup);
  const files = await tempDir('renderer');
  cleanups.push(files.cleanup);
  // No maxBodyBytes: the contract's own limits apply.
  server = await startWebServer({ studio, rendererDir: await fakeRenderer(files.dir) });
});
afterAll(async () => {
  await server?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('names objects inherit', () => {
  it('answers 404 over HTTP and BAD_REQUEST from the dispatcher, never 500', async () => {
    for (const path of ['/api/constructor/prototype', '/api/constructor/name', '/api/hasOwnProperty/call', '/api/app/constructor', '/api/library/toString']) {
      const answer = await raw(server.port, path, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' });
      expect([path, answer.status]).toEqual([path, 404]);
      expect(JSON.parse(answer.body.toString())).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    for (const channel of ['constructor:prototype', '__proto__:toString', 'library:__proto__', 'queue:hasOwnProperty']) {
      expect(await studio.dispatch(channel, {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('answers as data when reading the payload itself throws', async () => {
    const hostile = Object.defineProperty({}, 'name', { enumerable: true, get: () => { throw new Error('a getter that throws'); } });
    expect(await studio.dispatch('presets:save', hostile)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'a getter that throws' } });
  });
});

/**
 * Sends a chunked body (no Content-Length) of `bytes` and then holds the request open: an answer can
 * only come from a server that counts while the body streams in, not from one that waits for its end.
 */
function streamWithoutEnd(path: string, bytes: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'POST',
      headers: { Host: `127.0.0.1:${server.port}`, ...auth(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket right after its answer.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    req.write('{"json":"');
    pump();
  });
}

describe('request body limits, from the contract', () => {
  it('refuses an ordinary call past its limit while the body is still arriving', async () => {
    const answer = await streamWithoutEnd('/api/presets/import', MAX_CALL_BYTES + 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', message: 'presets:import requests are limited to 8 MB' } });
  });

  it('refuses a declared Content-Length past the limit before any body is read', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/library/importImage', method: 'POST',
        headers: { Host: `127.0.0.1:${server.port}`, ...auth(), 'Content-Type': 'application/json', 'Content-Length': String(MAX_UPLOAD_CALL_BYTES + 1) } },
      (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer).toBe(413);
  });

  it('lets an upload call carry more than an ordinary call may', async () => {
    const dataBase64 = 'A'.repeat(MAX_CALL_BYTES + 1024);
    const answer = await raw(server.port, '/api/library/importImage', {
      method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'zeros.png', dataBase64 }),
    });
    // Read in full and handed to the service, which finds no image in it.
    expect(JSON.parse(answer.body.toString())).toMatchObject({ ok: false, error: { code: 'IMAGE_UNREADABLE' } });
    const ordinary = await raw(server.port, '/api/presets/import', {
      method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify({ json: dataBase64 }),
    });
    expect(ordinary.status).toBe(413);
  });
});

describe('the event stream', () => {
  it('refuses another origin, and serves its own page and Origin-less clients', async () => {
    const foreign = await raw(server.port, '/api/events', { headers: { ...auth(), Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body.toString())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const origins: Record<string, string>[] = [{ Origin: `http://127.0.0.1:${server.port}` }, {}];
    for (const headers of origins) {
      const controller = new AbortController();
      const own = await fetch(`${server.url}api/events`, { headers: { ...auth(), ...headers }, signal: controller.signal });
      expect(own.status).toBe(200);
      controller.abort();
    }
  });
});
