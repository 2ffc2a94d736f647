import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { api, type Api } from '../api/index.js';

export type AppInfo = Awaited<ReturnType<Api['app']['info']>>;

/** Facts about the running app itself (version, backend, installed weights), as opposed to the user's work. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);

  const version = computed(() => info.value?.version ?? null);
  const samplesAvailable = computed(() => info.value?.samplesAvailable ?? false);
  const modelsInstalled = computed(() => info.value?.modelsInstalled ?? true);

  async function load(): Promise<void> {
    info.value = await api.app.info({});
  }

  /**
   * Asks again after something that changes these facts (the first render picks the engine backend).
   * A failed refresh keeps what was known: it is a background check, not the person's action.
   */
  async function refresh(): Promise<void> {
    try {
      await load();
    } catch {
      // The next refresh or a reload tries again.
    }
  }

  return { info, version, samplesAvailable, modelsInstalled, load, refresh };
});
