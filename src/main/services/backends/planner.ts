import { AtelierError, isErrorCode } from '../../../common/errors.js';
import type { RenderSettingsInput } from '../../../common/settings.js';
import { helperPath, type HelperProcess, type StartHelper } from './helper-process.js';

type Size = { width: number; height: number };
export type PlanQuestion =
  | { type: 'choices' }
  | { type: 'plan'; settings: RenderSettingsInput; sources: { content?: Size; styles: Size[]; initImage?: Size }; backend: string };
export type PlanAnswer =
  | { type: 'choices'; names: string[] }
  | { type: 'plan'; stages: (Size & { iterations: number })[]; bytes: number; tooLarge: string | null };

export interface Planner {
  ask<Q extends PlanQuestion>(question: Q): Promise<Extract<PlanAnswer, { type: Q['type'] }>>;
  dispose(): void;
}

/** One planning process, started on the first question and kept for the next ones; a stopped one is started again. */
export function createPlanner(start: StartHelper): Planner {
  let child: HelperProcess | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (answer: PlanAnswer) => void; reject: (error: Error) => void }>();

  function launch(): HelperProcess {
    const helper = start(helperPath('plan-worker.js'), 'Atelier planner');
    helper.onMessage((raw) => {
      const message = raw as { id: number; ok: true; answer: PlanAnswer } | { id: number; ok: false; error: { code: string; message: string } };
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) entry?.resolve(message.answer);
      else entry?.reject(new AtelierError(isErrorCode(message.error.code) ? message.error.code : 'INTERNAL', message.error.message));
    });
    helper.onGone(() => {
      if (child === helper) child = undefined;
      for (const entry of waiting.values()) entry.reject(new AtelierError('INTERNAL', 'the planning process stopped'));
      waiting.clear();
    });
    return helper;
  }

  return {
    ask(question) {
      child ??= launch();
      const id = nextId++;
      const sent = child;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (answer: PlanAnswer) => void, reject });
        sent.send({ id, question });
      }) as never;
    },
    dispose() {
      child?.kill();
      child = undefined;
    },
  };
}
