import { ref } from 'vue';
import { defineStore } from 'pinia';

/** Facts about the running app itself, as opposed to the user's work. */
export const useAppStore = defineStore('app', () => {
  // null until loaded, and for good in a plain browser, where no desktop bridge exists to ask.
  const version = ref<string | null>(null);

  async function loadVersion(): Promise<void> {
    if (!window.atelier) return;
    version.value = await window.atelier.getVersion();
  }

  return { version, loadVersion };
});
