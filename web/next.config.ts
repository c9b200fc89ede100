import type { NextConfig } from "next";

// `scripts/up.sh` builds and serves from its own folder (web/.next-serve) so that `pnpm test:e2e`,
// which builds into .next, never replaces a build that is being served. next.config runs before
// the app's env.ts, so the runner's choice is read here.
// biome-ignore lint/style/noProcessEnv: set by scripts/lib/web-build.ts for `next build` / `next start`
const serveDistDir = process.env.MC_WEB_DIST_DIR;

const config: NextConfig = {
  transpilePackages: ["@mission-control/shared"],
  reactStrictMode: true,
  poweredByHeader: false,
  // `next dev` refuses its dev resources (the HMR websocket, chunks) to any host but localhost, so
  // a dashboard opened at http://127.0.0.1:<port> never hydrated. Both name this machine.
  allowedDevOrigins: ["127.0.0.1", "localhost", "[::1]"],
  ...(serveDistDir
    ? {
        distDir: serveDistDir,
        // Next adds the build folder's generated types to the tsconfig it builds with; keeping
        // them in their own file leaves tsconfig.json (and type checks of .next builds) untouched.
        typescript: { tsconfigPath: "tsconfig.serve.json" },
      }
    : {}),
};

export default config;
