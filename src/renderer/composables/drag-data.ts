/** What a drag carries: files from the desktop, or a library image dragged inside the page. */

/** Whether a drag carries files (as opposed to text or a library image dragged inside the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** The MIME type the gallery uses to drag a library image onto a drop zone inside the page. */
export const LIBRARY_IMAGE_MIME = 'application/x-atelier-image';

export function dragHasLibraryImage(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes(LIBRARY_IMAGE_MIME);
}
