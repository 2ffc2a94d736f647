export { BUILT_IN_PRESETS } from './built-in.js';
export { createPresets, type PresetsOptions, type PresetsService } from './presets.js';
