import { config } from 'zod';

// zod compiles fast object parsers with `new Function` when it may. The page's CSP forbids eval, and
// zod's probe for it (run when the first object schema is built) shows up as a CSP violation in the
// console even though zod catches it. jitless skips the probe; the renderer parses little.
// Imported first by ./index.ts, before any module that builds schemas (src/common).
config({ jitless: true });
