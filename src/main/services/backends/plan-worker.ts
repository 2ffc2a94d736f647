// Entry point of the planning process (forked by planner.ts): answers questions that need the engine's
// planning code, which loads TensorFlow.js. Loading it in the main process would stall the window and
// the web server for seconds; here it happens once, beside them.
import { BACKEND_CHOICES, estimateIterationBytes, planRender } from '../../engine/index.js';
import { checkMemory } from '../../engine/plan.js';
import { errorData } from '../../../common/errors.js';
import { parentChannel } from './helper-process.js';
import type { PlanAnswer, PlanQuestion } from './planner.js';

function answer(question: PlanQuestion): PlanAnswer {
  if (question.type === 'choices') return { type: 'choices', names: BACKEND_CHOICES.filter((name) => name !== 'auto') };
  const plan = planRender(question.settings, question.sources);
  const largest = plan.stages.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  let tooLarge: string | null = null;
  try {
    checkMemory(largest, question.backend);
  } catch (error) {
    tooLarge = error instanceof Error ? error.message : String(error);
  }
  return { type: 'plan', stages: plan.stages, bytes: estimateIterationBytes(largest.width, largest.height, question.backend), tooLarge };
}

const send = parentChannel<{ id: number; question: PlanQuestion }, unknown>(({ id, question }) => {
  try {
    send({ id, ok: true, answer: answer(question) });
  } catch (error) {
    send({ id, ok: false, error: errorData(error) });
  }
});
