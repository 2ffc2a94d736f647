import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { methodSchema, type WireResult } from '../../common/contract/index.js';
import type { ErrorCode } from '../../common/errors.js';
import { WEB_ROUTES } from '../../common/wire.js';
import type { Dispatch } from '../services/dispatch/index.js';
import { resolveInside } from '../services/library/index.js';
import { parseMediaRequest, type MediaKind, type MediaVariant } from '../media.js';
import { createGate, newToken } from './auth.js';
import { BodyTooLargeError, readBody } from './body.js';
import { openEventStream } from './events.js';
import { sendFile } from './files.js';
import { sendJson, sendText, setSecurityHeaders } from './responses.js';
import { receiveUpload } from './upload.js';

/** What the server needs from the studio (src/main/studio.ts): the same dispatch the desktop IPC uses. */
export interface WebStudio {
  dispatch: Dispatch;
  /** The calls that carry a file: their bodies stream to disk (see upload.ts), never into memory. */
  dispatchUpload(channel: string, receive: (path: string) => Promise<{ name: string }>): Promise<WireResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  mediaPath(kind: MediaKind, id: string, variant: MediaVariant): Promise<string>;
}

export interface WebServerOptions {
  studio: WebStudio;
  /** The built renderer (dist/renderer, from `npm run build:web`); nothing outside it is served. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The secret the first request must show; a fresh random one by default. */
  token?: string;
  /** Caps every call's request body below its contract limit (`maxBodyBytes` of each method); for tests. */
  maxBodyBytes?: number;
  /** Interval of the comments that keep an idle event stream open. */
  keepAliveMs?: number;
}

export interface WebServer {
  port: number;
  /** http://127.0.0.1:PORT/ */
  url: string;
  token: string;
  /** The URL to open first: it trades the token for the session cookie. */
  loginUrl: string;
  close(): Promise<void>;
}

const API_ROUTE = new RegExp(`^${WEB_ROUTES.api}/([A-Za-z]+)/([A-Za-z]+)$`);
const MEDIA_ROUTE = new RegExp(`^${WEB_ROUTES.media}/([^/]+)/([^/]+)/([^/]+)$`);

/** HTTP status for a call's result; the body is the WireResult either way, so clients read only that. */
function statusOf(result: WireResult<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.code) {
    case 'BAD_REQUEST': return 400;
    case 'NOT_FOUND': return 404;
    case 'DISK_FULL': return 507;
    case 'INTERNAL': return 500;
    default: return 422;
  }
}

