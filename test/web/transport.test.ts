import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../src/common/contract/index.js';
import { AtelierError } from '../../src/common/errors.js';
import type { Studio } from '../../src/main/studio.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { mediaUrlFor } from '../../src/renderer/api/image-url.js';
import type { Transport } from '../../src/renderer/api/ipc-transport.js';
import { createWebTransport, type EventStream } from '../../src/renderer/api/web-transport.js';
import { readEventStream } from '../support/server-sent-events.js';
import { fakeRenderer, samplePng, tempDir, tempStudio } from './support.js';

/**
 * A small EventSource for Node 20 (which has none): reads the SSE stream with fetch and hands each
 * `data:` line to onmessage, as the browser's does. The Chromium test covers the real one.
 */
function nodeEventStream(headers: Record<string, string>) {
  const streams: { opened: Promise<void>; closed: boolean }[] = [];
  const factory = (url: string): EventStream => {
    const controller = new AbortController();
    let markOpen = (): void => undefined;
    const record = { opened: new Promise<void>((resolve) => (markOpen = resolve)), closed: false };
    streams.push(record);
    const stream: EventStream = {
      onmessage: null,
      close() {
        record.closed = true;
        controller.abort();
      },
    };
    void (async () => {
      const response = await fetch(url, { headers, signal: controller.signal });
      await readEventStream(response, (block, data) => {
        if (block.includes(': connected')) markOpen();
        if (data) stream.onmessage?.({ data });
      });
    })().catch(() => undefined);
    return stream;
  };
  return { factory, streams };
}

let studio: Studio;
let server: WebServer;
let transport: Transport;
let api: Api;
let streams: ReturnType<typeof nodeEventStream>['streams'];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const made = await tempStudio('web');
  studio = made.studio;
  cleanups.push(made.cleanup);
  const files = await tempDir('renderer');
  cleanups.push(files.cleanup);
  server = await startWebServer({ studio, rendererDir: await fakeRenderer(files.dir) });
  const headers = { Authorization: `Bearer ${server.token}` };
  const events = nodeEventStream(headers);
  streams = events.streams;
  transport = createWebTransport({ baseUrl: server.url.replace(/\/$/, ''), headers, eventStream: events.factory });
  api = createApi(transport.invoke);
});

afterAll(async () => {
  await server?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('createApi over the web transport (fetch)', () => {
  it('round-trips calls with their typed results', async () => {
    const info = await api.app.info({});
    expect(info).toMatchObject({ mode: 'web', modelsInstalled: expect.any(Boolean), version: expect.any(String) });
    const png = await samplePng(3);
    const { image, duplicate } = await api.library.importImage({ name: 'three.png', dataBase64: png.toString('base64') });
    expect(duplicate).toBe(false);
    expect((await api.library.importImage({ name: 'again.png', dataBase64: png.toString('base64') })).duplicate).toBe(true);
    expect((await api.library.listImages({})).map((i) => i.id)).toEqual([image.id]);

    const preset = await api.presets.save({ name: 'Web', settings: { size: 256 } });
    expect((await api.presets.list({})).map((p) => p.id)).toContain(preset.id);
    const pair = await api.library.savePair({ name: 'Pair', contentId: image.id, styles: [{ imageId: image.id, weight: 1 }], settings: {} });
    expect(pair.presetId).toBeNull();
    expect(await api.queue.list({})).toEqual([]);

    // The URL the renderer puts in <img> reaches the same file.
    const media = await fetch(server.url.replace(/\/$/, '') + mediaUrlFor('web', 'image', image.id, 'original'), { headers: { Authorization: `Bearer ${server.token}` } });
    expect(Buffer.from(await media.arrayBuffer()).equals(png)).toBe(true);
  });

  it('throws an AtelierError with the code that crossed the wire', async () => {
    const bad = await api.presets.rename({ id: 'x', name: 'y' }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(AtelierError);
    expect((bad as AtelierError).code).toBe('BAD_REQUEST');
    const missing = await api.presets.delete({ id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }).catch((error: unknown) => error);
    expect((missing as AtelierError).code).toBe('NOT_FOUND');
  });

  it('reports an unreachable or unauthenticated server as a coded error', async () => {
    const closed = createApi(createWebTransport({ baseUrl: 'http://127.0.0.1:9' }).invoke);
    expect(await closed.app.info({}).catch((e: AtelierError) => e.code)).toBe('NETWORK');
    const stranger = createApi(createWebTransport({ baseUrl: server.url.replace(/\/$/, '') }).invoke);
    expect(await stranger.app.info({}).catch((e: AtelierError) => e.code)).toBe('UNAUTHORIZED');
  });

  it('delivers events to subscribers and closes the stream with the last one', async () => {
    const got: string[] = [];
    const offPresets = transport.subscribe('presets:changed', () => got.push('presets'));
    const offLibrary = transport.subscribe('library:changed', (change) => got.push(`library:${change.what}`));
    expect(streams).toHaveLength(1);
    await streams[0]!.opened;
    await api.presets.save({ name: 'Evented', settings: {} });
    studio.emit('library:changed', { what: 'pairs' });
    await expect.poll(() => got).toEqual(['presets', 'library:pairs']);
    offPresets();
    expect(streams[0]!.closed).toBe(false);
    offLibrary();
    expect(streams[0]!.closed).toBe(true);
  });
});
