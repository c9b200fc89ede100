-- Executors announce themselves here; the dashboard and health checks read it.

create table public.executor_presence (
  id text primary key check (length(id) between 1 and 100),
  version text not null,
  control_api_url text,
  started_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  stopped_at timestamptz,
  seq bigint not null default nextval('public.live_seq')
);
comment on table public.executor_presence is 'One row per executor process: version, Control API URL, last heartbeat, and when it stopped cleanly. Written by the executor (service role) only.';
alter table public.executor_presence enable row level security;
revoke all on public.executor_presence from anon;
revoke insert, update, delete, truncate on public.executor_presence from authenticated;

create trigger executor_presence_stamp_live_row before insert or update on public.executor_presence
  for each row execute function public.stamp_live_row();

create policy "Signed-in users can see which executors are running"
  on public.executor_presence for select to authenticated
  using (true);
