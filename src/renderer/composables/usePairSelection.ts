import { watch } from 'vue';
import { useEditorStore, useLibraryStore, useUiStore } from '../stores/index.js';

/**
 * Keeps the editor on the selected pair: saves the pair being left, loads the one chosen, picks the
 * most recent pair at start, and moves on when the selected pair is deleted.
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
        const first = library.sortedPairs[0];
        if (first) ui.selectPair(first.id);
        else if (editor.pairId) editor.load(null);
        return;
      }
      if (editor.pairId === id) return;
      await editor.save();
      // The selection may have moved on while the save was in flight.
      if (ui.selectedPairId === id) editor.load(library.pairById.get(id) ?? null);
    },
    { immediate: true },
  );
}
