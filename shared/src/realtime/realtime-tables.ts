/**
 * Every table a client subscribes to with postgres_changes. The publication
 * `supabase_realtime` must contain exactly these tables: a migration test fails on any
 * difference and `pnpm verify:realtime` proves an event arrives for each. Each has a `seq`
 * column (public.live_seq, renewed on every write) for catch-up after a missed event.
 */
export const REALTIME_TABLES = [
  { schema: "public", table: "projects" },
  { schema: "public", table: "project_members" },
  { schema: "public", table: "project_invites" },
  { schema: "public", table: "project_settings" },
  { schema: "public", table: "agents" },
  { schema: "public", table: "agent_status" },
  { schema: "public", table: "activities" },
  { schema: "public", table: "brain_docs" },
  { schema: "public", table: "project_chat_threads" },
  { schema: "public", table: "project_chat_messages" },
  { schema: "public", table: "chat_delivery_queue" },
  { schema: "public", table: "executor_presence" },
  { schema: "public", table: "tasks" },
  { schema: "public", table: "task_events" },
  { schema: "public", table: "action_proposals" },
  { schema: "public", table: "cron_mirror" },
  { schema: "public", table: "cron_job_runs" },
  { schema: "public", table: "cron_create_requests" },
  { schema: "public", table: "cron_job_patch_requests" },
  { schema: "public", table: "cron_delete_requests" },
  { schema: "public", table: "cron_run_requests" },
  { schema: "public", table: "provider_connections" },
  { schema: "public", table: "agent_provision_requests" },
  { schema: "public", table: "model_prices" },
  { schema: "public", table: "budgets" },
  { schema: "public", table: "ai_runs" },
  { schema: "public", table: "ai_run_events" },
  { schema: "public", table: "changesets" },
  { schema: "public", table: "changeset_files" },
  { schema: "public", table: "changeset_reviews" },
  { schema: "public", table: "skills" },
  { schema: "public", table: "skills_mirror" },
] as const;

/** One entry of the realtime registry. */
export type TRealtimeTable = (typeof REALTIME_TABLES)[number];

/** Name of the publication Supabase Realtime streams from. */
export const REALTIME_PUBLICATION = "supabase_realtime";
