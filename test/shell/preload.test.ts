import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { describe, expect, it, vi } from 'vitest';
import { channels } from '../../src/common/contract/index.js';
import { createBridge, type IpcRendererLike } from '../../src/preload/bridge.js';
import { tempDir } from '../web/support.js';

function recordingIpc() {
  const listeners: ((event: unknown, ...args: unknown[]) => void)[] = [];
  const ipc = {
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
    on: vi.fn((_channel: string, listener: (event: unknown, ...args: unknown[]) => void) => listeners.push(listener)),
    removeListener: vi.fn((_channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    }),
  } satisfies IpcRendererLike;
  const emit = (...args: unknown[]): void => [...listeners].forEach((l) => l({ sender: 'secret ipc event', ports: [] }, ...args));
  return { ipc, listeners, emit };
}

describe('the preload bridge', () => {
  it('passes contract channels through and refuses every other channel without calling ipcRenderer', async () => {
    const { ipc } = recordingIpc();
    const bridge = createBridge(ipc);
    for (const channel of channels()) {
      await expect(bridge.invoke(channel, { a: 1 })).resolves.toEqual({ ok: true, value: { channel, payload: { a: 1 } } });
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(channels().length);
    for (const channel of ['app:getVersion', 'library:imageFile', 'queue:dispose', 'event', '__proto__', 'constructor', 'toString', 'library:', ':', '', 'LIBRARY:LISTIMAGES', 'library:listImages ']) {
      await expect(bridge.invoke(channel, {}), channel).rejects.toThrow(/not a channel of the Atelier contract/);
    }
    await expect(bridge.invoke(42 as unknown as string, {})).rejects.toThrow();
    expect(ipc.invoke).toHaveBeenCalledTimes(channels().length);
  });

  it('exposes only invoke and on', () => {
    expect(Object.keys(createBridge(recordingIpc().ipc)).sort()).toEqual(['invoke', 'on']);
  });

  it('gives each on() its own listener, removed by its own unsubscribe, without the IPC event object', () => {
    const { ipc, listeners, emit } = recordingIpc();
    const bridge = createBridge(ipc);
    const first: unknown[][] = [];
    const second: unknown[][] = [];
    const listener = (...args: unknown[]): number => first.push(args);
    const offFirst = bridge.on(listener);
    const offAgain = bridge.on(listener);
    const offSecond = bridge.on((...args) => second.push(args));
    expect(ipc.on).toHaveBeenCalledWith('event', expect.any(Function));
    expect(listeners).toHaveLength(3);
    emit('presets:changed', {});
    expect(first).toEqual([['presets:changed', {}], ['presets:changed', {}]]);
    expect(second).toEqual([['presets:changed', {}]]);
    offFirst();
    offFirst();
    expect(listeners).toHaveLength(2);
    emit('queue:job', { id: 'x' });
    expect(first).toHaveLength(3);
    offAgain();
    offSecond();
    expect(listeners).toHaveLength(0);
    expect(() => bridge.on('not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('bundles into one CommonJS script that needs only electron and exposes the bridge', async () => {
    const { dir, cleanup } = await tempDir('preload');
    try {
      await build({ configFile: join(process.cwd(), 'vite.preload.config.ts'), logLevel: 'silent', build: { outDir: dir } });
      const code = await readFile(join(dir, 'index.cjs'), 'utf8');
      const required = new Set([...code.matchAll(/require\(["'`]([^"'`]+)["'`]\)/g)].map((m) => m[1]));
      expect([...required]).toEqual(['electron']);
      // Run it the way a sandboxed preload runs: a require that knows only electron, no Node globals.
      const exposed: Record<string, unknown> = {};
      const { ipc } = recordingIpc();
      const electron = { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) }, ipcRenderer: ipc };
      const sandboxRequire = (name: string): unknown => {
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      };
      const module = { exports: {} };
      runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
      const bridge = exposed.atelier as ReturnType<typeof createBridge>;
      expect(Object.keys(exposed)).toEqual(['atelier']);
      await expect(bridge.invoke('app:info', {})).resolves.toEqual({ ok: true, value: { channel: 'app:info', payload: {} } });
      await expect(bridge.invoke('app:getVersion', {})).rejects.toThrow();
    } finally {
      await cleanup();
    }
  });
});
