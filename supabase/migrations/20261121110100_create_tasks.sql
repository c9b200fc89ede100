-- Work: tasks on the kanban board (inbox -> assigned -> in_progress -> review -> done, plus blocked).

create or replace function public.is_checklist(doc jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(doc) = 'array'
    and not exists (
      select 1
      from jsonb_array_elements(doc) as e(item)
      where jsonb_typeof(e.item) <> 'object'
         or jsonb_typeof(e.item -> 'text') is distinct from 'string'
         or length(btrim(e.item ->> 'text')) = 0
         or jsonb_typeof(e.item -> 'done') is distinct from 'boolean'
         or exists (select 1 from jsonb_object_keys(e.item) as k(key) where k.key not in ('text', 'done'))
    )
$$;
comment on function public.is_checklist(jsonb) is 'True when the document is a JSON array of {"text": non-empty string, "done": boolean} items (the definition-of-done checklist of a task).';

create table public.tasks (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 300),
  description text not null default '' check (length(description) <= 50000),
  status text not null default 'inbox' check (status in ('inbox', 'assigned', 'in_progress', 'review', 'done', 'blocked')),
  assignee_agent_key text,
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  labels text[] not null default '{}' check (cardinality(labels) <= 20 and array_position(labels, null) is null),
  due_at timestamptz,
  definition_of_done jsonb not null default '[]'::jsonb check (public.is_checklist(definition_of_done) and jsonb_array_length(definition_of_done) <= 50),
  position double precision not null default extract(epoch from clock_timestamp()),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (id, project_id),
  foreign key (project_id, assignee_agent_key) references public.agents (project_id, agent_key) on delete set null (assignee_agent_key),
  constraint tasks_work_needs_an_assignee check (status not in ('assigned', 'in_progress') or assignee_agent_key is not null)
);
comment on table public.tasks is 'Kanban tasks. Cards may move between any two columns, but assigned and in_progress need an assignee agent. definition_of_done is a checklist of {text, done}; position orders cards within a column. Every status change writes a status_change task_event.';
comment on column public.tasks.seq is 'Live sequence (public.live_seq), renewed on every write.';
comment on column public.tasks.position is 'Order within a column, ascending; new cards go last. Move a card between two others by taking the midpoint.';
alter table public.tasks enable row level security;
revoke all on public.tasks from anon;
create index tasks_project_status_position_idx on public.tasks (project_id, status, position);
create index tasks_project_seq_idx on public.tasks (project_id, seq desc);

create trigger tasks_stamp_live_row before insert or update on public.tasks
  for each row execute function public.stamp_live_row();
create trigger tasks_touch_updated_at before update on public.tasks
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's tasks"
  on public.tasks for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add tasks to their project"
  on public.tasks for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])) and created_by is not distinct from (select auth.uid()));

create policy "Operators can edit and move their project's tasks"
  on public.tasks for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Owners can remove tasks from their project"
  on public.tasks for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create or replace function public.return_orphaned_tasks_to_inbox() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Only when removing the agent cleared the assignee (the foreign key's action runs nested);
  -- a person clearing the assignee of work in progress is refused by tasks_work_needs_an_assignee.
  if pg_trigger_depth() > 1 and old.assignee_agent_key is not null and new.assignee_agent_key is null
     and new.status in ('assigned', 'in_progress') then
    new.status := 'inbox';
  end if;
  return new;
end;
$$;
comment on function public.return_orphaned_tasks_to_inbox() is 'Trigger on tasks: when an agent is removed, its assigned and in-progress cards go back to the inbox instead of blocking the removal.';

create trigger tasks_return_orphans_to_inbox before update of assignee_agent_key on public.tasks
  for each row execute function public.return_orphaned_tasks_to_inbox();
