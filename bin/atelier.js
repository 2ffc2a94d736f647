#!/usr/bin/env node
// The CLI is compiled by `npm run build:node` (run by `npm install` through `prepare`).
import('../dist/main/cli/atelier.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main/cli')) {
    console.error('atelier: the CLI is not built yet. Run `npm install` (or `npm run build:node`) in the checkout first.');
    process.exit(1);
  }
  throw error;
});
