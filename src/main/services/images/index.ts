export { encodeImage, encodePreview, type EncodeOptions } from './encode.js';
export { ImageError, writeFailed, type ImageErrorCode } from './errors.js';
export { canWrite, formatFromExtension, readableFormatNames, type ImageFormat, type WritableFormat } from './formats.js';
export { loadSharp } from './sharp.js';
export { readImage, type DecodedImage, type ReadImageOptions } from './read.js';
export { resizeImage, type ResizeTarget } from './rgb.js';
export { writeImage, type WriteImageOptions } from './write.js';
export { jsonFromXmp, jsonXmp, readXmp } from './xmp.js';
