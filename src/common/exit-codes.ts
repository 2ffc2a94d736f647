import type { ErrorCode } from './errors.js';

/** The exit code for bad options or settings (as commander's own refusals), before any work started. */
export const USAGE_EXIT_CODE = 2;

/** 2 for input the person can correct on the command line; 1 for every other failure. */
export function usageExitCode(code: ErrorCode): number {
  return code === 'BAD_INPUT' || code === 'BAD_SETTINGS' ? USAGE_EXIT_CODE : 1;
}
