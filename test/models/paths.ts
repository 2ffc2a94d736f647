import { fileURLToPath } from 'node:url';

/** The development weights sit beside the checkout (as in CI): <repo>/../shared/models. */
export const SHARED_MODELS = fileURLToPath(new URL('../../../shared/models', import.meta.url));
