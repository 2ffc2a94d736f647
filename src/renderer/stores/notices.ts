import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { Notice } from '../../common/contract/domain.js';
import { api, subscribe } from '../api/index.js';
import { useUiStore } from './ui.js';

/** What start-up recovered and other things the person must read: shown until they dismiss each one. */
export const useNoticesStore = defineStore('notices', () => {
  const ui = useUiStore();
  const notices = ref<Notice[]>([]);

  async function load(): Promise<void> {
    try {
      notices.value = await api.notices.list({});
    } catch (error) {
      ui.showError(error);
    }
  }

  function listen(): () => void {
    return subscribe('notices:changed', () => void load());
  }

  async function dismiss(id: string): Promise<void> {
    try {
      await api.notices.dismiss({ id });
      notices.value = notices.value.filter((notice) => notice.id !== id);
    } catch (error) {
      ui.showError(error);
    }
  }

  return { notices, load, listen, dismiss };
});
