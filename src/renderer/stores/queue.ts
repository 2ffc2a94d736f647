import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { Job, QueueStatus } from '../../common/contract/domain.js';
import { api, subscribe } from '../api/index.js';
import { useAppStore } from './app.js';
import { askToNotify, notifyIfHidden } from './browser-notifications.js';
import { errorTitle } from './error-words.js';
import { useLibraryStore } from './library.js';
import { useUiStore } from './ui.js';

const ACTIVE: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

export function isActive(job: Job): boolean {
  return ACTIVE.has(job.state);
}

/**
 * Share of the whole render's time done, 0…1 (0 while queued): time so far over time so far plus time
 * left, so the bar and the time left tell the same story (the iterations of a small first stage are
 * cheap; counting them would run the bar ahead of the clock).
 */
export function jobFraction(job: Job): number {
  const progress = job.progress;
  if (job.state === 'done') return 1;
  if (!progress) return 0;
  const time = progress.elapsedMs + progress.etaMs;
  return time > 0 ? Math.min(1, progress.elapsedMs / time) : 0;
}

/** The render queue, kept live by the `queue:job` event. */
export const useQueueStore = defineStore('queue', () => {
  const ui = useUiStore();
  const library = useLibraryStore();
  const app = useAppStore();

  const jobs = ref<Job[]>([]);
  /** Paused or not, and the order the queued jobs will run in (the person can change it). */
  const status = ref<QueueStatus>({ paused: false, order: [] });

  /** Oldest first, the order they run in: jobs that started by when they were queued, then the waiting ones in queue order. */
  const ordered = computed(() => {
    const position = new Map(status.value.order.map((id, i) => [id, i]));
    const rank = (job: Job) => (job.state === 'queued' ? position.get(job.id) ?? Number.MAX_SAFE_INTEGER : -1);
    return [...jobs.value].sort((a, b) => rank(a) - rank(b) || a.queuedAt.localeCompare(b.queuedAt));
  });
  const activeJobs = computed(() => ordered.value.filter(isActive));
  const finishedCount = computed(() => jobs.value.length - activeJobs.value.length);
  /** The newest job of each pair. */
  const latestByPair = computed(() => {
    const map = new Map<string, Job>();
    for (const job of ordered.value) map.set(job.pairId, job);
    return map;
  });

  async function load(): Promise<void> {
    try {
      [jobs.value, status.value] = await Promise.all([api.queue.list({}), api.queue.status({})]);
    } catch (error) {
      ui.showError(error);
    }
  }

  /** Takes a job update; tells the person when one of theirs finishes or fails. */
  function apply(job: Job): void {
    const previous = jobs.value.find((j) => j.id === job.id);
    jobs.value = previous ? jobs.value.map((j) => (j.id === job.id ? job : j)) : [...jobs.value, job];
    if (previous?.state === job.state) return;
    const pairName = library.pairById.get(job.pairId)?.name ?? 'The render';
    if (job.state === 'done') {
      void library.refresh('renders');
      // The engine picks its backend on the first render; the top bar's badge shows it from now on.
      void app.refresh();
      if (ui.selectedPairId === job.pairId) ui.selectRender(job.renderId);
      ui.toast('success', 'Render finished', `${pairName} is ready.`);
      notifyIfHidden('Render finished', `${pairName} is ready.`);
    } else if (job.state === 'failed' && job.error) {
      ui.toast('error', errorTitle(job.error.code), job.error.message);
      notifyIfHidden('Render failed', job.error.message);
    }
  }

  function listen(): () => void {
    const stops = [subscribe('queue:job', apply), subscribe('queue:status', (next) => (status.value = next))];
    return () => stops.forEach((stop) => stop());
  }

  async function enqueue(pairId: string): Promise<Job | null> {
    askToNotify();
    try {
      const job = await api.queue.enqueue({ pairId });
      apply(job);
      return job;
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  async function cancel(id: string): Promise<void> {
    try {
      await api.queue.cancel({ id });
    } catch (error) {
      ui.showError(error);
    }
  }

  /**
   * Asks before cancelling (Esc and the queue's ×): a running render keeps its best image so far. When
   * the job ends by itself while the question is open, the question goes away: there is nothing left to cancel.
   */
  async function confirmCancel(job: Job): Promise<void> {
    const running = job.state === 'running';
    const answer = ui.confirm({
      title: running ? 'Cancel this render?' : 'Remove this render from the queue?',
      message: running ? 'The best image so far is kept as a render.' : 'It has not started; nothing is lost.',
      confirmLabel: running ? 'Cancel render' : 'Remove',
      danger: true,
    });
    const question = ui.confirmation;
    const stop = watch(
      () => jobs.value.find((j) => j.id === job.id)?.state,
      (state) => {
        if ((!state || !ACTIVE.has(state)) && ui.confirmation === question) ui.answerConfirmation(false);
      },
    );
    try {
      if (await answer) await cancel(job.id);
    } finally {
      stop();
    }
  }

  async function clearFinished(): Promise<void> {
    try {
      await api.queue.clearFinished({});
      jobs.value = jobs.value.filter((job) => isActive(job) || job.unsaved);
    } catch (error) {
      ui.showError(error);
    }
  }

  /** Renders one pair's look on each photo, as one batch; returns how many were queued. */
  async function enqueueBatch(pairId: string, contentIds: string[]): Promise<number> {
    askToNotify();
    try {
      const batch = await api.queue.enqueueBatch({ pairId, contentIds });
      batch.jobs.forEach(apply);
      void library.refresh('pairs');
      return batch.jobs.length;
    } catch (error) {
      ui.showError(error);
      return 0;
    }
  }

  async function setPaused(paused: boolean): Promise<void> {
    try {
      status.value = await api.queue.setPaused({ paused });
    } catch (error) {
      ui.showError(error);
    }
  }

  /** A render the library could not store, as a PNG file to save elsewhere; null after an error is shown. */
  async function unsavedFile(id: string): Promise<{ fileName: string; dataBase64: string } | null> {
    try {
      return await api.queue.unsavedImage({ id });
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  /** Tries the library again (after space was freed); the job's event brings the result. */
  async function retryStore(id: string): Promise<void> {
    try {
      apply(await api.queue.retryStore({ id }));
    } catch (error) {
      ui.showError(error);
    }
  }

  /** Renders an interrupted, failed or cancelled job again, as it was queued; it goes to the back of the line. */
  async function retry(id: string): Promise<void> {
    askToNotify();
    try {
      apply(await api.queue.retry({ id }));
    } catch (error) {
      ui.showError(error);
    }
  }

  async function move(id: string, direction: 'earlier' | 'later'): Promise<void> {
    try {
      status.value = await api.queue.move({ id, direction });
    } catch (error) {
      ui.showError(error);
    }
  }

  return {
    status, enqueueBatch, setPaused, move,
    jobs, ordered, activeJobs, finishedCount, latestByPair, load, apply, listen, enqueue, cancel, confirmCancel, clearFinished, unsavedFile, retryStore, retry,
  };
});
