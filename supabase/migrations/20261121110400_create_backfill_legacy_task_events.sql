-- Copies legacy task_comments / task_outputs into task_events, idempotently (a second run adds
-- nothing), and runs it once now.

create or replace function public.backfill_legacy_task_events() returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_comments integer;
  v_outputs integer;
begin
  -- A legacy author that names one of the project's agents becomes that agent; anything else
  -- is kept in metadata.legacy_author under a system author.
  insert into public.task_events (project_id, task_id, kind, author_type, author_agent_key, content, metadata, legacy_source, legacy_id, created_at)
  select t.project_id, c.task_id, 'comment',
         case when a.agent_key is not null then 'agent' else 'system' end,
         a.agent_key,
         c.body,
         jsonb_build_object('legacy_author', c.author),
         'task_comments', c.id, c.created_at
  from public.task_comments c
  join public.tasks t on t.id = c.task_id
  left join public.agents a on a.project_id = t.project_id and a.agent_key = c.author
  order by c.created_at
  on conflict (legacy_source, legacy_id) do nothing;
  get diagnostics v_comments = row_count;

  insert into public.task_events (project_id, task_id, kind, author_type, author_agent_key, content, metadata, legacy_source, legacy_id, created_at)
  select t.project_id, o.task_id, 'output_added',
         case when a.agent_key is not null then 'agent' else 'system' end,
         a.agent_key,
         o.content,
         jsonb_strip_nulls(jsonb_build_object('legacy_author', o.author, 'title', o.title, 'url', o.url)),
         'task_outputs', o.id, o.created_at
  from public.task_outputs o
  join public.tasks t on t.id = o.task_id
  left join public.agents a on a.project_id = t.project_id and a.agent_key = o.author
  order by o.created_at
  on conflict (legacy_source, legacy_id) do nothing;
  get diagnostics v_outputs = row_count;

  return v_comments + v_outputs;
end;
$$;
comment on function public.backfill_legacy_task_events() is 'Copies legacy task_comments (as comment) and task_outputs (as output_added) into task_events, keeping their created_at; returns how many rows it added. Idempotent by (legacy_source, legacy_id): a second call adds 0. Service role only.';
revoke all on function public.backfill_legacy_task_events() from public, anon, authenticated;
grant execute on function public.backfill_legacy_task_events() to service_role;

select public.backfill_legacy_task_events();
