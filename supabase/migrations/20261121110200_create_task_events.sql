-- The one canonical task timeline: comments, status changes, outputs, agent updates and approval
-- cards, append-only for every role. Status changes of tasks are written here by a trigger.

create table public.task_events (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null,
  task_id uuid not null,
  kind text not null check (kind in ('comment', 'status_change', 'output_added', 'agent_update', 'approval_request', 'approval_resolved')),
  author_type text not null check (author_type in ('user', 'agent', 'system')),
  -- No foreign key: the timeline keeps the author's id after the account is deleted (an audit record).
  author_user_id uuid,
  author_agent_key text check (author_agent_key is null or author_agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  content text not null default '' check (length(content) <= 100000),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  proposal_id uuid,
  legacy_source text check (legacy_source in ('task_comments', 'task_outputs')),
  legacy_id uuid,
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (task_id, project_id) references public.tasks (id, project_id) on delete cascade,
  foreign key (project_id) references public.projects (id) on delete cascade,
  unique (legacy_source, legacy_id),
  check ((legacy_source is null) = (legacy_id is null)),
  check ((author_type = 'agent') = (author_agent_key is not null)),
  check (author_type <> 'user' or author_user_id is not null or legacy_source is not null),
  check (kind not in ('approval_request', 'approval_resolved') or proposal_id is not null)
);
comment on table public.task_events is 'The canonical task timeline (append-only for every role): comment, status_change (metadata from/to), output_added, agent_update, approval_request and approval_resolved (linked to the proposal by proposal_id). Operators add comments and outputs as themselves; the executor writes the rest. legacy_source/legacy_id mark rows backfilled from task_comments / task_outputs.';
comment on column public.task_events.seq is 'Live sequence (public.live_seq), taken on insert.';
alter table public.task_events enable row level security;
revoke all on public.task_events from anon;
revoke update, delete, truncate on public.task_events from authenticated;
create index task_events_task_created_idx on public.task_events (task_id, created_at, seq);
create index task_events_project_seq_idx on public.task_events (project_id, seq desc);
create index task_events_proposal_idx on public.task_events (proposal_id) where proposal_id is not null;

create trigger task_events_stamp_live_row before insert on public.task_events
  for each row execute function public.stamp_live_row();
create trigger task_events_refuse_update_delete before update or delete on public.task_events
  for each row execute function public.refuse_append_only_change();
create trigger task_events_refuse_truncate before truncate on public.task_events
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's task timelines"
  on public.task_events for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can comment and add outputs as themselves"
  on public.task_events for insert to authenticated
  with check (
    (select public.has_project_role(project_id, array['owner', 'operator']))
    and kind in ('comment', 'output_added')
    and author_type = 'user'
    and author_user_id = (select auth.uid())
    and author_agent_key is null
    and proposal_id is null
    and legacy_source is null
  );

create or replace function public.record_task_status_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_agent text := public.request_agent_key();
begin
  insert into public.task_events (project_id, task_id, kind, author_type, author_user_id, author_agent_key, content, metadata)
  values (
    new.project_id, new.id, 'status_change',
    case when v_user is not null then 'user' when v_agent is not null then 'agent' else 'system' end,
    v_user,
    case when v_user is null then v_agent end,
    'Moved from ' || old.status || ' to ' || new.status,
    jsonb_build_object('from', old.status, 'to', new.status)
  );
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (
    new.project_id,
    case when v_user is not null then 'user' when v_agent is not null then 'agent' else 'system' end,
    coalesce(v_user::text, v_agent, 'system'),
    'task.status_changed',
    left('"' || new.title || '" moved from ' || old.status || ' to ' || new.status, 1000),
    jsonb_build_object('task_id', new.id, 'from', old.status, 'to', new.status)
  );
  return null;
end;
$$;
comment on function public.record_task_status_change() is 'Trigger on tasks: writes a status_change task_event (metadata from/to) and a task.status_changed activity on every status change, authored by the signed-in user, else the agent the executor acts for (request_agent_key()), else the system.';
revoke all on function public.record_task_status_change() from public, anon, authenticated;

create trigger tasks_record_status_change after update on public.tasks
  for each row when (old.status is distinct from new.status)
  execute function public.record_task_status_change();
