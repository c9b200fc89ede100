import type { NextConfig } from "next";

const config: NextConfig = {
  transpilePackages: ["@mission-control/shared"],
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
