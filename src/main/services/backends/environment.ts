import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../../../common/backends.js';

/**
 * ATELIER_BACKEND, checked: the backend the studio's renders use while the person's choice is 'auto'.
 * Read once, by the entry points (the command line takes it through its `--backend` option instead).
 */
export function backendFromEnvironment(env: Record<string, string | undefined> = process.env): BackendChoice | undefined {
  const backend = env.ATELIER_BACKEND;
  if (!backend) return undefined;
  if (!isBackendChoice(backend)) throw new Error(`ATELIER_BACKEND="${backend}" is not one of ${BACKEND_CHOICES.join(', ')}`);
  return backend;
}
