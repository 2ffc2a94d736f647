import { randomUUID } from 'node:crypto';
import type { Handlers, Job, Pair, QueueStatus, RenderRecord } from '../../../common/contract/index.js';
import { AtelierError, errorData } from '../../../common/errors.js';
import type { RenderOutcome, RgbImage, StageReport } from '../../../common/progress.js';
import { safeFileName } from '../export/index.js';
import { encodeImage, ImageError } from '../images/index.js';
import type { ModelsLocation, Network } from '../models/index.js';
import type { RenderRequest } from '../render/index.js';
import type { WorkerProgress } from './messages.js';
import { forkRenderProcess, startRenderProcess, type RenderLauncher, type RenderProcess } from './render-process.js';

/** A render as the queue hands it to the library to keep: the record without its id, and the pixels. */
export type NewRender = Omit<RenderRecord, 'id'> & { image: RgbImage };

/** What the queue needs from the library service. */
export interface QueueLibrary {
  /** Throws for an unknown pair. */
  getPair(id: string): Pair | Promise<Pair>;
  /** Path of an imported image's file as imported. */
  imageFile(id: string, variant: 'original'): string | Promise<string>;
  addRender(render: NewRender): Promise<RenderRecord>;
  /** For batches: a new pair with another pair's look on another photo. */
  savePair(input: Omit<Pair, 'id' | 'createdAt' | 'updatedAt'>): Promise<Pair>;
  getImage(id: string): { name: string } | Promise<{ name: string }>;
}

export interface QueueOptions {
  library: QueueLibrary;
  /** Told when a job is done or has failed (a desktop notification); not for cancels, the person's own act. */
  notify?: (message: { title: string; body: string }) => void;
  /** The engine backend and onnx device for a render queued now (the person's choice); unset: the engine picks. */
  engine?: () => Promise<Pick<RenderRequest, 'backend' | 'device' | 'expectedMsPerPixelIteration'>>;
  /** Told each finished (not cancelled) render's measured timing, for the estimates. */
  onRendered?: (render: { backend: string; stages: StageReport[]; durationMs: number }) => void;
  /**
   * The manifests and weights a job renders with, asked at enqueue for the network it needs (default: the
   * checkout's models folder).
   */
  models?: (network: Network) => ModelsLocation | Promise<ModelsLocation>;
  /** Starts a render process: a forked Node by default; the desktop app passes Electron's utility process. */
  launch?: RenderLauncher;
}

export type QueueService = Handlers['queue'] & {
  /** Called with the whole job after every change: state, progress, loss history, result. */
  onDidChangeJob(listener: (job: Job) => void): () => void;
  /** Called after a pause, a resume or a change of order. */
  onDidChangeStatus(listener: (status: QueueStatus) => void): () => void;
  /** Kills a running render and resolves once its process is gone; queued and running jobs end as cancelled. */
  dispose(): Promise<void>;
};

/** The chart needs the recent curve, not every point of a 10,000-iteration render. */
const LOSS_HISTORY_LIMIT = 500;

interface Entry {
  job: Job;
  /** Built at enqueue: the job renders the pair as it was queued, whatever edits follow. */
  request: RenderRequest;
  pair: Pair;
  /** A finished render the library could not store (a full disk): kept here until it is stored. */
  unsaved?: NewRender;
}

/**
 * Renders one job at a time, first in first out, each in a child process of its own (see
 * render-process.ts): the main process stays responsive, and a crashed render fails its job only.
 */
