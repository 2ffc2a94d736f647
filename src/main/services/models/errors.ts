import { AtelierError } from '../../../common/errors.js';

/** Stable codes for the UI to map to words; nothing should match on the messages. */
export type ModelsErrorCode = 'MODELS_MISSING' | 'MODELS_CORRUPT' | 'MODELS_DOWNLOAD_FAILED';

export const INSTALL_HINT =
  'Install them with `npm run models:install` (in a checkout, from ../shared/models), ' +
  'or `npx atelier models install --from <dir>` with a folder laid out like shared/models (vgg19/, fast-style/<name>/).';

/** VGG16 is not in shared/models: it comes from the Keras file, downloaded or already on disk. */
export const VGG16_INSTALL_HINT =
  'Install it with `npx atelier models install --only vgg16` (downloads the Keras weights file, 59 MB, and converts it), ' +
  'or `npx atelier models install --only vgg16 --from <dir>` with the file at <dir>/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5.';

export const REINSTALL_HINT =
  'Reinstall with `npx atelier models install --from <dir>` (or `npm run models:install` in a checkout).';

/** Weights (or a source file) are not where they should be. */
export class ModelsMissingError extends AtelierError {
  constructor(
    message: string,
    readonly missing: readonly string[],
  ) {
    super('MODELS_MISSING' satisfies ModelsErrorCode, message);
    this.name = 'ModelsMissingError';
  }
}

/** A file is there but is not the one the manifest (or the install receipt) describes. */
export class ModelsCorruptError extends AtelierError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super('MODELS_CORRUPT' satisfies ModelsErrorCode, message);
    this.name = 'ModelsCorruptError';
  }
}

export class ModelsDownloadError extends AtelierError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      'MODELS_DOWNLOAD_FAILED' satisfies ModelsErrorCode,
      `could not download ${url} (${reason}; no network?) — install from a local folder with \`atelier models install --from DIR\``,
      options,
    );
    this.name = 'ModelsDownloadError';
  }
}
