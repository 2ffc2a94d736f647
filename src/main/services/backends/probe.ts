import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendStatus } from '../../../common/contract/index.js';

/** A backend that has not started in this long counts as unavailable (a hung driver, a loaded machine). */
const PROBE_TIMEOUT_MS = 60_000;

/** The compiled probe; under vitest (running .ts sources) the copy the build put in dist/, as for the render worker. */
function probeWorkerPath(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../../../dist/main/services/backends/probe-worker.js' : './probe-worker.js', import.meta.url));
}

/** Starts `name` in a child process of its own and reports whether it came up, and if not, why. */
export function probeBackend(name: string): Promise<BackendStatus> {
  return new Promise((resolve) => {
    const child = fork(probeWorkerPath(), [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    let settled = false;
    const settle = (status: Omit<BackendStatus, 'name'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ name, ...status });
    };
    const timer = setTimeout(() => settle({ available: false, reason: `did not start within ${PROBE_TIMEOUT_MS / 1000} s` }), PROBE_TIMEOUT_MS);
    child.on('message', (message: Omit<BackendStatus, 'name'>) => settle(message));
    child.on('exit', (code, signal) => settle({ available: false, reason: `the probe stopped (${signal ?? `exit code ${code}`})` }));
    child.on('error', (error) => settle({ available: false, reason: error.message }));
    child.send(name);
  });
}
