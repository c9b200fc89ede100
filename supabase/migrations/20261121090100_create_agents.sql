-- Agents of a project with their profile, and their live status (written by the executor only).

create table public.agents (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  agent_key text not null check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 80),
  role text not null default '' check (length(role) <= 200),
  enabled boolean not null default true,
  provider text not null default 'builtin' check (provider in ('builtin', 'openai_compatible', 'anthropic')),
  model text not null default 'builtin-offline' check (length(model) between 1 and 200),
  system_prompt text not null default '' check (length(system_prompt) <= 20000),
  max_context_tokens integer not null default 8000 check (max_context_tokens between 512 and 2000000),
  max_output_tokens integer not null default 1024 check (max_output_tokens between 16 and 200000),
  temperature numeric(3, 2) not null default 0.2 check (temperature between 0 and 2),
  tools_enabled text[] not null default '{}',
  risk_tolerance text not null default 'low' check (risk_tolerance in ('low', 'medium', 'high')),
  verbosity text not null default 'normal' check (verbosity in ('concise', 'normal', 'detailed')),
  heartbeat jsonb not null default '{"enabled": false, "interval_minutes": 30}'::jsonb check (jsonb_typeof(heartbeat) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (project_id, agent_key)
);
comment on table public.agents is 'An AI agent of a project and its profile: provider, model, system prompt, context budget, temperature, tools, risk tolerance, verbosity, heartbeat.';
alter table public.agents enable row level security;
revoke all on public.agents from anon;
create index agents_project_id_idx on public.agents (project_id);

create trigger agents_stamp_live_row before insert or update on public.agents
  for each row execute function public.stamp_live_row();
create trigger agents_touch_updated_at before update on public.agents
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's agents"
  on public.agents for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add agents to their project"
  on public.agents for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can edit their project's agents"
  on public.agents for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Owners can remove agents from their project"
  on public.agents for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create table public.agent_status (
  agent_id uuid primary key references public.agents (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  status text not null default 'offline' check (status in ('idle', 'working', 'waiting', 'error', 'offline')),
  current_action text not null default '' check (length(current_action) <= 300),
  last_seen_at timestamptz,
  context_usage jsonb not null default '{}'::jsonb check (jsonb_typeof(context_usage) = 'object'),
  last_model text,
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq')
);
comment on table public.agent_status is 'What each agent is doing now: idle / working / waiting / error / offline, a one-line current action, last seen, and context usage with its breakdown. Written only by the executor (service role).';
alter table public.agent_status enable row level security;
revoke all on public.agent_status from anon;
revoke insert, update, delete, truncate on public.agent_status from authenticated;
create index agent_status_project_id_idx on public.agent_status (project_id);

create trigger agent_status_stamp_live_row before insert or update on public.agent_status
  for each row execute function public.stamp_live_row();
create trigger agent_status_touch_updated_at before update on public.agent_status
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's agent status"
  on public.agent_status for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.create_agent_status_row() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.agent_status (agent_id, project_id) values (new.id, new.project_id) on conflict do nothing;
  return new;
end;
$$;
comment on function public.create_agent_status_row() is 'Gives every new agent its status row (offline until the executor reports).';

create trigger agents_create_status_row after insert on public.agents
  for each row execute function public.create_agent_status_row();
