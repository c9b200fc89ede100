import { runProduct } from "./lib/run-product.ts";

/**
 * `pnpm dev`: the whole product in the foreground for development, the dashboard under `next dev`
 * (hot reload). `scripts/up.sh` / `pnpm start` run the same with a production build. Arguments go
 * to the stack (e.g. `pnpm dev --reset`); see scripts/lib/run-product.ts.
 */
await runProduct({ web: "dev", argv: process.argv.slice(2) });
