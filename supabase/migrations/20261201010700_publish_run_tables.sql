-- Realtime: the run and changeset tables join the publication (they are in the shared registry),
-- so Agent HQ, the run page and the changeset review update live. Idempotent: a table already in
-- the publication is skipped.

do $$
declare
  t text;
begin
  foreach t in array array['ai_runs', 'ai_run_events', 'changesets', 'changeset_files', 'changeset_reviews'] loop
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;
