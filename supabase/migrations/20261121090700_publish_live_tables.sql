-- Realtime: every table of the shared registry (shared/src/realtime/realtime-tables.ts) is
-- published. Idempotent: a table already in the publication is skipped.

do $$
declare
  t text;
begin
  foreach t in array array[
    'project_settings', 'agents', 'agent_status', 'activities', 'brain_docs',
    'project_chat_threads', 'project_chat_messages', 'chat_delivery_queue', 'executor_presence'
  ] loop
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;
