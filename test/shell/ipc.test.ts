import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels, createApi, type Api } from '../../src/common/contract/index.js';
import { AtelierError } from '../../src/common/errors.js';
import { isTrustedPage, registerIpc, sendEvent, type TrustedPages } from '../../src/main/app/ipc.js';
import type { Studio } from '../../src/main/studio.js';
import { createBridge } from '../../src/preload/bridge.js';
import { createIpcTransport, type Transport } from '../../src/renderer/api/ipc-transport.js';
import { samplePng, tempStudio } from '../web/support.js';
import { fakeIpcMain, fakeRenderer } from './fake-electron.js';

const INDEX_URL = pathToFileURL('/opt/Atelier/resources/app.asar/dist/renderer/index.html').href;
const pages: TrustedPages = { rendererIndexUrl: INDEX_URL };

describe('isTrustedPage', () => {
  it('accepts our built page (with any hash or query) and the dev server, nothing else', () => {
    expect(isTrustedPage(INDEX_URL, pages)).toBe(true);
    expect(isTrustedPage(`${INDEX_URL}#/gallery`, pages)).toBe(true);
    expect(isTrustedPage(`${INDEX_URL}?view=queue`, pages)).toBe(true);
    expect(isTrustedPage(pathToFileURL('/opt/Atelier/resources/app.asar/dist/renderer/other.html').href, pages)).toBe(false);
    expect(isTrustedPage('file:///tmp/evil/index.html', pages)).toBe(false);
    expect(isTrustedPage('https://example.com/', pages)).toBe(false);
    expect(isTrustedPage('http://localhost:5173/', pages)).toBe(false);
    expect(isTrustedPage('', pages)).toBe(false);
    expect(isTrustedPage('not a url', pages)).toBe(false);
    const dev = { ...pages, devServerUrl: 'http://localhost:5173/' };
    expect(isTrustedPage('http://localhost:5173/#/queue', dev)).toBe(true);
    expect(isTrustedPage('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedPage('http://localhost.evil:5173/', dev)).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispose = registerIpc(ipcMain, vi.fn(), pages);
    expect([...handlers.keys()].sort()).toEqual(channels().sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('hands each channel its payload through dispatch and refuses foreign frames', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispatch = vi.fn(async (channel: string) => ({ ok: true as const, value: channel }));
    registerIpc(ipcMain, dispatch, pages);
    for (const channel of channels()) {
      await expect(handlers.get(channel)!({ senderFrame: { url: INDEX_URL } }, { n: 1 })).resolves.toEqual({ ok: true, value: channel });
      expect(dispatch).toHaveBeenLastCalledWith(channel, { n: 1 });
    }
    dispatch.mockClear();
    for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/x.html' }, null]) {
      const result = await handlers.get('library:listImages')!({ senderFrame }, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('sends events only to live renderers showing our page', () => {
    const ours = { send: vi.fn(), getURL: () => `${INDEX_URL}#/x`, isDestroyed: () => false };
    const gone = { send: vi.fn(), getURL: () => INDEX_URL, isDestroyed: () => true };
    const foreign = { send: vi.fn(), getURL: () => 'https://example.com/', isDestroyed: () => false };
    sendEvent([ours, gone, foreign], pages, 'presets:changed', {});
    expect(ours.send).toHaveBeenCalledWith('event', 'presets:changed', {});
    expect(gone.send).not.toHaveBeenCalled();
    expect(foreign.send).not.toHaveBeenCalled();
  });
});

describe('createApi over IPC: real studio, fake ipcMain/renderer pair, the real preload bridge', () => {
  let studio: Studio;
  let cleanup: () => Promise<void>;
  let api: Api;
  let transport: Transport;
  let renderer: ReturnType<typeof fakeRenderer>;

  beforeAll(async () => {
    ({ studio, cleanup } = await tempStudio('desktop'));
    const { ipcMain, handlers } = fakeIpcMain();
    registerIpc(ipcMain, studio.dispatch, pages);
    renderer = fakeRenderer(handlers, INDEX_URL);
    studio.onEvent((name, payload) => sendEvent([renderer.webContents], pages, name, payload));
    transport = createIpcTransport(createBridge(renderer.ipcRenderer));
    api = createApi(transport.invoke);
  });
  afterAll(async () => cleanup?.());

  it('round-trips calls with their typed results', async () => {
    expect(await api.app.info({})).toMatchObject({ mode: 'desktop', samplesAvailable: false, backend: null });
    const png = await samplePng(5);
    const { image } = await api.library.importImage({ name: 'five.png', dataBase64: png.toString('base64') });
    expect(image).toMatchObject({ name: 'five.png', width: 64, height: 48, format: 'png' });
    expect(await api.library.listImages({})).toEqual([image]);
    const preset = await api.presets.save({ name: 'Desk', settings: { size: 128 } });
    expect(preset).toMatchObject({ name: 'Desk', builtIn: false, description: '' });
    expect(await studio.mediaPath('image', image.id, 'original')).toMatch(/\.png$/);
  });

  it('throws an AtelierError with the code from main; a bad payload never reaches the handler', async () => {
    const spy = vi.spyOn(studio.handlers.presets, 'rename');
    const bad = await api.presets.rename({ id: '../../etc', name: '' }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(AtelierError);
    expect((bad as AtelierError).code).toBe('BAD_REQUEST');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const missing = await api.library.deletePair({ id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }).catch((error: unknown) => error);
    expect((missing as AtelierError).code).toBe('NOT_FOUND');
  });

  it('delivers events to subscribers and removes the bridge listener with the last one', async () => {
    const got: unknown[] = [];
    expect(renderer.listenerCount('event')).toBe(0);
    const off = transport.subscribe('presets:changed', (payload) => got.push(payload));
    const offCommand = transport.subscribe('app:command', (payload) => got.push(payload.command));
    expect(renderer.listenerCount('event')).toBe(1);
    await api.presets.save({ name: 'Evented', settings: {} });
    studio.emit('app:command', { command: 'open-photos' });
    expect(got).toEqual([{}, 'open-photos']);
    off();
    offCommand();
    offCommand();
    expect(renderer.listenerCount('event')).toBe(0);
    studio.emit('app:command', { command: 'export' });
    expect(got).toHaveLength(2);
  });
});
