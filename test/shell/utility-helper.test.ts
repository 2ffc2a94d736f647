// The desktop app's launcher for the backends' probe processes (Electron's utility
// process), driving the real workers. As in utility-render.test.ts, `utilityProcess.fork` is a stand-in
// (utility-process-stand-in.ts) that runs the module in a forked Node with a parentPort shaped like Electron's.
import { describe, expect, it, vi } from 'vitest';
import { probeBackends } from '../../src/main/services/backends/probe.js';

const started: string[] = [];

vi.mock('electron', async () => ({
  utilityProcess: (await import('./utility-process-stand-in.js')).utilityProcessStandIn((serviceName, modulePath) => started.push(`${serviceName}: ${modulePath.split('/').pop()}`)),
}));

const { utilityHelper } = await import('../../src/main/app/utility-render.js');

describe('backend helpers in a utility process', () => {
  it('probes backends through parentPort, one process after another', async () => {
    const statuses = await probeBackends(utilityHelper, ['tfjs-node', 'cpu', 'wasm']);
    expect(statuses.map((s) => [s.name, s.available])).toEqual([['tfjs-node', false], ['cpu', true], ['wasm', true]]);
    expect(statuses[0]!.reason).toBe('the @tensorflow/tfjs-node package is not installed');
    // cpu started in the first process, so wasm needed a second.
    expect(started.filter((s) => s.includes('probe-worker.js'))).toEqual(['Atelier backend probe: probe-worker.js', 'Atelier backend probe: probe-worker.js']);
  });
});
