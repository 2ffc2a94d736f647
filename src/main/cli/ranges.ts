import { InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { renderSettingsSchema } from '../../common/settings.js';

type NumberSchema = z.ZodNumber;
type Bound = { value: number; inclusive: boolean };

/** The bounds and integer rule of a zod number schema, read from its checks. */
function boundsOf(schema: NumberSchema): { whole: boolean; low?: Bound; high?: Bound } {
  const result: { whole: boolean; low?: Bound; high?: Bound } = { whole: false };
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as { check: string; format?: string; value?: number; inclusive?: boolean };
    if (def.check === 'number_format' && (def.format === 'safeint' || def.format === 'int32')) result.whole = true;
    if (def.check === 'greater_than') result.low = { value: def.value!, inclusive: !!def.inclusive };
    if (def.check === 'less_than') result.high = { value: def.value!, inclusive: !!def.inclusive };
  }
  return result;
}

/** The accepted values of a number schema in words: "a whole number from 16 to 4096", "a number above 0, up to 1000". */
function rangeWords(schema: NumberSchema): string {
  const { whole, low, high } = boundsOf(schema);
  const kind = whole ? 'a whole number' : 'a number';
  if (low && high) {
    if (low.inclusive && high.inclusive) return `${kind} from ${low.value} to ${high.value}`;
    return `${kind} ${low.inclusive ? 'of at least' : 'above'} ${low.value}, ${high.inclusive ? 'up to' : 'below'} ${high.value}`;
  }
  if (low) return low.inclusive ? `${kind} of ${low.value} or more` : `${kind} above ${low.value}`;
  if (high) return high.inclusive ? `${kind} of ${high.value} or less` : `${kind} below ${high.value}`;
  return kind;
}

function parseIn(schema: NumberSchema, value: string): number | undefined {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  return schema.safeParse(n).success ? n : undefined;
}

/**
 * A commander parser for one number in `schema`'s range. A value outside it stops the CLI before any
 * work with one line naming the option, the value and the range (commander adds the first two).
 */
export function numberIn(schema: NumberSchema): (value: string) => number {
  return (value) => {
    const n = parseIn(schema, value);
    if (n === undefined) throw new InvalidArgumentError(`Expected ${rangeWords(schema)}.`);
    return n;
  };
}

/** The same for a comma-separated list, each value in `schema`'s range. */
export function listIn(schema: NumberSchema): (value: string) => number[] {
  return (value) => value.split(',').map((part) => {
    const n = parseIn(schema, part);
    if (n === undefined) throw new InvalidArgumentError(`Expected a comma-separated list, each ${rangeWords(schema)} ("${part.trim()}" is not).`);
    return n;
  });
}

/** For options that are no render setting (threads, bench sizes): whole numbers from `min` to `max`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): NumberSchema {
  return z.number().int().min(min).max(max);
}

type SettingKey = keyof typeof renderSettingsSchema.shape;

/** The number schema of a render setting (for a list, of each value), without its default; undefined for one that is no number. */
function numberSchemaOf(key: string): NumberSchema | undefined {
  if (!Object.hasOwn(renderSettingsSchema.shape, key)) return undefined;
  let schema: z.ZodType = renderSettingsSchema.shape[key as SettingKey];
  for (;;) {
    if (schema instanceof z.ZodNumber) return schema;
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodUnion) schema = schema.options[0] as z.ZodType;
    else return undefined;
  }
}

/**
 * The number schema of a numeric render setting: the CLI's range for an option is the settings' own,
 * so the two cannot drift apart.
 */
export function settingNumber(key: SettingKey): NumberSchema {
  const schema = numberSchemaOf(key);
  if (!schema) throw new Error(`the render setting "${key}" is not a number`);
  return schema;
}

/** "a whole number from 16 to 4096" for a numeric render setting (`size`); undefined for any other key. */
export function settingRangeWords(key: string): string | undefined {
  const schema = numberSchemaOf(key);
  return schema && rangeWords(schema);
}
