-- Lets the verify command and the executor's health check read the realtime publication
-- through the API (service role only), so they work the same on hosted and local stacks.

create or replace function public.realtime_publication_status()
returns table (schema_name text, table_name text, replica_identity text, has_primary_key boolean, rls_enabled boolean)
language sql
stable
security definer
set search_path = ''
as $$
  select
    pt.schemaname::text,
    pt.tablename::text,
    case c.relreplident when 'f' then 'full' when 'd' then 'default' when 'i' then 'index' else 'nothing' end,
    exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.contype = 'p'),
    c.relrowsecurity
  from pg_catalog.pg_publication_tables pt
  join pg_catalog.pg_namespace n on n.nspname = pt.schemaname
  join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = pt.tablename
  where pt.pubname = 'supabase_realtime'
  order by 1, 2
$$;
comment on function public.realtime_publication_status() is 'Tables in the supabase_realtime publication with their replica identity, primary key and RLS flags. Service role only.';
revoke all on function public.realtime_publication_status() from public, anon, authenticated;
grant execute on function public.realtime_publication_status() to service_role;
