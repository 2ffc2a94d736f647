export { instantFiles, instantLooks, type InstantFilesOptions, type InstantLook, type InstantResult } from './instant-files.js';
export { loadFastStyle } from './networks.js';
export { contactSheet } from './contact-sheet.js';
export { type InstantServiceOptions } from './looks-service.js';
