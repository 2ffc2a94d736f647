export { createLibrary, type Library, type LibraryChange, type LibraryOptions, type NewRender } from './library.js';
export { resolveInside } from './safe-path.js';
export { THUMBNAIL_LONG_SIDE } from './storage.js';
