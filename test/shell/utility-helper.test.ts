// The desktop app's launcher for the backends' probe and planning processes (Electron's utility
// process), driving the real workers. As in utility-render.test.ts, `utilityProcess.fork` is a stand-in
// (utility-process-stand-in.ts) that runs the module in a forked Node with a parentPort shaped like Electron's.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPlanner } from '../../src/main/services/backends/planner.js';
import { probeBackends } from '../../src/main/services/backends/probe.js';

const started: string[] = [];

vi.mock('electron', async () => ({
  utilityProcess: (await import('./utility-process-stand-in.js')).utilityProcessStandIn((serviceName, modulePath) => started.push(`${serviceName}: ${modulePath.split('/').pop()}`)),
}));

const { utilityHelper } = await import('../../src/main/app/utility-render.js');
const planner = createPlanner(utilityHelper);
afterAll(() => planner.dispose());

describe('backend helpers in a utility process', () => {
  it('probes backends through parentPort, one process after another', async () => {
    const statuses = await probeBackends(utilityHelper, ['tfjs-node', 'cpu', 'wasm']);
    expect(statuses.map((s) => [s.name, s.available])).toEqual([['tfjs-node', false], ['cpu', true], ['wasm', true]]);
    expect(statuses[0]!.reason).toBe('the @tensorflow/tfjs-node package is not installed');
    // cpu started in the first process, so wasm needed a second.
    expect(started.filter((s) => s.includes('probe-worker.js'))).toEqual(['Atelier backend probe: probe-worker.js', 'Atelier backend probe: probe-worker.js']);
  });

  it('plans through parentPort, and passes the engine\'s refusal back as its error', async () => {
    const { names } = await planner.ask({ type: 'choices' });
    expect(names).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    const plan = await planner.ask({ type: 'plan', settings: { size: 64 }, sources: { content: { width: 640, height: 480 }, styles: [{ width: 500, height: 400 }] }, backend: 'wasm' });
    expect(plan.stages.map((s) => [s.width, s.height])).toEqual([[64, 48]]);
    expect(plan.tooLarge).toBeNull();
    await expect(planner.ask({ type: 'plan', settings: { size: 64 }, sources: { styles: [{ width: 500, height: 400 }] }, backend: 'wasm' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(started.filter((s) => s.includes('plan-worker.js'))).toHaveLength(1);
  });
});
