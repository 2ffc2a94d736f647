import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { api, subscribe, type Api, type EventPayload } from '../api/index.js';
import { useAppStore } from './app.js';
import { describeError, type ErrorView } from './error-words.js';

export type ModelsStatus = Awaited<ReturnType<Api['models']['status']>>;
export type ModelsProgress = EventPayload<'models:progress'>;

/** The Models panel's state: which networks are installed and verified, and the install in progress. */
export const useModelsStore = defineStore('models', () => {
  const status = ref<ModelsStatus | null>(null);
  const progress = ref<ModelsProgress | null>(null);
  const working = ref<'folder' | 'download' | null>(null);
  const error = ref<ErrorView | null>(null);
  let unsubscribe: (() => void) | null = null;

  const busy = computed(() => working.value !== null || (status.value?.busy ?? false));

  async function load(): Promise<void> {
    unsubscribe ??= subscribe('models:progress', (update) => (progress.value = update));
    try {
      status.value = await api.models.status({});
    } catch (caught) {
      error.value = describeError(caught);
    }
  }

  /** Runs one install; the panel shows its progress and, after, the fresh status (or why it failed). */
  async function install(kind: 'folder' | 'download', from?: string): Promise<void> {
    working.value = kind;
    progress.value = null;
    error.value = null;
    try {
      const next = kind === 'download' ? await api.models.download({}) : await api.models.installFromFolder(from ? { from } : {});
      if (next) status.value = next;
      // The top bar's "weights missing" notice reads the app's info.
      await useAppStore().refresh();
    } catch (caught) {
      error.value = describeError(caught);
      await load();
    } finally {
      working.value = null;
      progress.value = null;
    }
  }

  async function cancel(): Promise<void> {
    try {
      await api.models.cancel({});
    } catch (caught) {
      error.value = describeError(caught);
    }
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return { status, progress, working, error, busy, load, install, cancel, dispose };
});
