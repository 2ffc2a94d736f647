export { useAppStore, type AppInfo } from './app.js';
export { useEditorStore, MAX_STYLES, UNTITLED, type StyleDraft } from './editor.js';
export { describeError, errorTitle, type ErrorView } from './error-words.js';
export { useLibraryStore, type SavePairInput } from './library.js';
export { usePresetsStore } from './presets.js';
export { isActive, jobFraction, useQueueStore } from './queue.js';
export { useUiStore, type AppCommand, type Confirmation, type Dialog, type Toast, type ToastKind } from './ui.js';
export { useExportsStore, type ExportResult } from './exports.js';
export { useInstantStore, type InstantLook } from './instant.js';
