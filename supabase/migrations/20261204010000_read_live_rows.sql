-- One round trip for the dashboard's catch-up (issue 12): a page opening used to send some
-- thirty-five reads at once, and a browser sends six at a time to one host, so the reads the page
-- needed waited behind the others. read_live_rows runs a list of simple reads (equality filters,
-- an `in` list, newest first, a limit) of the tables in the realtime publication, as the caller:
-- security invoker, so RLS decides every row exactly as it does for the same reads through REST.

create or replace function public.read_live_rows(p_reads jsonb)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_read jsonb;
  v_table text;
  v_where text;
  v_order text;
  v_limit text;
  v_key text;
  v_value text;
  v_rows jsonb;
  v_out jsonb := '[]'::jsonb;
begin
  if p_reads is null or jsonb_typeof(p_reads) <> 'array' then
    raise exception 'read_live_rows takes a JSON array of reads' using errcode = '22023';
  end if;
  if jsonb_array_length(p_reads) > 100 then
    raise exception 'read_live_rows takes at most 100 reads at once; split the list' using errcode = '22023';
  end if;
  for v_read in select value from jsonb_array_elements(p_reads) loop
    v_table := v_read ->> 'table';
    if v_table is null or not exists (
      select 1 from pg_catalog.pg_publication_tables t
      where t.pubname = 'supabase_realtime' and t.schemaname = 'public' and t.tablename = v_table
    ) then
      raise exception 'read_live_rows reads only the live tables (those in the realtime publication), not "%"', coalesce(v_table, '')
        using errcode = '22023';
    end if;
    v_where := 'true';
    if v_read ? 'eq' then
      if coalesce(jsonb_typeof(v_read -> 'eq'), '') <> 'object' then
        raise exception '"eq" of a read must be an object of column: value' using errcode = '22023';
      end if;
      for v_key, v_value in select key, value from jsonb_each_text(v_read -> 'eq') loop
        v_where := v_where || format(' and %I = %L', v_key, v_value);
      end loop;
    end if;
    if v_read ? 'in' then
      if coalesce(jsonb_typeof(v_read -> 'in' -> 'values'), '') <> 'array' or coalesce(v_read -> 'in' ->> 'column', '') = '' then
        raise exception '"in" of a read must be {"column": name, "values": [...]}' using errcode = '22023';
      end if;
      v_where := v_where || format(
        ' and %I = any (%L)',
        v_read -> 'in' ->> 'column',
        (select coalesce(array_agg(e), '{}') from jsonb_array_elements_text(v_read -> 'in' -> 'values') as e)
      );
    end if;
    v_order := case
      when v_read ->> 'newestFirstBy' is null then ''
      when v_read ->> 'newestFirstBy' = 'seq' then ' order by seq desc'
      when v_read ->> 'newestFirstBy' = 'created_at' then ' order by created_at desc'
    end;
    if v_order is null then
      raise exception '"newestFirstBy" of a read is seq or created_at' using errcode = '22023';
    end if;
    if v_read ? 'seqBelow' then
      v_where := v_where || format(' and seq < %s', (v_read ->> 'seqBelow')::bigint);
    end if;
    v_limit := '';
    if v_read ? 'limit' then
      if (v_read ->> 'limit')::integer not between 1 and 10000 then
        raise exception '"limit" of a read is between 1 and 10000' using errcode = '22023';
      end if;
      v_limit := format(' limit %s', (v_read ->> 'limit')::integer);
    end if;
    execute format(
      'select coalesce(jsonb_agg(to_jsonb(r)), ''[]''::jsonb) from (select * from public.%I where %s%s%s) r',
      v_table, v_where, v_order, v_limit
    ) into v_rows;
    v_out := v_out || jsonb_build_array(v_rows);
  end loop;
  return v_out;
end;
$$;
comment on function public.read_live_rows(jsonb) is 'The dashboard''s batched reads: p_reads is an array (at most 100) of {table, eq?: {column: value}, in?: {column, values}, newestFirstBy?: seq | created_at, seqBelow?, limit? (1..10000)} over the tables of the supabase_realtime publication; answers an array of row arrays in the same order. Security invoker: RLS decides every row, as for the same reads through REST. Bad input is 22023 (400).';
revoke all on function public.read_live_rows(jsonb) from public, anon;
grant execute on function public.read_live_rows(jsonb) to authenticated, service_role;
