import { z } from 'zod';
import { settingsInputSchema, type Preset } from '../../../common/contract/index.js';
import { AtelierError } from '../../../common/errors.js';
import { safeFileName } from '../export/index.js';

const FORMAT = 'atelier-preset';
const VERSION = 1;

/**
 * A preset file: what a person shares. Unknown settings are refused rather than dropped (the settings
 * schema is strict), because a preset that silently lost a setting would not paint what it promises.
 */
const presetFileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).default(''),
  settings: settingsInputSchema,
});
export type PresetFile = z.output<typeof presetFileSchema>;

/** The file a preset is exported as: a safe file name and pretty-printed JSON. */
export function presetFile({ name, description, settings }: Preset): { fileName: string; json: string } {
  const file: PresetFile = { format: FORMAT, version: VERSION, name, description, settings };
  return { fileName: `${safeFileName(name, 'atelier-preset')}.atelier-preset.json`, json: `${JSON.stringify(file, null, 2)}\n` };
}

/** Reads a preset file's text; throws AtelierError BAD_PRESET saying what is wrong with it. */
export function parsePresetFile(text: string): PresetFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AtelierError('BAD_PRESET', `not a preset file: ${(error as Error).message}`);
  }
  const { format, version } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (format !== FORMAT) throw new AtelierError('BAD_PRESET', `not a preset file: it lacks "format": "${FORMAT}"`);
  if (typeof version === 'number' && version > VERSION) {
    throw new AtelierError('BAD_PRESET', `this preset file was made by a newer Atelier (file version ${version}); this one reads version ${VERSION}`);
  }
  const parsed = presetFileSchema.safeParse(value);
  if (!parsed.success) throw new AtelierError('BAD_PRESET', `this preset file cannot be used: ${parsed.error.issues.flatMap(describeIssue).join('; ')}`);
  return parsed.data;
}

/** One line per problem, each naming its field as a path, e.g. `settings.styleWeight: …`. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${at ? `${at}.` : ''}${key}: not a setting Atelier knows`);
  return [`${at || 'file'}: ${issue.message}`];
}
