import type { BackendStatus } from '../../../common/contract/index.js';
import { helperPath, type StartHelper } from './helper-process.js';

/** A probe that has not answered in this long counts its backends unavailable (a hung driver, a loaded machine). */
const PROBE_TIMEOUT_MS = 60_000;

/** One probe process: tries `names` in order and answers for each up to the first that started. */
function probeOnce(start: StartHelper, names: string[]): Promise<BackendStatus[]> {
  return new Promise((resolve) => {
    const child = start(helperPath('probe-worker.js'), 'Atelier backend probe');
    let settled = false;
    const settle = (statuses: BackendStatus[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      resolve(statuses);
    };
    const fail = (reason: string) => settle(names.map((name) => ({ name, available: false, reason })));
    const timer = setTimeout(() => fail(`did not start within ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS);
    child.onMessage((statuses) => settle(statuses as BackendStatus[]));
    child.onGone((detail) => fail(`the probe stopped (${detail})`));
    child.send(names);
  });
}

/**
 * Starts each backend in a helper process and reports whether it came up, and if not, why. One process
 * tries them in order until one starts, the next goes on from there: usually two processes, one after
 * the other, so probing never takes more than a core from a render or the window.
 */
export async function probeBackends(start: StartHelper, names: readonly string[]): Promise<BackendStatus[]> {
  const statuses: BackendStatus[] = [];
  while (statuses.length < names.length) {
    const answered = await probeOnce(start, names.slice(statuses.length));
    // A probe always answers for at least the first name it was given.
    statuses.push(...(answered.length > 0 ? answered : [{ name: names[statuses.length]!, available: false, reason: 'the probe gave no answer' }]));
  }
  return statuses;
}
