import type { BackendStatus, Handlers, ImageAsset } from '../../../common/contract/index.js';
import type { OnnxDeviceChoice } from '../../../common/devices.js';
import { AtelierError } from '../../../common/errors.js';
import type { StageReport } from '../../../common/progress.js';
import type { BackendChoice } from '../../../common/backends.js';
import type { PreferencesStore } from '../preferences/index.js';
import { BUILT_IN_SPEED, pixelIterations, UNKNOWN_SPEED, updatedSpeed, type Speed } from './estimate.js';
import { forkHelper, type StartHelper } from './helper-process.js';
import { BACKEND_CHOICES, checkMemory, estimateIterationBytes, planRender } from '../../engine/index.js';
import { probeBackends } from './probe.js';

export interface BackendsOptions {
  preferences: PreferencesStore;
  library: { getImage(id: string): Promise<ImageAsset> };
  /** Starts the probe processes: a forked Node by default; the desktop app passes Electron's utility process. */
  startHelper?: StartHelper;
  /** The backend renders use while the person's choice is 'auto' (the entry points take it from ATELIER_BACKEND); unset: the engine's order. */
  defaultBackend?: BackendChoice;
}

export interface RenderEngine {
  backend?: BackendChoice;
  device?: OnnxDeviceChoice;
  /** The speed the estimate assumes on the backend the render will use: the render's time left starts from it. */
  expectedMsPerPixelIteration?: number;
}

export type BackendsService = Handlers['backends'] & {
  /** The backend (and onnx device) a render queued now should ask the engine for; unset: the engine's own choice. */
  renderEngine(): Promise<RenderEngine>;
  /** Folds a finished render's measured speed into the estimates. */
  recordRender(render: { backend: string; stages: readonly StageReport[]; durationMs: number }): Promise<void>;
};

/**
 * The engine's backends as the studio sees them: which exist on this machine (each started once in a
 * probe process, on first asking), which one renders use, and what a render would cost on it. The
 * engine's runtimes (TensorFlow.js, ONNX Runtime) never load in this process: planning is the engine's
 * pure entry (engine/index.ts), imported here.
 */
export function createBackends({ preferences, library, startHelper = forkHelper, defaultBackend = 'auto' }: BackendsOptions): BackendsService {
  let probed: Promise<BackendStatus[]> | undefined;

  function statuses(): Promise<BackendStatus[]> {
    probed ??= probeBackends(startHelper, BACKEND_CHOICES.filter((name) => name !== 'auto'));
    return probed;
  }

  /** The person's choice, else the default; either may be 'auto'. */
  async function chosenBackend(): Promise<string> {
    const { backend } = await preferences.read();
    return backend === 'auto' ? defaultBackend : backend;
  }

  /** The chosen backend, or for 'auto' the first that starts: the engine's own order of preference. */
  async function effectiveBackend(): Promise<string> {
    const backend = await chosenBackend();
    if (backend !== 'auto') return backend;
    return (await statuses()).find((s) => s.available)?.name ?? 'cpu';
  }

  /** This machine's measured speed on `backend`, else the built-in figure. */
  async function speedOf(backend: string): Promise<{ speed: Speed; measured: boolean }> {
    const measured = (await preferences.read()).speed[backend];
    return { speed: measured ?? BUILT_IN_SPEED[backend] ?? UNKNOWN_SPEED, measured: !!measured };
  }

  return {
    async list() {
      const [{ backend, device }, backends] = await Promise.all([preferences.read(), statuses()]);
      return { choice: backend, device, backends };
    },

    async choose({ name }) {
      if (name !== 'auto') {
        const status = (await statuses()).find((s) => s.name === name);
        if (!status) throw new AtelierError('BAD_INPUT', `there is no engine backend called "${name}"`);
        if (!status.available) throw new AtelierError('BACKEND_UNAVAILABLE', `the ${name} backend cannot start on this machine: ${status.reason}`);
      }
      await preferences.update((current) => ({ ...current, backend: name }));
      return null;
    },

    async chooseDevice({ device }) {
      if (device !== 'auto') {
        const onnx = (await statuses()).find((s) => s.name === 'onnx');
        if (!onnx?.available) throw new AtelierError('BACKEND_UNAVAILABLE', `the ${device} device belongs to the onnx backend, which cannot start on this machine: ${onnx?.reason ?? 'it was not probed'}`);
        const status = onnx.devices?.find((d) => d.device === device);
        if (!status?.available) throw new AtelierError('BACKEND_UNAVAILABLE', `the ${device} device cannot run on this machine: ${status?.reason ?? 'it was not probed'}`);
      }
      await preferences.update((current) => ({ ...current, device }));
      return null;
    },

    async estimate({ settings, contentId, styleIds, initImageId }) {
      const sizeOf = async (id: string) => {
        const { width, height } = await library.getImage(id);
        return { width, height };
      };
      const [content, styles, initImage] = await Promise.all([
        contentId === null ? undefined : sizeOf(contentId),
        Promise.all(styleIds.map(sizeOf)),
        initImageId === undefined ? undefined : sizeOf(initImageId),
      ]);
      const backend = await effectiveBackend();
      const sources = { ...(content && { content }), styles, ...(initImage && { initImage }) };
      const { stages } = planRender(settings, sources);
      const largest = stages.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
      let tooLarge: string | null = null;
      try {
        checkMemory(largest, backend);
      } catch (error) {
        tooLarge = error instanceof Error ? error.message : String(error);
      }
      const bytes = estimateIterationBytes(largest.width, largest.height, backend);
      const { speed, measured } = await speedOf(backend);
      return { backend, seconds: (speed.startupMs + speed.msPerPixelIteration * pixelIterations(stages)) / 1000, bytes, tooLarge, measured };
    },

    async renderEngine() {
      const { device } = await preferences.read();
      const effective = await effectiveBackend();
      const expected = { expectedMsPerPixelIteration: (await speedOf(effective)).speed.msPerPixelIteration };
      // The device applies only where renders run on onnx, named or the automatic pick (named then too,
      // so that the render starts the backend the device belongs to).
      if (device !== 'auto' && effective === 'onnx') return { backend: 'onnx', device, ...expected };
      // The engine checks the name again; the preferences file holds whatever was chosen.
      const backend = await chosenBackend();
      return backend === 'auto' ? expected : { backend: backend as BackendChoice, ...expected };
    },

    async recordRender({ backend, stages, durationMs }) {
      await preferences.update((current) => {
        const speed = updatedSpeed(current.speed[backend], { stages, durationMs });
        return speed ? { ...current, speed: { ...current.speed, [backend]: speed } } : current;
      });
    },
  };
}
