/**
 * Every table a client subscribes to with postgres_changes. The publication
 * `supabase_realtime` must contain exactly these tables: a migration test fails on any
 * difference and `pnpm verify:realtime` proves an event arrives for each.
 */
export const REALTIME_TABLES = [
  { schema: "public", table: "projects" },
  { schema: "public", table: "project_members" },
] as const;

/** One entry of the realtime registry. */
export type TRealtimeTable = (typeof REALTIME_TABLES)[number];

/** Name of the publication Supabase Realtime streams from. */
export const REALTIME_PUBLICATION = "supabase_realtime";
