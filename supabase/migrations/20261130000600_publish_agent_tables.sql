-- Realtime: the tables the dashboard's agent, provider and usage views subscribe to join the
-- publication (they are in the shared registry). provider_connection_secrets, provider_calls and
-- budget_alerts stay out: secrets never leave the database, calls are read as aggregates.
-- Idempotent: a table already in the publication is skipped.

do $$
declare
  t text;
begin
  foreach t in array array['provider_connections', 'agent_provision_requests', 'model_prices', 'budgets'] loop
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;
