import { ref, type Ref } from 'vue';
import { defineStore } from 'pinia';
import type { BackendStatus, RenderEstimate } from '../../common/contract/domain.js';
import type { OnnxDeviceChoice } from '../../common/devices.js';
import type { RenderSettingsInput } from '../../common/settings.js';
import { api } from '../api/index.js';
import { useAppStore } from './app.js';
import { useUiStore } from './ui.js';

/** The engine's backends on this machine, the one renders use, and what the next render would cost. */
export const useEngineStore = defineStore('engine', () => {
  const ui = useUiStore();
  const app = useAppStore();

  /**
   * Null until the services have tried each backend: that starts TensorFlow.js in a process or two, a
   * few seconds of CPU, so it happens when first needed (the first estimate, or a look at the picker),
   * not while the studio opens.
   */
  const backends = ref<BackendStatus[] | null>(null);
  const loading = ref(false);
  const choice = ref('auto');
  /** onnx's execution provider, used where renders run on onnx. */
  const device = ref<OnnxDeviceChoice>('auto');
  const estimate = ref<RenderEstimate | null>(null);
  let asked = 0;

  async function load(): Promise<void> {
    if (backends.value || loading.value) return;
    loading.value = true;
    try {
      const listed = await api.backends.list({});
      backends.value = listed.backends;
      choice.value = listed.choice;
      device.value = listed.device;
    } catch (error) {
      ui.showError(error);
    } finally {
      loading.value = false;
    }
  }

  /** Shows the new choice at once and keeps it; a refusal puts the old one back and says why. */
  async function keep<T>(chosen: Ref<T>, next: T, save: () => Promise<unknown>): Promise<void> {
    const before = chosen.value;
    chosen.value = next;
    try {
      await save();
      void app.refresh();
    } catch (error) {
      chosen.value = before;
      ui.showError(error);
    }
  }

  const choose = (name: string) => keep(choice, name, () => api.backends.choose({ name }));
  const chooseDevice = (next: OnnxDeviceChoice) => keep(device, next, () => api.backends.chooseDevice({ device: next }));

  /** Asks for the estimate of these inputs; an answer to an older question is dropped. */
  async function refreshEstimate(input: { settings: RenderSettingsInput; contentId: string | null; styleIds: string[]; initImageId?: string } | null): Promise<void> {
    const ticket = ++asked;
    if (!input) {
      estimate.value = null;
      return;
    }
    try {
      const answer = await api.backends.estimate(input);
      if (ticket === asked) estimate.value = answer;
      // The services have probed the backends for this answer: the list costs nothing more now.
      void load();
    } catch {
      // An estimate is a hint: without one the Render button still works and says what is wrong.
      if (ticket === asked) estimate.value = null;
    }
  }

  return { backends, loading, choice, device, estimate, load, choose, chooseDevice, refreshEstimate };
});
