import { onMounted, onUnmounted } from 'vue';
import { useAppStore, useLibraryStore, useNoticesStore, usePresetsStore, useQueueStore, useUiStore } from '../stores/index.js';

/**
 * Loads the studio's data once and keeps it current from the service events (library changes, preset
 * changes, job progress) for as long as the calling component lives.
 */
export function useLiveSync(): void {
  const app = useAppStore();
  const library = useLibraryStore();
  const notices = useNoticesStore();
  const presets = usePresetsStore();
  const queue = useQueueStore();
  const ui = useUiStore();
  const stops: Array<() => void> = [];

  onMounted(() => {
    stops.push(library.listen(), presets.listen(), queue.listen(), notices.listen());
    app.load().catch((error: unknown) => ui.showError(error));
    void Promise.all([library.load(), presets.load(), queue.load(), notices.load()]);
  });

  onUnmounted(() => {
    for (const stop of stops.splice(0)) stop();
  });
}
