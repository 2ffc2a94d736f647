import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AtelierError, isErrorCode } from '../../../common/errors.js';
import type { RenderSettingsInput } from '../../../common/settings.js';

type Size = { width: number; height: number };
export type PlanQuestion =
  | { type: 'choices' }
  | { type: 'plan'; settings: RenderSettingsInput; sources: { content?: Size; styles: Size[] }; backend: string };
export type PlanAnswer =
  | { type: 'choices'; names: string[] }
  | { type: 'plan'; stages: (Size & { iterations: number })[]; bytes: number; tooLarge: string | null };

/** The compiled worker; under vitest (running .ts sources) the copy the build put in dist/, as for the render worker. */
function planWorkerPath(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../../../dist/main/services/backends/plan-worker.js' : './plan-worker.js', import.meta.url));
}

export interface Planner {
  ask<Q extends PlanQuestion>(question: Q): Promise<Extract<PlanAnswer, { type: Q['type'] }>>;
  dispose(): void;
}

/** One planning process, started on the first question and kept for the next ones; a crashed one is started again. */
export function createPlanner(): Planner {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (answer: PlanAnswer) => void; reject: (error: Error) => void }>();

  function start(): ChildProcess {
    const process = fork(planWorkerPath(), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    process.on('message', (message: { id: number; ok: true; answer: PlanAnswer } | { id: number; ok: false; error: { code: string; message: string } }) => {
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) entry?.resolve(message.answer);
      else entry?.reject(new AtelierError(isErrorCode(message.error.code) ? message.error.code : 'INTERNAL', message.error.message));
    });
    process.on('exit', () => {
      if (child === process) child = undefined;
      for (const entry of waiting.values()) entry.reject(new AtelierError('INTERNAL', 'the planning process stopped'));
      waiting.clear();
    });
    // Waiting for an answer keeps Node alive; an idle planner must not.
    process.unref();
    process.channel?.unref();
    return process;
  }

  return {
    ask(question) {
      child ??= start();
      const id = nextId++;
      const sent = child;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (answer: PlanAnswer) => void, reject });
        sent.channel?.ref();
        sent.send({ id, question });
      }).finally(() => {
        if (waiting.size === 0) sent.channel?.unref();
      }) as never;
    },
    dispose() {
      child?.kill('SIGKILL');
      child = undefined;
    },
  };
}
