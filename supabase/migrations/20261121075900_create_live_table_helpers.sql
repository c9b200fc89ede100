-- Helpers every live table uses: one commit-independent sequence for catch-up, an updated_at
-- stamp, and the append-only guard.

create sequence if not exists public.live_seq as bigint;
comment on sequence public.live_seq is 'Shared monotonic counter: every insert and update of a live table takes the next value into its seq column.';
grant usage, select on sequence public.live_seq to authenticated, service_role;

create or replace function public.stamp_live_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.seq := nextval('public.live_seq');
  return new;
end;
$$;
comment on function public.stamp_live_row() is 'Trigger for live tables: takes a new seq on every insert and update, so clients can catch up by seq after a missed realtime event.';

create or replace function public.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.touch_updated_at() is 'Trigger helper: stamps updated_at on every update.';

create or replace function public.refuse_append_only_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- A cascade from deleting the whole project runs nested inside the foreign key's trigger.
  if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
    return old;
  end if;
  raise exception '% is append-only: % is not allowed', tg_table_name, lower(tg_op)
    using errcode = '42501', hint = 'Add a new row instead of changing or removing an existing one.';
end;
$$;
comment on function public.refuse_append_only_change() is 'Trigger for append-only tables: refuses UPDATE, DELETE and TRUNCATE for every role (deleting the whole project still cascades).';
