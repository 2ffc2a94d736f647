import { watch } from 'vue';
import { useEditorStore, useLibraryStore, useUiStore } from '../stores/index.js';

/** Per window (sessionStorage outlives a reload, not the window): the pair in view. */
const VIEWED_KEY = 'atelier.viewedPair';

function lastViewedPair(): string | null {
  return sessionStorage.getItem(VIEWED_KEY);
}

function rememberViewedPair(id: string): void {
  sessionStorage.setItem(VIEWED_KEY, id);
}

/**
 * Keeps the editor on the selected pair: saves the pair being left, loads the one chosen, picks the
 * pair in view before a reload (else the most recent) at start, and moves on when the selected pair is deleted.
 */
export function usePairSelection(): void {
  const editor = useEditorStore();
  const library = useLibraryStore();
  const ui = useUiStore();

  watch(
    () => [ui.selectedPairId, library.loaded, library.pairs] as const,
    async ([id, loaded]) => {
      if (!loaded) return;
      if (id && !library.pairById.has(id)) {
        ui.selectPair(library.sortedPairs[0]?.id ?? null);
        return;
      }
      if (!id) {
        // The pair the person was looking at before a reload, else the most recent one.
        const viewed = lastViewedPair();
        const first = (viewed && library.pairById.get(viewed)) || library.sortedPairs[0];
        if (first) ui.selectPair(first.id);
        else if (editor.pairId) editor.load(null);
        return;
      }
      rememberViewedPair(id);
      if (editor.pairId === id) return;
      await editor.save();
      // The selection may have moved on while the save was in flight.
      if (ui.selectedPairId === id) editor.load(library.pairById.get(id) ?? null);
    },
    { immediate: true },
  );
}
