import { config } from 'zod';

// The bridge builds the contract's schemas (for its channel list). zod probes for `new Function` when
// the first object schema is built, which the page's CSP reports as a violation even though zod catches
// it; jitless skips the probe. Imported by ./index.ts before the bridge.
config({ jitless: true });
