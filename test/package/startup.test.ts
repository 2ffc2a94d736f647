// The desktop app's main process builds the studio before it can open a window; what it imports then is
// start-up time. TensorFlow.js, the engine and h5wasm load in render processes and on the first install,
// sharp on the first image operation.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const studio = resolve(fileURLToPath(import.meta.url), '../../../dist/main/studio.js');

/** Every module URL Node resolves in this process, sent from the loader thread as it resolves it. */
const recorder = `
  let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    port.postMessage(resolved.url);
    return resolved;
  }`;

/** Imports the built studio module in a fresh Node and lists every module that import loaded. */
const probe = `
  import { register } from 'node:module';
  import { MessageChannel } from 'node:worker_threads';
  const { port1, port2 } = new MessageChannel();
  const loaded = [];
  const END = 'node:atelier-probe-end';
  const drained = new Promise((done) => port1.on('message', (url) => (url === 'node:path' && loaded.includes(END) ? done() : loaded.push(url))));
  register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(recorder)}), { data: { port: port2 }, transferList: [port2] });
  const { createStudio } = await import(${JSON.stringify(studio)});
  if (typeof createStudio !== 'function') throw new Error('no createStudio');
  // The port delivers in order: once this marker and a last resolution come back, every earlier one has.
  loaded.push(END);
  await import('node:path');
  await drained;
  port1.close();
  console.log(JSON.stringify(loaded));`;

describe('start-up', () => {
  it('builds the studio without loading TensorFlow.js, the engine, h5wasm or sharp', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as string[];
    // The probe sees what it should: the studio and the services it builds are there.
    expect(loaded.some((url) => url.endsWith('/dist/main/services/library/index.js'))).toBe(true);
    // The engine's entry and what it imports are plain arithmetic the UI needs before any render (plans,
    // sizes, memory rules, time estimates, colour statistics, which backend a render will likely get); any other engine
    // module means a runtime (engine/runtime.ts).
    const light = /\/dist\/main\/engine\/(index|plan|sizes|speedometer|memory|colour-stats|backend\/expected)\.js$/;
    const heavy = loaded.filter((url) => /\/node_modules\/(@tensorflow|h5wasm|sharp|@img|onnxruntime-node)\/|\/dist\/main\/engine\//.test(url) && !light.test(url));
    expect(heavy).toEqual([]);
  });
});
