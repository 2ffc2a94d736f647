export { createExporter, type ExportLibrary, type ExporterOptions, type ExportService } from './exporter.js';
export { safeFileName } from './file-name.js';
export { fallbackBaseName, saveFallback } from './fallback.js';
