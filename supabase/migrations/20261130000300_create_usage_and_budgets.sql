-- Usage, cost and budgets. Every provider call is a provider_calls row: reserved (pending) before
-- the call when a budget applies, final (ok / error) after it, or budget_exceeded when a hard
-- budget refused it. Budgets are checked and the reservation recorded in one transaction that locks
-- the budgets involved, so two executors cannot both spend the last of a budget.

create table public.model_prices (
  project_id uuid not null references public.projects (id) on delete cascade,
  model text not null check (length(btrim(model)) between 1 and 200),
  input_usd_per_mtok numeric(12, 4) not null check (input_usd_per_mtok >= 0),
  output_usd_per_mtok numeric(12, 4) not null check (output_usd_per_mtok >= 0),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  primary key (project_id, model)
);
comment on table public.model_prices is 'What a model costs in a project, in US dollars per million input and output tokens (the exact model name the provider reports). Operators edit it; a model without a price counts tokens only (cost null).';
comment on column public.model_prices.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.model_prices enable row level security;
revoke all on public.model_prices from anon;
create index model_prices_project_seq_idx on public.model_prices (project_id, seq desc);

create trigger model_prices_stamp_live_row before insert or update on public.model_prices
  for each row execute function public.stamp_live_row();
create trigger model_prices_touch_updated_at before update on public.model_prices
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's model prices"
  on public.model_prices for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add model prices to their project"
  on public.model_prices for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can change their project's model prices"
  on public.model_prices for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Owners can remove model prices from their project"
  on public.model_prices for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create table public.budgets (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  agent_id uuid,
  period text not null check (period in ('day', 'month')),
  unit text not null check (unit in ('tokens', 'usd')),
  hard_limit numeric(18, 6) not null check (hard_limit > 0),
  soft_ratio numeric(4, 3) check (soft_ratio > 0 and soft_ratio <= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (agent_id, project_id) references public.agents (id, project_id) on delete cascade,
  constraint budgets_one_per_scope unique nulls not distinct (project_id, agent_id, period, unit)
);
comment on table public.budgets is 'A spending cap per UTC day or month, in tokens (input + output) or US dollars, for the whole project (agent_id null) or one agent. A call that would pass hard_limit is not made (reserve_provider_call); crossing soft_ratio × hard_limit posts one warning activity per period.';
comment on column public.budgets.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.budgets enable row level security;
revoke all on public.budgets from anon;
create index budgets_project_seq_idx on public.budgets (project_id, seq desc);
create index budgets_agent_id_idx on public.budgets (agent_id) where agent_id is not null;

create trigger budgets_stamp_live_row before insert or update on public.budgets
  for each row execute function public.stamp_live_row();
create trigger budgets_touch_updated_at before update on public.budgets
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's budgets"
  on public.budgets for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add budgets to their project"
  on public.budgets for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can change their project's budgets"
  on public.budgets for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Owners can remove budgets from their project"
  on public.budgets for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create table public.provider_calls (
  id uuid primary key,
  project_id uuid not null references public.projects (id) on delete cascade,
  agent_id uuid references public.agents (id) on delete set null,
  agent_key text check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  delivery_id uuid references public.chat_delivery_queue (id) on delete set null,
  provider text not null check (provider in ('builtin', 'openai_compatible', 'anthropic', 'connection')),
  connection_id uuid references public.provider_connections (id) on delete set null,
  model text not null check (length(model) between 1 and 200),
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  estimated boolean not null default false,
  latency_ms integer check (latency_ms >= 0),
  cost_usd numeric(14, 6) check (cost_usd >= 0),
  reserved_tokens integer not null default 0 check (reserved_tokens >= 0),
  reserved_usd numeric(14, 6) check (reserved_usd >= 0),
  outcome text not null check (outcome in ('pending', 'ok', 'error', 'budget_exceeded')),
  error text check (length(error) <= 2000),
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  seq bigint not null default nextval('public.live_seq'),
  constraint provider_calls_final_is_stamped check (outcome = 'pending' or finished_at is not null)
);
comment on table public.provider_calls is 'Every provider call an agent made (or was refused): project, agent, delivery, effective provider and model, input / output tokens (estimated when the provider did not report them), latency, cost_usd from model_prices (null: price unknown), outcome, and the effective settings with their sources. pending rows are reservations that count toward budgets until the call finishes. Append-only apart from pending -> ok | error; written by the executor only; not published (the dashboard reads aggregates: usage_by_day, budget_status).';
comment on column public.provider_calls.reserved_tokens is 'What the call may use at most (counted input + max output tokens), reserved against budgets while it is pending.';
comment on column public.provider_calls.reserved_usd is 'reserved_tokens priced at the higher of the model''s input and output price; null when the model has no price.';
alter table public.provider_calls enable row level security;
revoke all on public.provider_calls from anon;
revoke insert, update, delete, truncate on public.provider_calls from authenticated;
create index provider_calls_project_created_idx on public.provider_calls (project_id, created_at);
create index provider_calls_agent_created_idx on public.provider_calls (agent_id, created_at) where agent_id is not null;
create index provider_calls_delivery_id_idx on public.provider_calls (delivery_id) where delivery_id is not null;
create index provider_calls_connection_id_idx on public.provider_calls (connection_id) where connection_id is not null;

create trigger provider_calls_stamp_live_row before insert or update on public.provider_calls
  for each row execute function public.stamp_live_row();

create policy "Members can read their project's provider calls"
  on public.provider_calls for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.check_provider_call_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Removing an agent, delivery or connection sets the reference null (the foreign key's action runs nested).
  if pg_trigger_depth() > 1 then
    return new;
  end if;
  if old.outcome <> 'pending' then
    raise exception 'Provider call % is already final (%): it cannot change', old.id, old.outcome
      using errcode = '42501', hint = 'provider_calls is append-only apart from pending -> ok | error.';
  end if;
  if new.id <> old.id or new.project_id <> old.project_id or new.created_at <> old.created_at or new.outcome not in ('ok', 'error') then
    raise exception 'Provider call % can only be finished (ok or error) with its results', old.id
      using errcode = '42501', hint = 'Record the result with record_provider_call or complete_chat_deliveries.';
  end if;
  return new;
end;
$$;
comment on function public.check_provider_call_update() is 'Trigger on provider_calls: a pending call may only become ok or error (keeping its id, project and start); a final call never changes.';
revoke all on function public.check_provider_call_update() from public, anon, authenticated;

create trigger provider_calls_check_update before update on public.provider_calls
  for each row execute function public.check_provider_call_update();
create trigger provider_calls_refuse_delete before delete on public.provider_calls
  for each row execute function public.refuse_append_only_change();
create trigger provider_calls_refuse_truncate before truncate on public.provider_calls
  for each statement execute function public.refuse_append_only_change();

create table public.budget_alerts (
  budget_id uuid not null references public.budgets (id) on delete cascade,
  period_start timestamptz not null,
  level text not null check (level in ('soft', 'hard')),
  created_at timestamptz not null default now(),
  primary key (budget_id, period_start, level)
);
comment on table public.budget_alerts is 'Which budget alerts were posted in which period (soft warning, hard stop), so each is posted once per period even with several executors. Service role only.';
alter table public.budget_alerts enable row level security;
revoke all on public.budget_alerts from public, anon, authenticated;
grant select, insert, update, delete on public.budget_alerts to service_role;

create or replace function public.budget_period_start(p_period text, p_at timestamptz default now())
returns timestamptz
language sql
immutable
set search_path = ''
as $$
  select date_trunc(p_period, p_at at time zone 'UTC') at time zone 'UTC'
$$;
comment on function public.budget_period_start(text, timestamptz) is 'The start of the UTC day or month (p_period) that p_at falls in: the period a budget counts spend over.';
revoke all on function public.budget_period_start(text, timestamptz) from public, anon;
grant execute on function public.budget_period_start(text, timestamptz) to authenticated, service_role;

create or replace function public.provider_call_spend(p_project_id uuid, p_agent_id uuid, p_unit text, p_since timestamptz)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  v_spent numeric;
begin
  -- Finished calls count what they used, pending ones what they reserved, refused ones nothing.
  if p_agent_id is null then
    select coalesce(sum(case
      when c.outcome = 'budget_exceeded' then 0
      when p_unit = 'tokens' then case when c.outcome = 'pending' then c.reserved_tokens else c.input_tokens + c.output_tokens end
      else coalesce(case when c.outcome = 'pending' then c.reserved_usd else c.cost_usd end, 0)
    end), 0) into v_spent
    from public.provider_calls c
    where c.project_id = p_project_id and c.created_at >= p_since;
  else
    select coalesce(sum(case
      when c.outcome = 'budget_exceeded' then 0
      when p_unit = 'tokens' then case when c.outcome = 'pending' then c.reserved_tokens else c.input_tokens + c.output_tokens end
      else coalesce(case when c.outcome = 'pending' then c.reserved_usd else c.cost_usd end, 0)
    end), 0) into v_spent
    from public.provider_calls c
    where c.agent_id = p_agent_id and c.project_id = p_project_id and c.created_at >= p_since;
  end if;
  return v_spent;
end;
$$;
comment on function public.provider_call_spend(uuid, uuid, text, timestamptz) is 'What a project (p_agent_id null) or one agent spent since p_since, in tokens or usd: finished calls count their tokens / cost_usd, pending calls their reservation, refused calls nothing. Security invoker: members see only their projects.';
revoke all on function public.provider_call_spend(uuid, uuid, text, timestamptz) from public, anon;
grant execute on function public.provider_call_spend(uuid, uuid, text, timestamptz) to authenticated, service_role;

create or replace function public.format_budget_amount(p_unit text, p_amount numeric)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when p_unit = 'tokens' then to_char(round(p_amount), 'FM999,999,999,999,990')
    else '$' || to_char(p_amount, 'FM999,999,999,990.0099') end
$$;
comment on function public.format_budget_amount(text, numeric) is 'A budget amount in words: 1,020 (tokens) or $4.50 (usd).';
revoke all on function public.format_budget_amount(text, numeric) from public, anon;
grant execute on function public.format_budget_amount(text, numeric) to authenticated, service_role;
create or replace function public.describe_budget(p_budget public.budgets, p_agent_key text)
returns text
language sql
stable
set search_path = ''
as $$
  select case when p_budget.agent_id is null then 'project' else 'agent @' || coalesce(p_agent_key, p_budget.agent_id::text) end
    || ' ' || case p_budget.period when 'day' then 'daily' else 'monthly' end
    || ' ' || case p_budget.unit when 'tokens' then 'token budget ' else 'USD budget ' end
    || public.format_budget_amount(p_budget.unit, p_budget.hard_limit)
$$;

comment on function public.describe_budget(public.budgets, text) is 'A budget in words: "project daily token budget 1,000" or "agent @backend monthly USD budget $5.00".';
revoke all on function public.describe_budget(public.budgets, text) from public, anon;
grant execute on function public.describe_budget(public.budgets, text) to authenticated, service_role;

create or replace function public.reserve_provider_call(p_call jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := (p_call ->> 'id')::uuid;
  v_project_id uuid := (p_call ->> 'project_id')::uuid;
  v_agent_id uuid := (p_call ->> 'agent_id')::uuid;
  v_agent_key text := p_call ->> 'agent_key';
  v_model text := coalesce(nullif(p_call ->> 'model', ''), 'unknown');
  v_provider text := p_call ->> 'provider';
  v_reserved integer := greatest(coalesce((p_call ->> 'reserved_tokens')::integer, 0), 0);
  v_reserved_usd numeric;
  v_existing public.provider_calls;
  v_budget public.budgets;
  v_start timestamptz;
  v_spent numeric;
  v_need numeric;
  v_reason text;
  v_exceeded uuid;
  v_soft public.budgets[] := '{}';
begin
  if v_id is null or v_project_id is null then
    raise exception 'A provider call needs its id and project_id' using errcode = '22023', hint = 'The executor picks the call id, so a retry is a no-op.';
  end if;
  select * into v_existing from public.provider_calls where id = v_id;
  if found then
    return jsonb_build_object('ok', v_existing.outcome <> 'budget_exceeded', 'call_id', v_id, 'outcome', v_existing.outcome,
      'reason', case when v_existing.outcome = 'budget_exceeded' then v_existing.error end);
  end if;
  v_reserved_usd := case when v_provider = 'builtin' then 0 else (
    select round(v_reserved * greatest(p.input_usd_per_mtok, p.output_usd_per_mtok) / 1000000, 6)
    from public.model_prices p where p.project_id = v_project_id and p.model = v_model
  ) end;

  -- One lock order for every executor: the budgets that apply, by id. A second executor reserving
  -- against the same budget waits here and then sees this reservation.
  perform 1 from public.budgets b
  where b.project_id = v_project_id and (b.agent_id is null or b.agent_id = v_agent_id)
  order by b.id
  for update;
  for v_budget in
    select * from public.budgets b
    where b.project_id = v_project_id and (b.agent_id is null or b.agent_id = v_agent_id)
    order by b.agent_id nulls first, b.id
  loop
    v_start := public.budget_period_start(v_budget.period, now());
    v_spent := public.provider_call_spend(v_project_id, v_budget.agent_id, v_budget.unit, v_start);
    v_need := case when v_budget.unit = 'tokens' then v_reserved else coalesce(v_reserved_usd, 0) end;
    if v_spent + v_need > v_budget.hard_limit then
      v_exceeded := v_budget.id;
      v_reason := format('Budget exceeded: %s (used %s; this call needs up to %s). Raise it in Usage → Budgets, then retry.',
        public.describe_budget(v_budget, v_agent_key), public.format_budget_amount(v_budget.unit, v_spent),
        public.format_budget_amount(v_budget.unit, v_need));
      insert into public.budget_alerts (budget_id, period_start, level) values (v_budget.id, v_start, 'hard') on conflict do nothing;
      if found then
        insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
        values (v_project_id, 'system', 'budgets', 'budget.exceeded', left(v_reason, 1000),
                jsonb_strip_nulls(jsonb_build_object('budget_id', v_budget.id, 'call_id', v_id, 'agent_key', v_agent_key,
                  'delivery_id', p_call ->> 'delivery_id', 'period_start', v_start)));
      end if;
      exit;
    end if;
    if v_budget.soft_ratio is not null and v_spent + v_need >= v_budget.soft_ratio * v_budget.hard_limit then
      v_soft := v_soft || v_budget;
    end if;
  end loop;

  insert into public.provider_calls (
    id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model,
    reserved_tokens, reserved_usd, outcome, error, settings, finished_at
  )
  values (
    v_id, v_project_id, v_agent_id, v_agent_key, (p_call ->> 'delivery_id')::uuid, v_provider, (p_call ->> 'connection_id')::uuid, v_model,
    v_reserved, v_reserved_usd, case when v_exceeded is null then 'pending' else 'budget_exceeded' end, v_reason,
    coalesce(p_call -> 'settings', '{}'::jsonb), case when v_exceeded is not null then now() end
  )
  on conflict (id) do nothing;

  if v_exceeded is not null then
    return jsonb_build_object('ok', false, 'call_id', v_id, 'outcome', 'budget_exceeded', 'reason', v_reason, 'budget_id', v_exceeded);
  end if;
  foreach v_budget in array v_soft loop
    v_start := public.budget_period_start(v_budget.period, now());
    insert into public.budget_alerts (budget_id, period_start, level) values (v_budget.id, v_start, 'soft') on conflict do nothing;
    if found then
      insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
      values (v_project_id, 'system', 'budgets', 'budget.warning',
              left(format('Budget warning: %s is %s%% used. Raise it in Usage → Budgets before it stops the agents.',
                public.describe_budget(v_budget, v_agent_key), round(v_budget.soft_ratio * 100)), 1000),
              jsonb_strip_nulls(jsonb_build_object('budget_id', v_budget.id, 'call_id', v_id, 'agent_key', v_agent_key, 'period_start', v_start)));
    end if;
  end loop;
  return jsonb_build_object('ok', true, 'call_id', v_id, 'outcome', 'pending', 'reason', null, 'budget_id', null);
end;
$$;
comment on function public.reserve_provider_call(jsonb) is 'Executor only, before a provider call: p_call = {id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings}. Locks the budgets that apply (project-wide and this agent''s); when this period''s spend plus the reservation would pass a hard limit, records the call as budget_exceeded, posts one budget.exceeded activity per budget and period, and answers {ok: false, call_id, outcome, reason, budget_id}; otherwise records it pending (the reservation counts toward budgets until it finishes), posts one budget.warning per budget and period past its soft ratio, and answers {ok: true, call_id, outcome: "pending", reason: null, budget_id: null}. Idempotent on id.';
revoke all on function public.reserve_provider_call(jsonb) from public, anon, authenticated;
grant execute on function public.reserve_provider_call(jsonb) to service_role;

create or replace function public.record_provider_call(p_call jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := (p_call ->> 'id')::uuid;
  v_project_id uuid := (p_call ->> 'project_id')::uuid;
  v_model text := coalesce(nullif(p_call ->> 'model', ''), 'unknown');
  v_provider text := p_call ->> 'provider';
  v_input integer := greatest(coalesce((p_call ->> 'input_tokens')::integer, 0), 0);
  v_output integer := greatest(coalesce((p_call ->> 'output_tokens')::integer, 0), 0);
  v_outcome text := coalesce(p_call ->> 'outcome', 'ok');
  v_cost numeric;
  v_call public.provider_calls;
begin
  if v_id is null or v_project_id is null then
    raise exception 'A provider call needs its id and project_id' using errcode = '22023';
  end if;
  if v_outcome not in ('ok', 'error') then
    raise exception 'A finished provider call is ok or error (got %)', v_outcome
      using errcode = '22023', hint = 'Reserve with reserve_provider_call; a refused call is recorded there.';
  end if;
  v_cost := case when v_provider = 'builtin' then 0 else (
    select round((v_input * p.input_usd_per_mtok + v_output * p.output_usd_per_mtok) / 1000000, 6)
    from public.model_prices p where p.project_id = v_project_id and p.model = v_model
  ) end;
  insert into public.provider_calls as c (
    id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, input_tokens, output_tokens, estimated,
    latency_ms, cost_usd, reserved_tokens, outcome, error, settings, finished_at
  )
  values (
    v_id, v_project_id, (p_call ->> 'agent_id')::uuid, p_call ->> 'agent_key', (p_call ->> 'delivery_id')::uuid, v_provider,
    (p_call ->> 'connection_id')::uuid, v_model, v_input, v_output, coalesce((p_call ->> 'estimated')::boolean, false),
    (p_call ->> 'latency_ms')::integer, v_cost, greatest(coalesce((p_call ->> 'reserved_tokens')::integer, 0), 0), v_outcome,
    left(p_call ->> 'error', 2000), coalesce(p_call -> 'settings', '{}'::jsonb), now()
  )
  on conflict (id) do update set
    model = excluded.model,
    input_tokens = excluded.input_tokens,
    output_tokens = excluded.output_tokens,
    estimated = excluded.estimated,
    latency_ms = excluded.latency_ms,
    cost_usd = excluded.cost_usd,
    outcome = excluded.outcome,
    error = excluded.error,
    settings = case when p_call ? 'settings' then excluded.settings else c.settings end,
    finished_at = excluded.finished_at
  where c.outcome = 'pending'
  returning * into v_call;
  if v_call.id is null then
    select * into v_call from public.provider_calls where id = v_id;
  end if;
  return jsonb_build_object('call_id', v_call.id, 'outcome', v_call.outcome, 'cost_usd', v_call.cost_usd);
end;
$$;
comment on function public.record_provider_call(jsonb) is 'Executor only, after a provider call: p_call = {id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings, input_tokens, output_tokens, estimated, latency_ms, outcome: "ok" | "error", error}. Finishes the pending reservation with that id, or records the call when there was none; cost_usd is priced from model_prices (0 for builtin, null when the model has no price). A call already final is left as it is (a retry is a no-op). Answers {call_id, outcome, cost_usd}.';
revoke all on function public.record_provider_call(jsonb) from public, anon, authenticated;
grant execute on function public.record_provider_call(jsonb) to service_role;

create or replace function public.usage_by_day(p_project_id uuid, p_days integer default 30, p_agent_id uuid default null)
returns table (day date, agent_key text, model text, calls bigint, input_tokens bigint, output_tokens bigint, cost_usd numeric)
language sql
stable
set search_path = ''
as $$
  select (c.created_at at time zone 'UTC')::date as day, c.agent_key, c.model, count(*) as calls,
         sum(c.input_tokens)::bigint as input_tokens, sum(c.output_tokens)::bigint as output_tokens, sum(c.cost_usd) as cost_usd
  from public.provider_calls c
  where c.project_id = p_project_id
    and c.created_at >= public.budget_period_start('day', now()) - make_interval(days => greatest(1, least(coalesce(p_days, 30), 366)) - 1)
    and (p_agent_id is null or c.agent_id = p_agent_id)
    and c.outcome in ('ok', 'error')
  group by 1, 2, 3
  order by 1, 2, 3
$$;
comment on function public.usage_by_day(uuid, integer, uuid) is 'Usage for the chart: per UTC day (the last p_days, today included), agent and model, the finished calls, input and output tokens and cost in USD (null when no call of the group had a price). Security invoker: members see their projects'' usage.';
revoke all on function public.usage_by_day(uuid, integer, uuid) from public, anon;
grant execute on function public.usage_by_day(uuid, integer, uuid) to authenticated, service_role;

create or replace function public.budget_status(p_project_id uuid)
returns table (
  budget_id uuid, agent_id uuid, agent_key text, period text, unit text, hard_limit numeric, soft_ratio numeric,
  period_start timestamptz, spent numeric, exceeded boolean
)
language sql
stable
set search_path = ''
as $$
  select b.id, b.agent_id, a.agent_key, b.period, b.unit, b.hard_limit, b.soft_ratio, s.period_start, s.spent, s.spent >= b.hard_limit
  from public.budgets b
  left join public.agents a on a.id = b.agent_id
  cross join lateral (select public.budget_period_start(b.period, now()) as period_start) p
  cross join lateral (select p.period_start, public.provider_call_spend(b.project_id, b.agent_id, b.unit, p.period_start) as spent) s
  where b.project_id = p_project_id
  order by b.agent_id nulls first, b.period, b.unit
$$;
comment on function public.budget_status(uuid) is 'Each budget of the project with its current UTC period''s start and spend (tokens or usd, pending reservations included) and whether it is used up. Security invoker: members see their projects'' budgets.';
revoke all on function public.budget_status(uuid) from public, anon;
grant execute on function public.budget_status(uuid) to authenticated, service_role;
