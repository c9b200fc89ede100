-- Scheduled jobs as the product sees them (a schedule_job proposal writes here). Kept small;
-- the Schedule work extends it with run history and request queues.

create table public.cron_mirror (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 120),
  schedule_kind text not null check (schedule_kind in ('every', 'cron', 'at')),
  schedule_expr text not null check (length(btrim(schedule_expr)) between 1 and 200),
  job_intent text not null default 'task' check (job_intent ~ '^[a-z][a-z0-9_]{0,31}$'),
  instructions text not null default '' check (length(instructions) <= 20000),
  target_agent_key text check (target_agent_key is null or target_agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  enabled boolean not null default true,
  last_run_at timestamptz,
  next_run_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (project_id, name)
);
comment on table public.cron_mirror is 'Scheduled jobs of a project: schedule_kind every / cron / at with its expression, job_intent (e.g. heartbeat), instructions, target agent, enabled, last and next run. Members read; operators and owners write.';
comment on column public.cron_mirror.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.cron_mirror enable row level security;
revoke all on public.cron_mirror from anon;
create index cron_mirror_project_seq_idx on public.cron_mirror (project_id, seq desc);

create trigger cron_mirror_stamp_live_row before insert or update on public.cron_mirror
  for each row execute function public.stamp_live_row();
create trigger cron_mirror_touch_updated_at before update on public.cron_mirror
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's scheduled jobs"
  on public.cron_mirror for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add scheduled jobs to their project"
  on public.cron_mirror for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can change their project's scheduled jobs"
  on public.cron_mirror for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can remove their project's scheduled jobs"
  on public.cron_mirror for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])));
