import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../../common/backends.js';

export function nameList(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

/** `--backends a,b`: each one of the engine's backend choices, checked before anything starts. */
export function backendList(value: string): BackendChoice[] {
  const names = nameList(value);
  const unknown = names.find((name) => !isBackendChoice(name));
  if (names.length === 0 || unknown !== undefined) {
    throw new InvalidArgumentError(`Expected a comma-separated list of ${BACKEND_CHOICES.join(', ')}${unknown === undefined ? '' : ` ("${unknown}" is not one)`}.`);
  }
  return names as BackendChoice[];
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