export function createQueue({ library, notify, engine, onRendered, models, launch = forkRenderProcess }: QueueOptions): QueueService {
  const entries: Entry[] = [];
  const listeners = new Set<(job: Job) => void>();
  const statusListeners = new Set<(status: QueueStatus) => void>();
  let paused = false;
  let running: { entry: Entry; render: RenderProcess } | undefined;
  let disposed = false;

  function emit(job: Job): void {
    const copy = snapshot(job);
    for (const listener of listeners) listener(copy);
  }

  function find(id: string): Entry {
    const entry = entries.find((e) => e.job.id === id);
    if (!entry) throw new AtelierError('NOT_FOUND', `no job ${id} in the queue`);
    return entry;
  }

  function status(): QueueStatus {
    return { paused, order: entries.filter((e) => e.job.state === 'queued').map((e) => e.job.id) };
  }

  function emitStatus(): QueueStatus {
    const current = status();
    for (const listener of statusListeners) listener(current);
    return current;
  }

  async function add(pair: Pair, batchId?: string): Promise<Entry> {
    const network = pair.settings.instant ? 'fast-style' : (pair.settings.network ?? 'vgg19');
    const request = { ...(await renderRequest(library, pair)), ...(models && { models: await models(network) }), ...(await engine?.()) };
    const entry: Entry = { pair, request, job: newJob(pair.id, batchId) };
    entries.push(entry);
    emit(entry.job);
    return entry;
  }

  function pump(): void {
    const next = disposed || running || paused ? undefined : entries.find((e) => e.job.state === 'queued');
    if (next) void run(next);
  }

  async function run(entry: Entry): Promise<void> {
    const { job } = entry;
    const startedAt = new Date();
    const render = startRenderProcess(
      entry.request,
      (update) => {
        job.progress = jobProgress(update);
        job.lossHistory = [...job.lossHistory, update.losses.total].slice(-LOSS_HISTORY_LIMIT);
        emit(job);
      },
      launch,
      (phase) => {
        job.phase = phase;
        emit(job);
      },
    );
    running = { entry, render };
    job.state = 'running';
    emit(job);
    // It has left the waiting line.
    emitStatus();
    let note: { title: string; body: string } | undefined;
    try {
      const outcome = await render.result;
      if (disposed) return;
      const finished = newRender(entry.pair, outcome, startedAt);
      note = await store(entry, finished);
      // Stored and not cancelled: a whole render, whose timing is worth keeping.
      if (!outcome.cancelled && !entry.unsaved) onRendered?.({ backend: outcome.backend, stages: outcome.stages, durationMs: finished.durationMs });
    } catch (error) {
      if (disposed) return;
      job.state = 'failed';
      job.error = errorData(error);
      note = { title: 'Render failed', body: `${entry.pair.name}: ${job.error.message}` };
    } finally {
      running = undefined;
    }
    emit(job);
    pump();
    // Last, so that whatever the shell does with a notification cannot hold up the queue.
    if (note) notify?.(note);
  }

  /**
   * Hands a finished render to the library. When the library cannot take it, the job fails with
   * RENDER_NOT_STORED but the pixels stay with the entry, for `unsavedImage` and `retryStore`.
   */
  async function store(entry: Entry, render: NewRender): Promise<{ title: string; body: string } | undefined> {
    const { job } = entry;
    try {
      const record = await library.addRender(render);
      delete entry.unsaved;
      job.unsaved = false;
      job.error = null;
      job.renderId = record.id;
      job.state = render.cancelled ? 'cancelled' : 'done';
      return render.cancelled ? undefined : { title: 'Render finished', body: `${entry.pair.name}: ${record.width}×${record.height} in ${duration(record.durationMs)}` };
    } catch (error) {
      entry.unsaved = render;
      job.unsaved = true;
      job.state = 'failed';
      // The library names its own internal file; the person needs only the reason.
      const why = error instanceof ImageError && error.reason ? error.reason : errorData(error).message;
      job.error = {
        code: 'RENDER_NOT_STORED',
        message: `the render finished but the library could not store it: ${why}. ` +
          'It is kept until Atelier closes: save it elsewhere with the download button in the queue, or free some space and press Retry',
      };
      return { title: 'Render not stored', body: `${entry.pair.name}: ${job.error.message}` };
    }
  }

  function unsavedEntry(id: string): Entry & { unsaved: NewRender } {
    const entry = find(id);
    if (!entry.unsaved) throw new AtelierError('NOT_FOUND', `job ${id} has no unsaved render`);
    return entry as Entry & { unsaved: NewRender };
  }

  return {
    async list() {
      return entries.map((e) => snapshot(e.job));
    },

    async enqueue({ pairId }) {
      if (disposed) throw new AtelierError('QUEUE_CLOSED', 'the render queue has shut down');
      // A copy: the library may hand out the object it keeps and change it on the next edit.
      const pair = structuredClone(await library.getPair(pairId));
      const entry = await add(pair);
      pump();
      emitStatus();
      return snapshot(entry.job);
    },

    async enqueueBatch({ pairId, contentIds }) {
      if (disposed) throw new AtelierError('QUEUE_CLOSED', 'the render queue has shut down');
      const look = structuredClone(await library.getPair(pairId));
      if (look.settings.init === 'image') {
        throw new AtelierError('BAD_INPUT', `"${look.name}" starts from a picture made from its own photo, which other photos cannot start from: set Start from to another choice first`);
      }
      const batchId = randomUUID();
      const added: Entry[] = [];
      // Named as the studio names a pair it composes: "photo × first style".
      const style = look.styles[0] && baseName((await library.getImage(look.styles[0].imageId)).name);
      // Each photo gets a pair of its own, so its renders sit beside the right "before" and can be re-rendered.
      for (const contentId of [...new Set(contentIds)]) {
        const photo = baseName((await library.getImage(contentId)).name);
        const pair = await library.savePair({
          name: (style ? `${photo} × ${style}` : photo).slice(0, 200), contentId, styles: look.styles, settings: look.settings, presetId: look.presetId,
        });
        added.push(await add(structuredClone(pair), batchId));
      }
      pump();
      emitStatus();
      return { batchId, jobs: added.map((e) => snapshot(e.job)) };
    },

    async status() {
      return status();
    },

    async setPaused({ paused: next }) {
      paused = next;
      pump();
      return emitStatus();
    },

    async move({ id, direction }) {
      const entry = find(id);
      if (entry.job.state !== 'queued') throw new AtelierError('BAD_INPUT', 'only a job that has not started can be moved');
      const queued = entries.filter((e) => e.job.state === 'queued');
      const from = queued.indexOf(entry);
      const other = queued[direction === 'earlier' ? from - 1 : from + 1];
      if (other) {
        const a = entries.indexOf(entry);
        const b = entries.indexOf(other);
        entries[a] = other;
        entries[b] = entry;
      }
      return emitStatus();
    },

    async cancel({ id }) {
      const entry = find(id);
      if (entry.job.state === 'queued') {
        entry.job.state = 'cancelled';
        emit(entry.job);
        emitStatus();
      } else if (running?.entry === entry) {
        // The job stays 'running' until the worker answers with the best image so far.
        running.render.cancel();
      }
      return null;
    },

    async unsavedImage({ id }) {
      const entry = unsavedEntry(id);
      const bytes = await encodeImage(entry.unsaved.image, { format: 'png' });
      return { fileName: `${safeFileName(`${entry.pair.name} (unsaved render)`, 'unsaved render')}.png`, dataBase64: Buffer.from(bytes).toString('base64') };
    },

    async retryStore({ id }) {
      const entry = unsavedEntry(id);
      await store(entry, entry.unsaved);
      emit(entry.job);
      if (entry.unsaved) throw new AtelierError('RENDER_NOT_STORED', entry.job.error!.message);
      return snapshot(entry.job);
    },

    async clearFinished() {
      // A render the library could not store is not finished with: clearing must not drop its pixels.
      const unfinished = entries.filter((e) => e.job.state === 'queued' || e.job.state === 'running' || e.unsaved);
      entries.splice(0, entries.length, ...unfinished);
      return null;
    },

    onDidChangeJob(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    onDidChangeStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },

    async dispose() {
      disposed = true;
      for (const { job } of entries) if (job.state === 'queued' || job.state === 'running') job.state = 'cancelled';
      listeners.clear();
      statusListeners.clear();
      if (!running) return;
      running.render.kill();
      // Settles on the process's exit, so a quitting app leaves no render behind.
      await running.render.result.catch(() => undefined);
    },
  };
}

