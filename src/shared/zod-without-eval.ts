import { z } from 'zod'

// zod probes once for eval (`new Function('')`) to compile faster object parsers. Under the
// page's `script-src 'self'` the probe throws and zod falls back, but the browser still
// reports a securitypolicyviolation on every load. Jitless parsing never probes. Imported
// first by main.tsx: object schemas make the probe when they are built, at module load.
z.config({ jitless: true })
