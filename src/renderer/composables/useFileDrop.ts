import { ref } from 'vue';
import { dragHasFiles, dragHasLibraryImage, LIBRARY_IMAGE_MIME } from './drag-data.js';

export interface FileDropHandlers {
  /** Image files dropped from the desktop. */
  onFiles(files: File[]): void;
  /** A library image dragged from the strip inside the page. */
  onLibraryImage?(imageId: string): void;
}

/**
 * Drag-and-drop for one drop zone: highlights while something droppable is over it and hands over
 * dropped files or library images. A handled drop is marked (defaultPrevented), so the window's own
 * drop handler (restoring settings from an exported image) leaves it alone.
 */
export function useFileDrop(handlers: FileDropHandlers) {
  const over = ref(false);
  let depth = 0;

  function accepts(event: DragEvent): boolean {
    return dragHasFiles(event) || (!!handlers.onLibraryImage && dragHasLibraryImage(event));
  }

  function onDragenter(event: DragEvent): void {
    if (!accepts(event)) return;
    event.preventDefault();
    depth++;
    over.value = true;
  }

  function onDragover(event: DragEvent): void {
    if (!accepts(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  }

  function onDragleave(): void {
    depth = Math.max(0, depth - 1);
    if (depth === 0) over.value = false;
  }

  function onDrop(event: DragEvent): void {
    depth = 0;
    over.value = false;
    if (!accepts(event)) return;
    // A handled drop is marked with preventDefault, which tells the window's drop handler to leave it.
    event.preventDefault();
    const imageId = event.dataTransfer?.getData(LIBRARY_IMAGE_MIME);
    if (imageId && handlers.onLibraryImage) {
      handlers.onLibraryImage(imageId);
      return;
    }
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) handlers.onFiles(files);
  }

  return { over, listeners: { dragenter: onDragenter, dragover: onDragover, dragleave: onDragleave, drop: onDrop } };
}
