export { BUILT_IN_PRESETS, builtInPresets } from './built-in.js';
export { createPresets, type PresetsOptions, type PresetsService } from './presets.js';