function newJob(pairId: string, batchId?: string): Job {
  return {
    id: randomUUID(), pairId, state: 'queued', queuedAt: new Date().toISOString(),
    progress: null, lossHistory: [], renderId: null, error: null, unsaved: false, ...(batchId && { batchId }),
  };
}

/** "IMG_0042" for "IMG_0042.jpg". */
function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '') || fileName;
}

/** The pair's images by file, with their blend weights; the engine itself refuses what cannot render. */
async function renderRequest(library: QueueLibrary, pair: Pair): Promise<RenderRequest> {
  const [content, initImage, ...styles] = await Promise.all([
    pair.contentId === null ? undefined : library.imageFile(pair.contentId, 'original'),
    // Only when asked for: a pair may keep its starting picture while it starts from the photo for a while.
    pair.settings.init === 'image' && pair.initImageId ? library.imageFile(pair.initImageId, 'original') : undefined,
    ...pair.styles.map((s) => library.imageFile(s.imageId, 'original')),
  ]);
  return {
    ...(content !== undefined && { content }),
    ...(initImage !== undefined && { initImage }),
    styles: pair.styles.map((s, i) => ({ path: styles[i]!, weight: s.weight })),
    settings: pair.settings,
  };
}

function jobProgress(update: WorkerProgress): NonNullable<Job['progress']> {
  const { stage, stages, stageSize, done, total, losses, elapsedMs, etaMs, previewJpegBase64 } = update;
  return { stage, stages, stageSize, done, total, losses, elapsedMs, etaMs, ...(previewJpegBase64 && { previewJpegBase64 }) };
}

function newRender(pair: Pair, outcome: RenderOutcome, startedAt: Date): NewRender {
  const finishedAt = new Date();
  return {
    pairId: pair.id, settings: pair.settings, contentId: pair.contentId, styles: pair.styles,
    ...(pair.settings.init === 'image' && pair.initImageId && { initImageId: pair.initImageId }),
    startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime(),
    backend: outcome.backend, ...(outcome.device && { device: outcome.device }), cancelled: outcome.cancelled, losses: outcome.losses,
    width: outcome.image.width, height: outcome.image.height, image: outcome.image,
  };
}

/** A copy a listener may keep: later changes to the job do not reach it. */
function snapshot(job: Job): Job {
  return { ...job, lossHistory: [...job.lossHistory], progress: job.progress && { ...job.progress } };
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
