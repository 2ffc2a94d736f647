import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { jobSchema, pairSchema, type Handlers, type Job, type NewNotice, type Pair, type QueueStatus, type RenderRecord } from '../../../common/contract/index.js';
import { AtelierError, errorData } from '../../../common/errors.js';
import type { RenderOutcome, RgbImage, StageReport } from '../../../common/progress.js';
import { safeFileName } from '../export/index.js';
import { encodeImage, ImageError } from '../images/index.js';
import type { ModelsLocation, Network } from '../models/index.js';
import type { RenderRequest } from '../render/index.js';
import { JsonStore, type StoreRecovery } from '../store/index.js';
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
  /**
   * Where the queue keeps its jobs so they survive a crash (`<dataDir>/queue.json`); without it they live
   * in memory only. `restore` reads it back.
   */
  stateFile?: string;
  /** Told when the state file was found missing or damaged and what was restored. */
  onRecovered?: (recovery: StoreRecovery) => void;
  /** Told, after `restore`, which renders an unclean stop interrupted and which wait again. */
  onNotice?: (notice: NewNotice) => void;
}

export type QueueService = Handlers['queue'] & {
  /** Called with the whole job after every change: state, progress, loss history, result. */
  onDidChangeJob(listener: (job: Job) => void): () => void;
  /** Called after a pause, a resume or a change of order. */
  onDidChangeStatus(listener: (status: QueueStatus) => void): () => void;
  /**
   * Reads back the jobs kept in `stateFile`: a job that was running is marked interrupted (Retry renders
   * it again), a waiting one waits again. Call once, before the queue takes calls.
   */
  restore(): Promise<void>;
  /**
   * Kills a running render and resolves once its process is gone; queued and running jobs end as cancelled
   * here, but stay as they were in `stateFile`, so the next start shows the render interrupted and the rest waiting.
   */
  dispose(): Promise<void>;
};

/** A job as kept on disk: without its progress, with the pair as it was queued (what a retry renders). */
const keptJobSchema = z.object({ job: jobSchema, pair: pairSchema });
const queueDocumentSchema = z.object({ version: z.literal(1), jobs: z.array(keptJobSchema) });

/** The chart needs the recent curve, not every point of a 10,000-iteration render. */
const LOSS_HISTORY_LIMIT = 500;

interface Entry {
  job: Job;
  /** Built when queued: the job renders the pair as it was queued, whatever edits follow. */
  request?: RenderRequest;
  pair: Pair;
  /** A finished render the library could not store (a full disk): kept here until it is stored. */
  unsaved?: NewRender;
}

/**
 * Renders one job at a time, first in first out, each in a child process of its own (see
 * render-process.ts): the main process stays responsive, and a crashed render fails its job only.
 */
