import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES } from '../../common/backends.js';

/** commander option parsers: a bad value stops the CLI with a message naming the option. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return n;
}

export function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

export function integerList(value: string): number[] {
  return value.split(',').map((part) => integer(part.trim()));
}

export function numberList(value: string): number[] {
  return value.split(',').map((part) => number(part.trim()));
}

export function nameList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

/** For repeatable options: each use adds to the list. */
export function collect<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function formatLoss(value: number): string {
  return value === 0 ? '0' : value.toExponential(2);
}

/** `--backend`, as every engine command takes it: one of the choices, else ATELIER_BACKEND, else auto. */
export function backendOption(description = 'compute backend'): Option {
  return new Option('--backend <name>', description).choices(BACKEND_CHOICES).env('ATELIER_BACKEND').default('auto');
}
