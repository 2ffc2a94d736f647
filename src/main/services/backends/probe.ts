import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendStatus } from '../../../common/contract/index.js';

/** A probe that has not answered in this long counts its backends unavailable (a hung driver, a loaded machine). */
const PROBE_TIMEOUT_MS = 60_000;

/** The compiled probe; under vitest (running .ts sources) the copy the build put in dist/, as for the render worker. */
function probeWorkerPath(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../../../dist/main/services/backends/probe-worker.js' : './probe-worker.js', import.meta.url));
}

/** One probe process: tries `names` in order and answers for each up to the first that started. */
function probeOnce(names: string[]): Promise<BackendStatus[]> {
  return new Promise((resolve) => {
    const child = fork(probeWorkerPath(), [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    let settled = false;
    const settle = (statuses: BackendStatus[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(statuses);
    };
    const fail = (reason: string) => settle(names.map((name) => ({ name, available: false, reason })));
    const timer = setTimeout(() => fail(`did not start within ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS);
    child.on('message', (statuses: BackendStatus[]) => settle(statuses));
    child.on('exit', (code, signal) => fail(`the probe stopped (${signal ?? `exit code ${code}`})`));
    child.on('error', (error) => fail(error.message));
    child.send(names);
  });
}

/**
 * Starts each backend in a child process and reports whether it came up, and if not, why. One process
 * tries them in order until one starts, the next goes on from there: usually two processes, one after
 * the other, so probing never takes more than a core from a render or the window.
 */
export async function probeBackends(names: readonly string[]): Promise<BackendStatus[]> {
  const statuses: BackendStatus[] = [];
  while (statuses.length < names.length) {
    const answered = await probeOnce(names.slice(statuses.length));
    // A probe always answers for at least the first name it was given.
    statuses.push(...(answered.length > 0 ? answered : [{ name: names[statuses.length]!, available: false, reason: 'the probe gave no answer' }]));
  }
  return statuses;
}
