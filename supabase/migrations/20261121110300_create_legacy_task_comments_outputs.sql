-- Legacy task comments and outputs from the system this replaces. Read for compatibility and
-- backfilled into task_events; only the service role writes them. New writes go to task_events.

create table public.task_comments (
  id uuid primary key default extensions.gen_random_uuid(),
  task_id uuid not null references public.tasks (id) on delete cascade,
  author text not null default '',
  body text not null default '',
  created_at timestamptz not null default now()
);
comment on table public.task_comments is 'Legacy task comments (read-only for users). Copied into task_events by backfill_legacy_task_events(); new comments go to task_events.';
alter table public.task_comments enable row level security;
revoke all on public.task_comments from anon;
revoke insert, update, delete, truncate on public.task_comments from authenticated;
create index task_comments_task_idx on public.task_comments (task_id, created_at);

create policy "Members can read their project's legacy task comments"
  on public.task_comments for select to authenticated
  using (exists (select 1 from public.tasks t where t.id = task_id and (select public.has_project_role(t.project_id))));

create table public.task_outputs (
  id uuid primary key default extensions.gen_random_uuid(),
  task_id uuid not null references public.tasks (id) on delete cascade,
  author text not null default '',
  title text not null default '',
  content text not null default '',
  url text,
  created_at timestamptz not null default now()
);
comment on table public.task_outputs is 'Legacy task outputs (read-only for users). Copied into task_events as output_added by backfill_legacy_task_events(); new outputs go to task_events.';
alter table public.task_outputs enable row level security;
revoke all on public.task_outputs from anon;
revoke insert, update, delete, truncate on public.task_outputs from authenticated;
create index task_outputs_task_idx on public.task_outputs (task_id, created_at);

create policy "Members can read their project's legacy task outputs"
  on public.task_outputs for select to authenticated
  using (exists (select 1 from public.tasks t where t.id = task_id and (select public.has_project_role(t.project_id))));
