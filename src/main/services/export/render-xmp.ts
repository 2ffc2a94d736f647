import { z } from 'zod';
import { settingsInputSchema } from '../../../common/contract/index.js';
import { jsonFromXmp, jsonXmp } from '../images/index.js';

/** What an exported image carries: the settings it was rendered with, the pair's name and its pictures. */
export const renderMetadataSchema = z.object({
  settings: settingsInputSchema,
  pairName: z.string().nullable().default(null),
  /** File names as imported; the styles with their blend weights (normalized by the engine). */
  content: z.string().nullable().default(null),
  styles: z.array(z.object({ name: z.string(), weight: z.number() })).default([]),
});
export type RenderMetadata = z.input<typeof renderMetadataSchema>;

/** An XMP packet carrying the metadata in one `atelier:render` element. */
export function renderXmp(metadata: RenderMetadata): string {
  return jsonXmp('render', metadata);
}

/** The JSON text of an export's `atelier:render` element, or undefined when the packet has none. */
export function renderJsonFromXmp(xmp: string): string | undefined {
  return jsonFromXmp(xmp, 'render');
}
