import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AtelierError } from '../../../common/errors.js';
import type { RenderOutcome, RenderPhase } from '../../../common/progress.js';
import type { RenderRequest } from '../render/index.js';
import type { FromWorker, LooksRequest, ToWorker, WorkerLook, WorkerProgress } from './messages.js';

/**
 * The compiled worker. Built code (dist/, and the packaged app) finds it next to this module. Under
 * vitest this module runs from its .ts source, which a forked Node cannot run, so it takes the copy
 * `npm run build:node` compiled into dist/ at the same place (the tests build before they start).
 */
export function renderWorkerPath(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../../../dist/main/services/queue/render-worker.js' : './render-worker.js', import.meta.url));
}

export interface RenderProcess {
  /**
   * The outcome (`cancelled: true` with the best image so far after `cancel()`); rejects with the
   * render's own error, or RENDER_CRASHED when the process dies without an answer.
   */
  readonly result: Promise<RenderOutcome>;
  /** Asks the render to stop after the current iteration. */
  cancel(): void;
  /** Ends the process at once; `result` then rejects as a crash. */
  kill(): void;
}

/**
 * What a render process looks like from here, whichever kind it is: Node's child_process (plain Node,
 * web mode, tests) or Electron's utility process (the desktop app, where RunAsNode is fused off).
 */
export interface WorkerChannel {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process has gone or could not start, with a few words on how. */
  onGone(listener: (detail: string) => void): void;
  kill(): void;
}

/**
 * Starts one render worker and hands back its channel; the composition root picks the kind. Renders and
 * the instant looks' grid both run through it.
 */
export type RenderLauncher = () => WorkerChannel;

/** What a render is doing before its first progress event (see RENDER_PHASES). */
export type PhaseListener = (phase: RenderPhase) => void;

/** Runs one render in a process of its own, killed once it has answered. */
export function startRenderProcess(
  request: RenderRequest,
  onProgress: (update: WorkerProgress) => void,
  launch: RenderLauncher = forkRenderProcess,
  onPhase?: PhaseListener,
): RenderProcess {
  return startWorker(launch(), { type: 'start', request }, (message) => {
    if (message.type === 'progress') onProgress(message.update);
    else if (message.type === 'phase') onPhase?.(message.phase);
    else if (message.type === 'done') return message.outcome;
    return undefined;
  });
}

/** Paints the instant looks' grid in a process of its own: the main process stays responsive. */
export function startLooksProcess(
  request: LooksRequest,
  launch: RenderLauncher = forkRenderProcess,
): Omit<RenderProcess, 'result'> & { result: Promise<WorkerLook[]> } {
  return startWorker(launch(), { type: 'looks', request }, (message) => (message.type === 'looks' ? message.looks : undefined));
}

/**
 * Sends a worker one job and settles with what `answer` makes of the first answering message (or the
 * worker's error, or a crash), killing the worker then.
 */
function startWorker<T>(
  channel: WorkerChannel,
  job: ToWorker,
  answer: (message: FromWorker) => T | undefined,
): { result: Promise<T>; cancel(): void; kill(): void } {
  let answered = false;
  const result = new Promise<T>((resolve, reject) => {
    const settle = (done: () => void) => {
      answered = true;
      done();
      channel.kill();
    };
    channel.onMessage((message) => {
      if (answered) return;
      if (message.type === 'error') {
        settle(() => reject(new AtelierError(message.error.code, message.error.message)));
        return;
      }
      const value = answer(message);
      if (value !== undefined) settle(() => resolve(value));
    });
    channel.onGone((detail) => {
      if (!answered) settle(() => reject(crashed(detail)));
    });
  });
  channel.send(job);
  return { result, cancel: () => channel.send({ type: 'cancel' }), kill: () => channel.kill() };
}

function crashed(detail: string): AtelierError {
  return new AtelierError('RENDER_CRASHED', `the render process stopped unexpectedly (${detail})`);
}

/** A render process forked from this Node; its channel uses 'advanced' serialization for the pixels. */
export const forkRenderProcess: RenderLauncher = () => {
  const child = fork(renderWorkerPath(), [], {
    serialization: 'advanced',
    // Not the parent's flags: an inspector port or a test runner's loader would clash or not apply.
    execArgv: [],
  });
  return {
    // A process that has already gone has nothing to receive; its exit is reported through onGone.
    send: (message) => void (child.connected && child.send(message)),
    onMessage: (listener) => void child.on('message', listener),
    onGone: (listener) => {
      child.on('exit', (code, signal) => listener(signal ? `killed by ${signal}` : `exit code ${code}`));
      child.on('error', (error) => listener(error.message));
    },
    kill: () => void child.kill('SIGKILL'),
  };
};