const wireError = (code: ErrorCode, message: string): WireResult<never> => ({ ok: false, error: { code, message } });

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Web mode: the renderer and the contract over HTTP on 127.0.0.1 only. The first visit brings the
 * token in the URL and gets an HttpOnly, SameSite=Strict cookie; every later request needs it (or a
 * Bearer header). POST /api/<service>/<method> goes through the same validating dispatch as IPC;
 * GET /api/events streams events; GET /media/<kind>/<id>/<variant> serves library files.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { studio, rendererDir } = options;
  const token = options.token ?? newToken();
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const streams = new Set<() => void>();
  let gate = createGate(token, 0);

  async function handleApi(req: IncomingMessage, res: ServerResponse, service: string, name: string): Promise<void> {
    const channel = `${service}:${name}`;
    const schema = methodSchema(channel);
    if (!schema) return sendJson(res, 404, wireError('NOT_FOUND', `unknown call "${channel}"`));
    if (req.method !== 'POST') return sendJson(res, 405, wireError('BAD_REQUEST', 'calls are POST requests'));
    if (!gate.originAllowed(req)) return sendJson(res, 403, wireError('FORBIDDEN', 'cross-origin call refused'));
    // Requiring JSON keeps other sites' plain form posts out (they cannot send this type without CORS).
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendJson(res, 415, wireError('BAD_REQUEST', 'send the payload as application/json'));
    }
    // Each call's own limit, from the contract: a 100 MB file is allowed to importImage, not to queue:list.
    const maxBody = Math.min(schema.maxBodyBytes, options.maxBodyBytes ?? Infinity);
    if (schema.upload) {
      const result = await studio.dispatchUpload(channel, (path) => receiveUpload(req, path, channel, maxBody));
      if (!result.ok && result.error.code === 'TOO_LARGE') {
        // The rest of the body is not wanted: the connection closes after this answer.
        res.setHeader('Connection', 'close');
        return sendJson(res, 413, result);
      }
      return sendJson(res, statusOf(result), result);
    }
    let payload: unknown;
    try {
      const body = await readBody(req, maxBody);
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        return sendJson(res, 413, wireError('TOO_LARGE', `${channel} requests are limited to ${megabytes(maxBody)}`));
      }
      return sendJson(res, 400, wireError('BAD_REQUEST', 'the request body is not valid JSON'));
    }
    const result = await studio.dispatch(channel, payload);
    sendJson(res, statusOf(result), result);
  }

  async function handleMedia(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    const [kind = '', id = '', variant = ''] = parts;
    const request = parseMediaRequest(kind, id, variant);
    if (!request) return sendText(res, 404, 'Not found');
    let path: string;
    try {
      path = await studio.mediaPath(request.kind, request.id, request.variant);
    } catch {
      return sendText(res, 404, 'Not found');
    }
    // Images are named by their content's hash and renders never change, so a browser may keep them.
    if (!(await sendFile(req, res, path, 'private, max-age=3600'))) sendText(res, 404, 'Not found');
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    // Still percent-encoded: resolveInside decodes once and refuses traversal, odd characters and symlinks out.
    const rel = pathname.replace(/^\/+/, '') || 'index.html';
    let file: string | undefined;
    try {
      file = await resolveInside(rendererDir, rel);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'NOT_FOUND') return sendText(res, 404, 'Not found');
    }
    const hashed = rel.startsWith('assets/');
    if (file && (await sendFile(req, res, file, hashed ? 'private, max-age=31536000, immutable' : 'no-cache'))) return;
    // Client-side routes (no file extension) get the app; missing files stay missing.
    if (!/\.[A-Za-z0-9]+$/.test(rel) && (await sendFile(req, res, join(rendererDir, 'index.html'), 'no-cache'))) return;
    sendText(res, 404, 'Not found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!gate.hostAllowed(req)) return sendText(res, 403, 'Forbidden: unexpected Host header');
    const target = req.url ?? '/';
    // Browsers resolve dot segments before sending; a request that still has them was crafted.
    if (!target.startsWith('/') || target.split('?')[0]!.split('/').some((s) => s === '.' || s === '..')) {
      return sendText(res, 400, 'Bad request');
    }
    const url = new URL(target, 'http://127.0.0.1');

    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (req.method !== 'GET' || !gate.tokenMatches(offered)) return sendText(res, 401, 'Unauthorized: wrong token');
      url.searchParams.delete('token');
      // The token leaves the address bar (and the history) at once; from now on the cookie stands in.
      res.setHeader('Set-Cookie', gate.sessionCookie());
      res.writeHead(303, { Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const isApi = url.pathname === WEB_ROUTES.api || url.pathname.startsWith(`${WEB_ROUTES.api}/`);
    if (!gate.authenticated(req)) {
      return isApi
        ? sendJson(res, 401, wireError('UNAUTHORIZED', 'open the address `npm run serve` printed, with its token'))
        : sendText(res, 401, 'Unauthorized: open the address `npm run serve` printed, with its ?token=…');
    }

    if (url.pathname === WEB_ROUTES.events) {
      if (req.method !== 'GET') return sendJson(res, 405, wireError('BAD_REQUEST', 'events are a GET stream'));
      // The stream carries every job and library change: another site's page must not read it either.
      if (!gate.originAllowed(req)) return sendJson(res, 403, wireError('FORBIDDEN', 'cross-origin event stream refused'));
      const close = openEventStream(req, res, studio.onEvent.bind(studio), keepAliveMs);
      streams.add(close);
      res.on('close', () => streams.delete(close));
      return;
    }
    const api = API_ROUTE.exec(url.pathname);
    if (api) return handleApi(req, res, api[1]!, api[2]!);
    if (isApi) return sendJson(res, 404, wireError('NOT_FOUND', 'no such API route'));

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const media = MEDIA_ROUTE.exec(url.pathname);
    if (media) return handleMedia(req, res, media.slice(1));
    if (url.pathname.startsWith(`${WEB_ROUTES.media}/`)) return sendText(res, 404, 'Not found');
    return handleStatic(req, res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('atelier web: request failed:', error);
      if (!res.headersSent) sendJson(res, 500, wireError('INTERNAL', 'the server failed on this request'));
      else res.destroy();
    });
  });
  // Upload bodies are large; keep a generous but finite time to receive them.
  server.requestTimeout = 10 * 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  gate = createGate(token, port);
  const url = `http://127.0.0.1:${port}/`;

  return {
    port,
    url,
    token,
    loginUrl: `${url}?token=${token}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const close of [...streams]) close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
