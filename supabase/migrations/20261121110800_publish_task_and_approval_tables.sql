-- Realtime: the task, timeline, approval and schedule tables join the publication (they are in
-- the shared registry). Idempotent: a table already in the publication is skipped.

do $$
declare
  t text;
begin
  foreach t in array array['tasks', 'task_events', 'action_proposals', 'cron_mirror'] loop
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;
