import { runProduct } from "./lib/run-product.ts";

/**
 * `pnpm start` (what `scripts/up.sh` runs): the whole product in the foreground with the dashboard
 * served from a production build, built once and reused until its sources change. `pnpm dev` is
 * the hot-reload variant for working on the code. See scripts/lib/run-product.ts.
 */
await runProduct({ web: "production", argv: process.argv.slice(2) });
