-- Chat: threads (Team Room, DM:<agent_key>, task threads), messages, and the delivery queue
-- that hands each message to the executor (outbox: written in the same transaction).

create table public.project_chat_threads (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  kind text not null check (kind in ('team_room', 'dm', 'task')),
  thread_key text not null check (thread_key ~ '^(team-room|DM:[a-z][a-z0-9_-]{0,31}|task:[0-9a-f-]{36})$'),
  agent_key text,
  title text not null default '' check (length(title) <= 200),
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (project_id, thread_key),
  check ((kind = 'dm') = (agent_key is not null))
);
comment on table public.project_chat_threads is 'Conversation threads: the Team Room, one DM:<agent_key> per agent (created on the first message), and task threads.';
alter table public.project_chat_threads enable row level security;
revoke all on public.project_chat_threads from anon;
revoke insert, update, delete, truncate on public.project_chat_threads from authenticated;

create trigger project_chat_threads_stamp_live_row before insert or update on public.project_chat_threads
  for each row execute function public.stamp_live_row();

create policy "Members can read their project's threads"
  on public.project_chat_threads for select to authenticated
  using ((select public.has_project_role(project_id)));

create table public.project_chat_messages (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  thread_id uuid not null references public.project_chat_threads (id) on delete cascade,
  author_type text not null check (author_type in ('user', 'agent', 'system')),
  author_user_id uuid references auth.users (id) on delete set null,
  author_agent_key text,
  target_agent_keys text[] not null default '{}',
  message_type text not null default 'text' check (message_type in ('text', 'task_proposal', 'action_proposal', 'system')),
  content text not null check (length(content) between 1 and 20000),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  status text not null default 'sent' check (status in ('sent', 'delivered', 'read', 'failed')),
  reply_to uuid references public.project_chat_messages (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  check ((author_type = 'agent') = (author_agent_key is not null))
);
comment on table public.project_chat_messages is 'Chat messages. Operators send through send_chat_message(); agents reply through the executor. status: sent -> delivered -> read, or failed. metadata carries model, token usage and the context breakdown of agent replies.';
alter table public.project_chat_messages enable row level security;
revoke all on public.project_chat_messages from anon;
revoke insert, update, delete, truncate on public.project_chat_messages from authenticated;
create index project_chat_messages_thread_seq_idx on public.project_chat_messages (thread_id, seq desc);
create index project_chat_messages_project_seq_idx on public.project_chat_messages (project_id, seq desc);

create trigger project_chat_messages_stamp_live_row before insert or update on public.project_chat_messages
  for each row execute function public.stamp_live_row();
create trigger project_chat_messages_touch_updated_at before update on public.project_chat_messages
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's messages"
  on public.project_chat_messages for select to authenticated
  using ((select public.has_project_role(project_id)));

create table public.chat_delivery_queue (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  message_id uuid not null references public.project_chat_messages (id) on delete cascade,
  agent_key text not null,
  status text not null default 'queued' check (status in ('queued', 'delivered', 'processed', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts between 1 and 50),
  available_at timestamptz not null default now(),
  picked_up_at timestamptz,
  completed_at timestamptz,
  claimed_by text,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (message_id, agent_key)
);
comment on table public.chat_delivery_queue is 'One row per (message, agent): queued -> delivered (claimed by an executor) -> processed | failed. attempts count claims; available_at delays a retry after an error. Only the executor and the retry RPC change it.';
alter table public.chat_delivery_queue enable row level security;
revoke all on public.chat_delivery_queue from anon;
revoke insert, update, delete, truncate on public.chat_delivery_queue from authenticated;
create index chat_delivery_queue_claimable_idx on public.chat_delivery_queue (available_at, created_at) where status = 'queued';
create index chat_delivery_queue_in_flight_idx on public.chat_delivery_queue (picked_up_at) where status = 'delivered';
create index chat_delivery_queue_message_idx on public.chat_delivery_queue (message_id);

create trigger chat_delivery_queue_stamp_live_row before insert or update on public.chat_delivery_queue
  for each row execute function public.stamp_live_row();
create trigger chat_delivery_queue_touch_updated_at before update on public.chat_delivery_queue
  for each row execute function public.touch_updated_at();

create or replace function public.check_delivery_transition() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status = new.status then
    return new;
  end if;
  if (old.status, new.status) in (
    ('queued', 'delivered'),   -- claimed
    ('queued', 'failed'),      -- watchdog or cancelled
    ('delivered', 'processed'),
    ('delivered', 'failed'),
    ('delivered', 'queued'),   -- released on shutdown or requeued after an error
    ('failed', 'queued')       -- retried by an operator
  ) then
    return new;
  end if;
  raise exception 'chat delivery % cannot go from % to %', old.id, old.status, new.status
    using errcode = '23514', hint = 'Deliveries move queued -> delivered -> processed | failed; a failed one can only be queued again by retry.';
end;
$$;
comment on function public.check_delivery_transition() is 'Enforces the delivery state machine for every role, service role included.';

create trigger chat_delivery_queue_check_transition before update of status on public.chat_delivery_queue
  for each row execute function public.check_delivery_transition();

create policy "Members can read their project's deliveries"
  on public.chat_delivery_queue for select to authenticated
  using ((select public.has_project_role(project_id)));