export function createQueue(options: QueueOptions): QueueService {
  const { library, notify, engine, onRendered, models, launch = forkRenderProcess, stateFile, onRecovered, onNotice } = options;
  const entries: Entry[] = [];
  const kept = stateFile === undefined ? undefined : new JsonStore(stateFile, queueDocumentSchema, () => ({ version: 1 as const, jobs: [] }), {
    ...(onRecovered && { onRecovered }),
  });
  /** The state each job was last kept in: progress events change nothing worth a write. */
  const keptStates = new Map<string, Job['state']>();
  let saving: Promise<void> | undefined;
  let saveAgain = false;
  const listeners = new Set<(job: Job) => void>();
  const statusListeners = new Set<(status: QueueStatus) => void>();
  let paused = false;
  let running: { entry: Entry; render: RenderProcess } | undefined;
  let disposed = false;

  function emit(job: Job): void {
    const copy = snapshot(job);
    if (keptStates.get(job.id) !== job.state) save();
    for (const listener of listeners) listener(copy);
  }

  /** Writes every job to `stateFile`, one write at a time: changes during a write are written right after it. */
  function save(): void {
    if (!kept || disposed) return;
    if (saving) {
      saveAgain = true;
      return;
    }
    saving = (async () => {
      do {
        saveAgain = false;
        const jobs = entries.map(({ job, pair }) => ({ job: { ...job, progress: null, lossHistory: [], unsaved: false }, pair }));
        await kept.update(() => ({ next: { version: 1 as const, jobs }, result: null }));
        for (const { job } of jobs) keptStates.set(job.id, job.state);
      } while (saveAgain && !disposed);
    })()
      // The jobs still run; only their survival of a crash is lost until the next write succeeds.
      .catch((error: unknown) => console.error('atelier: could not keep the render queue on disk:', error))
      .finally(() => (saving = undefined));
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

  async function requestFor(pair: Pair): Promise<RenderRequest> {
    const network = pair.settings.instant ? 'fast-style' : (pair.settings.network ?? 'vgg19');
    return { ...(await renderRequest(library, pair)), ...(models && { models: await models(network) }), ...(await engine?.()) };
  }

  async function add(pair: Pair, batchId?: string): Promise<Entry> {
    const entry: Entry = { pair, request: await requestFor(pair), job: newJob(pair.id, batchId) };
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
      entry.request!,
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
        save();
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
      save();
      return null;
    },

    async retry({ id }) {
      const entry = find(id);
      const { job } = entry;
      if (!RETRYABLE.has(job.state)) throw new AtelierError('BAD_INPUT', 'only a render that stopped (interrupted, failed or cancelled) can be rendered again');
      if (entry.unsaved) throw new AtelierError('BAD_INPUT', 'this render finished and waits to be stored: free some space and store it instead');
      entry.request = await requestFor(entry.pair);
      entry.job = { ...newJob(entry.pair.id, job.batchId), id: job.id };
      // To the back of the line, as a new job would go.
      entries.splice(entries.indexOf(entry), 1);
      entries.push(entry);
      emit(entry.job);
      pump();
      emitStatus();
      return snapshot(entry.job);
    },

    async restore() {
      if (!kept) return;
      const interrupted: string[] = [];
      const waiting: string[] = [];
      for (const { job, pair } of (await kept.read()).jobs) {
        const entry: Entry = { job, pair };
        if (job.state === 'running') {
          job.state = 'interrupted';
          job.error = { code: 'RENDER_INTERRUPTED', message: 'Atelier stopped before this render finished; press Retry to render it again' };
          interrupted.push(pair.name);
        } else if (job.state === 'queued') {
          try {
            entry.request = await requestFor(pair);
            waiting.push(pair.name);
          } catch (error) {
            job.state = 'failed';
            job.error = errorData(error);
          }
        }
        entries.push(entry);
      }
      if (interrupted.length > 0 || waiting.length > 0) {
        save();
        onNotice?.(interruptionNotice(interrupted, waiting));
      }
      pump();
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
      await saving;
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

/** The states a job can be rendered again from. */
const RETRYABLE: ReadonlySet<Job['state']> = new Set(['interrupted', 'failed', 'cancelled']);

/** What the person is told after an unclean stop: the renders it cut short and the ones that wait again. */
function interruptionNotice(interrupted: string[], waiting: string[]): NewNotice {
  const cut = interrupted.length === 0 ? '' : `Atelier stopped before ${interrupted.length === 1 ? 'a render' : `${interrupted.length} renders`} finished: ` +
    `${interrupted.length === 1 ? 'it is' : 'they are'} marked Interrupted in the queue; press Retry to render ${interrupted.length === 1 ? 'it' : 'them'} again. `;
  const wait = waiting.length === 0 ? '' : waiting.length === 1 ? 'The render that was waiting is queued again.' : `The ${waiting.length} renders that were waiting are queued again.`;
  return {
    title: interrupted.length > 0 ? 'Renders interrupted' : 'Renders queued again',
    message: `${cut}${wait}`.trim(),
    details: [...interrupted.map((name) => `Interrupted: ${name}`), ...waiting.map((name) => `Waiting again: ${name}`)],
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
