-- Budgets without writing each call twice or summing the period at every check.
--
-- Until now a call a budget covers was inserted into provider_calls as 'pending' where it was
-- reserved and updated to ok / error where it was recorded, and every check summed provider_calls
-- since the start of the period: a month of calls, read again for every batch. Now:
-- - budget_holds holds a call in flight: inserted where it is reserved, deleted where it is recorded,
--   in the transaction that writes its provider_calls row, once (refused calls still get theirs).
-- - budget_usage keeps, per budget, what finished calls used in its current period, counted from
--   provider_calls once per period (or when the budget's scope changes). Records do not update it:
--   each record adds one budget_usage_deltas row per budget it touches, so executors recording at
--   the same time never wait on one row; whoever reserves holds the budget's lock anyway and folds
--   the deltas in.
-- - What a budget has used is then its budget_usage row, the deltas not folded yet and its holds
--   (two hours at most): a few rows, however many calls the period had.
-- - A new budget, or one whose project, agent or period changes, first waits for the transactions
--   writing provider_calls at that moment (a share lock on the table): a record that did not see
--   the budget is then committed, so counting the period from provider_calls includes it.
-- - Records are written by one set-based record_provider_calls per batch (complete_chat_deliveries
--   used to call record_provider_call per reply), with or without a budget.
-- - claim_chat_delivery_batch does none of the budget work when no budget covers the claimed
--   projects; otherwise it plans the calls from the tables into budget_holds rows (no JSON built or
--   parsed again), reads the contexts before taking any budget's lock (held until the commit), and
--   waits up to 200 ms for another executor's reservation to commit instead of leaving every
--   contended batch to a reserve_provider_calls round trip of its own.
-- Measured (callgrind, instructions of one backend replaying the executor's claim and complete
-- calls for 256 deliveries): a budget added 10.6 % to the database's work per delivery before and
-- adds 4-5 % now, and the no-budget path does 6 % less work than before.

create table public.budget_holds (
  call_id uuid primary key,
  project_id uuid not null,
  agent_id uuid,
  agent_key text,
  delivery_id uuid,
  provider text not null,
  connection_id uuid,
  model text not null check (length(model) between 1 and 200),
  reserved_tokens integer not null check (reserved_tokens >= 0),
  reserved_usd numeric(14, 6) check (reserved_usd >= 0),
  created_at timestamptz not null default now()
);
comment on table public.budget_holds is 'Provider calls in flight that a budget covers: the provider and model planned, and what each call may use at most (reserved_tokens; reserved_usd at the model''s higher price, null without a price), held against the budgets of its project and agent from its reservation (reserve_provider_calls) until record_provider_calls deletes it in the transaction that writes its provider_calls row. A hold older than two hours was left by a crashed executor: it no longer counts, and is purged. No foreign keys: a hold lives as long as its call, and checking keys for every call costs more than the stray hold of a removed project or agent, purged after two hours. Written by the executor''s functions only.';
comment on column public.budget_holds.provider is 'The provider the call was planned on, as provider_calls.provider will say (checked there, where the call is recorded).';
alter table public.budget_holds enable row level security;
revoke all on public.budget_holds from public, anon, authenticated;
grant select on public.budget_holds to authenticated;
grant select, insert, update, delete on public.budget_holds to service_role;
create index budget_holds_project_id_idx on public.budget_holds (project_id);

create policy "Members can read their project's budget holds"
  on public.budget_holds for select to authenticated
  using ((select public.has_project_role(project_id)));

create table public.budget_usage (
  budget_id uuid primary key references public.budgets (id) on delete cascade,
  project_id uuid not null,
  agent_id uuid,
  period_start timestamptz not null,
  used_tokens bigint not null check (used_tokens >= 0),
  used_usd numeric(18, 6) not null check (used_usd >= 0),
  updated_at timestamptz not null default now()
);
comment on table public.budget_usage is 'What the finished calls a budget covers used in its current period, in tokens and in US dollars, for the scope it was counted for (project_id, agent_id, period_start). Counted from provider_calls when the period or the scope is new, then kept current by folding in budget_usage_deltas; written only by a transaction holding the budget''s row lock (reserve_provider_calls, fold_budget_usage). Holds and deltas not folded yet are not in it: budget_used adds them.';
alter table public.budget_usage enable row level security;
revoke all on public.budget_usage from public, anon, authenticated;
grant select on public.budget_usage to authenticated;
grant select, insert, update, delete on public.budget_usage to service_role;

create policy "Members can read their project's budget usage"
  on public.budget_usage for select to authenticated
  using ((select public.has_project_role(project_id)));

create table public.budget_usage_deltas (
  id bigint generated always as identity primary key,
  budget_id uuid not null references public.budgets (id) on delete cascade,
  project_id uuid not null,
  period_start timestamptz not null,
  used_tokens bigint not null check (used_tokens >= 0),
  used_usd numeric(18, 6) not null check (used_usd >= 0),
  created_at timestamptz not null default now()
);
comment on table public.budget_usage_deltas is 'What calls recorded since the last fold used, per budget that covers them and period of the calls'' start: one row per budget and batch of records (record_provider_calls), inserted without waiting on another executor, folded into budget_usage (and deleted) by the next reservation against the budget.';
alter table public.budget_usage_deltas enable row level security;
revoke all on public.budget_usage_deltas from public, anon, authenticated;
grant select on public.budget_usage_deltas to authenticated;
grant select, insert, update, delete on public.budget_usage_deltas to service_role;
create index budget_usage_deltas_budget_id_idx on public.budget_usage_deltas (budget_id);

create policy "Members can read their project's budget usage deltas"
  on public.budget_usage_deltas for select to authenticated
  using ((select public.has_project_role(project_id)));

-- Calls reserved before this migration and still running: their holds.
insert into public.budget_holds (call_id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, reserved_usd, created_at)
select c.id, c.project_id, c.agent_id, c.agent_key, c.delivery_id, c.provider, c.connection_id, c.model, c.reserved_tokens, c.reserved_usd, c.created_at
from public.provider_calls c
where c.outcome = 'pending' and c.created_at > now() - interval '2 hours';

-- Rows are written once now: no room is needed on their pages for an update.
alter table public.provider_calls reset (fillfactor);
comment on table public.provider_calls is 'Every provider call an agent made (or was refused): project, agent, delivery, effective provider and model, input / output tokens (estimated when the provider did not report them), latency, cost_usd from model_prices (null: price unknown), outcome, and the effective settings with their sources. Written once, when the call ends (ok, error) or is refused (budget_exceeded); a call in flight is a budget_holds row. pending rows were written before holds existed (they are finished like a hold). Append-only apart from pending -> ok | error; written by the executor only; not published (the dashboard reads aggregates: usage_by_day, budget_status).';
comment on column public.provider_calls.reserved_tokens is 'What the call could use at most (counted input + max output tokens), held against budgets while it ran.';
comment on column public.provider_calls.reserved_usd is 'What the call held in US dollars while it ran (reserved_tokens at the higher of the model''s input and output price); null when no budget held it or the model has no price.';

create or replace function public.wait_for_provider_call_writers() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Waits for the transactions writing provider_calls right now, and keeps new ones out until this
  -- one commits: a record that did not see this budget is committed before anyone counts the
  -- budget's period from provider_calls, and every later record sees the budget.
  lock table public.provider_calls in share mode;
  return null;
end;
$$;
comment on function public.wait_for_provider_call_writers() is 'Statement trigger on budgets (insert, or update of project_id, agent_id or period): takes a share lock on provider_calls, so the records in flight commit first and the next ones see the budget as it will be. Without it, a call recorded while the budget was created could be in neither the period''s count nor a delta.';
revoke all on function public.wait_for_provider_call_writers() from public, anon, authenticated;

create trigger budgets_wait_for_provider_call_writers before insert or update of project_id, agent_id, period on public.budgets
  for each statement execute function public.wait_for_provider_call_writers();

-- The helpers a reservation calls for every batch are PL/pgSQL: a SQL function that cannot be inlined
-- (set search_path) plans its query again on every call, PL/pgSQL keeps the plan for the session.
create or replace function public.budget_period_start(p_period text, p_at timestamptz default now())
returns timestamptz
language plpgsql
immutable
set search_path = ''
as $$
begin
  return date_trunc(p_period, p_at at time zone 'UTC') at time zone 'UTC';
end;
$$;

create or replace function public.held_spend(p_project_id uuid, p_agent_id uuid, p_unit text, p_since timestamptz)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
begin
  return coalesce((
    select sum(case when p_unit = 'tokens' then h.reserved_tokens else coalesce(h.reserved_usd, 0) end)
    from public.budget_holds h
    where h.project_id = p_project_id and (p_agent_id is null or h.agent_id = p_agent_id)
      and h.created_at >= p_since and h.created_at > now() - interval '2 hours'
  ), 0);
end;
$$;
comment on function public.held_spend(uuid, uuid, text, timestamptz) is 'What the calls in flight of a project (p_agent_id null) or one agent, started since p_since, hold in tokens or usd: their reservations, for two hours at most (a hold that old was left by a crashed executor). Security invoker.';
revoke all on function public.held_spend(uuid, uuid, text, timestamptz) from public, anon;
grant execute on function public.held_spend(uuid, uuid, text, timestamptz) to authenticated, service_role;

create or replace function public.provider_call_spend(p_project_id uuid, p_agent_id uuid, p_unit text, p_since timestamptz)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
begin
  return coalesce((
    select sum(case when p_unit = 'tokens' then c.input_tokens::bigint + c.output_tokens else coalesce(c.cost_usd, 0) end)
    from public.provider_calls c
    where c.project_id = p_project_id and (p_agent_id is null or c.agent_id = p_agent_id)
      and c.created_at >= p_since and c.outcome in ('ok', 'error')
  ), 0) + public.held_spend(p_project_id, p_agent_id, p_unit, p_since);
end;
$$;
comment on function public.provider_call_spend(uuid, uuid, text, timestamptz) is 'What a project (p_agent_id null) or one agent spent since p_since, in tokens or usd, summed over provider_calls: finished calls count their tokens / cost_usd, refused calls nothing, calls in flight their hold (held_spend). Reads every call of the period: budget checks use budget_used instead. Security invoker: members see only their projects.';

create or replace function public.budget_used(p_budget public.budgets)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  v_start timestamptz := public.budget_period_start(p_budget.period, now());
  v_used numeric;
begin
  -- One snapshot for all of it (a stable function reads in its caller's): a record committing
  -- meanwhile is in a delta or still a hold, never in neither.
  select case when p_budget.unit = 'tokens' then u.used_tokens else u.used_usd end
    + coalesce((
      select sum(case when p_budget.unit = 'tokens' then d.used_tokens else d.used_usd end)
      from public.budget_usage_deltas d
      where d.budget_id = p_budget.id and d.period_start = v_start
    ), 0)
    + public.held_spend(p_budget.project_id, p_budget.agent_id, p_budget.unit, v_start)
  into v_used
  from public.budget_usage u
  where u.budget_id = p_budget.id and u.period_start = v_start
    and u.project_id = p_budget.project_id and u.agent_id is not distinct from p_budget.agent_id;
  if found then
    return v_used;
  end if;
  -- Not counted for this period and scope yet (nothing reserved against it since): from provider_calls.
  return public.provider_call_spend(p_budget.project_id, p_budget.agent_id, p_budget.unit, v_start);
end;
$$;
comment on function public.budget_used(public.budgets) is 'What a budget has used in its current UTC period, in its unit: its budget_usage row, the deltas not folded into it yet and the holds of calls in flight, read in one snapshot (a record that commits meanwhile is in a delta or still a hold, never in neither); provider_call_spend when the period is not counted yet. Security invoker.';
revoke all on function public.budget_used(public.budgets) from public, anon;
grant execute on function public.budget_used(public.budgets) to authenticated, service_role;

create or replace function public.fold_budget_usage(p_budget_ids uuid[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_budget public.budgets;
  v_start timestamptz;
  v_usage public.budget_usage;
begin
  for v_budget in select * from public.budgets b where b.id = any (p_budget_ids) loop
    v_start := public.budget_period_start(v_budget.period, now());
    select * into v_usage from public.budget_usage u where u.budget_id = v_budget.id;
    if found and v_usage.period_start = v_start and v_usage.project_id = v_budget.project_id
      and v_usage.agent_id is not distinct from v_budget.agent_id then
      -- Deltas of an earlier period (calls started before it) do not count in this one.
      with folded as (
        delete from public.budget_usage_deltas d where d.budget_id = v_budget.id
        returning d.period_start, d.used_tokens, d.used_usd
      )
      update public.budget_usage u
      set used_tokens = u.used_tokens + f.used_tokens, used_usd = u.used_usd + f.used_usd, updated_at = now()
      from (
        select coalesce(sum(x.used_tokens) filter (where x.period_start = v_start), 0) as used_tokens,
               coalesce(sum(x.used_usd) filter (where x.period_start = v_start), 0) as used_usd,
               count(*) as n
        from folded x
      ) f
      where u.budget_id = v_budget.id and f.n > 0;
    else
      -- A new budget, period or scope: the period counted from provider_calls, once. One statement,
      -- so each record is either in this count or in a delta committed after it, never both.
      with dropped as (
        delete from public.budget_usage_deltas d where d.budget_id = v_budget.id
      )
      insert into public.budget_usage as u (budget_id, project_id, agent_id, period_start, used_tokens, used_usd)
      select v_budget.id, v_budget.project_id, v_budget.agent_id, v_start,
        coalesce(sum(c.input_tokens::bigint + c.output_tokens), 0), coalesce(sum(c.cost_usd), 0)
      from public.provider_calls c
      where c.project_id = v_budget.project_id and (v_budget.agent_id is null or c.agent_id = v_budget.agent_id)
        and c.created_at >= v_start and c.outcome in ('ok', 'error')
      on conflict (budget_id) do update set
        project_id = excluded.project_id,
        agent_id = excluded.agent_id,
        period_start = excluded.period_start,
        used_tokens = excluded.used_tokens,
        used_usd = excluded.used_usd,
        updated_at = now();
      -- Holds past two hours count nowhere (crashed executors, removed projects): purged here, once a
      -- period, skipping one a late record is deleting right now.
      delete from public.budget_holds h
      where h.call_id in (
        select x.call_id from public.budget_holds x where x.created_at < now() - interval '2 hours' for update skip locked
      );
    end if;
  end loop;
end;
$$;
comment on function public.fold_budget_usage(uuid[]) is 'Executor only, with the budgets p_budget_ids locked (reserve_provider_calls): brings each one''s budget_usage to its current period and scope, by folding in and deleting its deltas, or by counting the period from provider_calls when it is new (dropping the deltas that count covers, and purging holds older than two hours).';
revoke all on function public.fold_budget_usage(uuid[]) from public, anon, authenticated;
grant execute on function public.fold_budget_usage(uuid[]) to service_role;

create or replace function public.hold_provider_calls(p_holds public.budget_holds[], p_settings jsonb[] default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_budget_ids uuid[];
  -- What each locked budget has used in its unit (budget id -> amount), kept current through the batch.
  v_spend jsonb;
  v_fits boolean;
  v_call record;
  v_known record;
  v_budget public.budgets;
  v_start timestamptz;
  v_spent numeric;
  v_need numeric;
  v_reason text;
  v_exceeded uuid;
  v_soft public.budgets[];
  v_answers jsonb := '[]'::jsonb;
begin
  if coalesce(cardinality(p_holds), 0) = 0 then
    return '[]'::jsonb;
  end if;
  -- Each call priced once: what it may use at most in US dollars (0 for builtin, null without a price).
  select array_agg(row(h.call_id, h.project_id, h.agent_id, h.agent_key, h.delivery_id, h.provider, h.connection_id, h.model,
      h.reserved_tokens, case when h.provider = 'builtin' then 0
        else round(h.reserved_tokens * greatest(p.input_usd_per_mtok, p.output_usd_per_mtok) / 1000000, 6) end, now()
    )::public.budget_holds order by h.ordinality), array_agg(h.call_id order by h.ordinality)
  into p_holds, v_ids
  from unnest(p_holds) with ordinality as h
  left join public.model_prices p on p.project_id = h.project_id and p.model = h.model;

  -- One lock order for every executor: provider_calls (what a budget's creation waits for: see
  -- wait_for_provider_call_writers), then all the budgets the batch touches, by id. Another executor
  -- reserving against one of them waits here and then sees this batch's holds.
  lock table public.provider_calls in row exclusive mode;
  select coalesce(array_agg(l.id), '{}') into v_budget_ids
  from (
    select b.id
    from (select distinct h.project_id, h.agent_id from unnest(p_holds) h) k
    join public.budgets b on b.project_id = k.project_id and (b.agent_id is null or b.agent_id = k.agent_id)
    order by b.id
    for no key update of b
  ) l;
  perform public.fold_budget_usage(v_budget_ids);
  select coalesce(jsonb_object_agg(b.id, public.budget_used(b)), '{}'::jsonb) into v_spend
  from public.budgets b where b.id = any (v_budget_ids);

  -- The common case in one statement: no call of the batch is known yet and the whole batch stays
  -- below every budget's soft threshold (below its hard limit when it has none), so every call is
  -- held and no warning is due. Otherwise each call is checked in turn below.
  if not exists (select 1 from public.budget_holds h where h.call_id = any (v_ids))
    and not exists (select 1 from public.provider_calls c where c.id = any (v_ids)) then
    select coalesce(bool_and(case
      when b.soft_ratio is null then (v_spend ->> b.id::text)::numeric + n.need <= b.hard_limit
      else (v_spend ->> b.id::text)::numeric + n.need < b.soft_ratio * b.hard_limit
    end), true) into v_fits
    from (
      select b.id, sum(case when b.unit = 'tokens' then h.reserved_tokens else coalesce(h.reserved_usd, 0) end) as need
      from unnest(p_holds) h
      join public.budgets b on b.id = any (v_budget_ids) and b.project_id = h.project_id and (b.agent_id is null or b.agent_id = h.agent_id)
      group by b.id
    ) n
    join public.budgets b on b.id = n.id;
    if v_fits then
      insert into public.budget_holds select * from unnest(p_holds);
      return (
        select jsonb_agg(jsonb_build_object('ok', true, 'call_id', h.call_id, 'outcome', 'pending', 'reason', null, 'budget_id', null)
          order by h.ordinality)
        from unnest(p_holds) with ordinality as h
      );
    end if;
  end if;

  for v_call in select * from unnest(p_holds) with ordinality as h order by h.ordinality loop
    v_exceeded := null;
    v_reason := null;
    v_soft := '{}';

    -- A call already held or recorded answers what was stored: a retry reserves nothing twice.
    select 'pending' as outcome, null::text as error into v_known from public.budget_holds h where h.call_id = v_call.call_id;
    if not found then
      select c.outcome, c.error into v_known from public.provider_calls c where c.id = v_call.call_id;
    end if;
    if found then
      v_answers := v_answers || jsonb_build_object('ok', v_known.outcome <> 'budget_exceeded', 'call_id', v_call.call_id,
        'outcome', v_known.outcome, 'reason', case when v_known.outcome = 'budget_exceeded' then v_known.error end, 'budget_id', null);
      continue;
    end if;

    for v_budget in
      select * from public.budgets b
      where b.id = any (v_budget_ids) and b.project_id = v_call.project_id and (b.agent_id is null or b.agent_id = v_call.agent_id)
      order by b.agent_id nulls first, b.id
    loop
      v_start := public.budget_period_start(v_budget.period, now());
      v_spent := (v_spend ->> v_budget.id::text)::numeric;
      v_need := case when v_budget.unit = 'tokens' then v_call.reserved_tokens else coalesce(v_call.reserved_usd, 0) end;
      if v_spent + v_need > v_budget.hard_limit then
        v_exceeded := v_budget.id;
        v_reason := format('Budget exceeded: %s (used %s; this call needs up to %s). Raise it in Usage → Budgets, then retry.',
          public.describe_budget(v_budget, v_call.agent_key), public.format_budget_amount(v_budget.unit, v_spent),
          public.format_budget_amount(v_budget.unit, v_need));
        insert into public.budget_alerts (budget_id, period_start, level) values (v_budget.id, v_start, 'hard') on conflict do nothing;
        if found then
          insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
          values (v_call.project_id, 'system', 'budgets', 'budget.exceeded', left(v_reason, 1000),
                  jsonb_strip_nulls(jsonb_build_object('budget_id', v_budget.id, 'call_id', v_call.call_id, 'agent_key', v_call.agent_key,
                    'delivery_id', v_call.delivery_id, 'period_start', v_start)));
        end if;
        exit;
      end if;
      if v_budget.soft_ratio is not null and v_spent + v_need >= v_budget.soft_ratio * v_budget.hard_limit then
        v_soft := v_soft || v_budget;
      end if;
    end loop;

    if v_exceeded is not null then
      -- A refused call holds nothing; its row is final at once.
      insert into public.provider_calls (
        id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model,
        reserved_tokens, reserved_usd, outcome, error, settings, finished_at
      )
      values (
        v_call.call_id, v_call.project_id, v_call.agent_id, v_call.agent_key, v_call.delivery_id, v_call.provider, v_call.connection_id,
        v_call.model, v_call.reserved_tokens, v_call.reserved_usd, 'budget_exceeded', v_reason,
        coalesce(p_settings[v_call.ordinality], '{}'::jsonb), now()
      )
      on conflict (id) do nothing;
      v_answers := v_answers || jsonb_build_object('ok', false, 'call_id', v_call.call_id, 'outcome', 'budget_exceeded', 'reason', v_reason,
        'budget_id', v_exceeded);
      continue;
    end if;

    -- An accepted call holds its reservation in every budget that applies, for the next calls too.
    insert into public.budget_holds (
      call_id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, reserved_usd
    )
    values (
      v_call.call_id, v_call.project_id, v_call.agent_id, v_call.agent_key, v_call.delivery_id, v_call.provider, v_call.connection_id,
      v_call.model, v_call.reserved_tokens, v_call.reserved_usd
    );
    select v_spend || coalesce(jsonb_object_agg(b.id, (v_spend ->> b.id::text)::numeric
      + case when b.unit = 'tokens' then v_call.reserved_tokens else coalesce(v_call.reserved_usd, 0) end), '{}'::jsonb)
    into v_spend
    from public.budgets b
    where b.id = any (v_budget_ids) and b.project_id = v_call.project_id and (b.agent_id is null or b.agent_id = v_call.agent_id);

    foreach v_budget in array v_soft loop
      v_start := public.budget_period_start(v_budget.period, now());
      insert into public.budget_alerts (budget_id, period_start, level) values (v_budget.id, v_start, 'soft') on conflict do nothing;
      if found then
        insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
        values (v_call.project_id, 'system', 'budgets', 'budget.warning',
                left(format('Budget warning: %s is %s%% used. Raise it in Usage → Budgets before it stops the agents.',
                  public.describe_budget(v_budget, v_call.agent_key), round(v_budget.soft_ratio * 100)), 1000),
                jsonb_strip_nulls(jsonb_build_object('budget_id', v_budget.id, 'call_id', v_call.call_id, 'agent_key', v_call.agent_key,
                  'period_start', v_start)));
      end if;
    end loop;
    v_answers := v_answers || jsonb_build_object('ok', true, 'call_id', v_call.call_id, 'outcome', 'pending', 'reason', null, 'budget_id', null);
  end loop;
  return v_answers;
end;
$$;
comment on function public.hold_provider_calls(public.budget_holds[], jsonb[]) is 'Executor only: what reserve_provider_calls does, for calls already read into budget_holds rows (their reserved_usd and created_at are set here) and their settings (p_settings, same order; {} when null), so a claim reserves without building JSON. Answers one {ok, call_id, outcome, reason, budget_id} per call, in order.';
revoke all on function public.hold_provider_calls(public.budget_holds[], jsonb[]) from public, anon, authenticated;
grant execute on function public.hold_provider_calls(public.budget_holds[], jsonb[]) to service_role;

create or replace function public.reserve_provider_calls(p_calls jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_holds public.budget_holds[];
  v_settings jsonb[];
begin
  if jsonb_typeof(p_calls) is distinct from 'array' then
    raise exception 'reserve_provider_calls takes a JSON array of calls' using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_array_elements(p_calls) e where e ->> 'id' is null or e ->> 'project_id' is null) then
    raise exception 'A provider call needs its id and project_id' using errcode = '22023', hint = 'The executor picks the call id, so a retry is a no-op.';
  end if;
  -- The JSON is read once, into the rows the calls will be held as.
  select array_agg(row((x.e ->> 'id')::uuid, (x.e ->> 'project_id')::uuid, (x.e ->> 'agent_id')::uuid, x.e ->> 'agent_key',
      (x.e ->> 'delivery_id')::uuid, x.e ->> 'provider', (x.e ->> 'connection_id')::uuid, coalesce(nullif(x.e ->> 'model', ''), 'unknown'),
      greatest(coalesce((x.e ->> 'reserved_tokens')::integer, 0), 0), null, null)::public.budget_holds order by x.n),
    array_agg(coalesce(x.e -> 'settings', '{}'::jsonb) order by x.n)
  into v_holds, v_settings
  from jsonb_array_elements(p_calls) with ordinality as x (e, n);
  return public.hold_provider_calls(v_holds, v_settings);
end;
$$;
comment on function public.reserve_provider_calls(jsonb) is 'Executor only, before provider calls: p_calls = [{id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings}], checked in order in one transaction (hold_provider_calls). Locks every budget the batch touches (by id, after a row exclusive lock on provider_calls), brings their budget_usage up to date (fold_budget_usage) and reads what each has used once (budget_used), then keeps it current through the batch. A call that would pass a hard limit is recorded as budget_exceeded in provider_calls (one budget.exceeded activity per budget and period) and answered {ok: false, call_id, outcome: "budget_exceeded", reason, budget_id}; an accepted one is held in budget_holds until it is recorded (one budget.warning per budget and period past its soft ratio) and answered {ok: true, call_id, outcome: "pending", reason: null, budget_id: null}. A call id already held or recorded answers what was stored. Answers one element per call, in order.';
revoke all on function public.reserve_provider_calls(jsonb) from public, anon, authenticated;
grant execute on function public.reserve_provider_calls(jsonb) to service_role;

comment on function public.reserve_provider_call(jsonb) is 'Executor only, before a provider call: reserve_provider_calls for one call p_call = {id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings}. Answers {ok: false, call_id, outcome: "budget_exceeded", reason, budget_id} when the call would pass a hard limit (it is recorded as refused), else {ok: true, call_id, outcome: "pending", reason: null, budget_id: null} (it is held until recorded). Idempotent on id.';

create or replace function public.record_provider_calls(p_calls jsonb[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_projects uuid[];
  v_agents uuid[];
  v_started timestamptz[];
  v_tokens bigint[];
  v_usd numeric[];
begin
  if exists (select 1 from unnest(p_calls) c where c ->> 'id' is null or c ->> 'project_id' is null) then
    raise exception 'A provider call needs its id and project_id' using errcode = '22023';
  end if;
  if exists (select 1 from unnest(p_calls) c where coalesce(c ->> 'outcome', 'ok') not in ('ok', 'error')) then
    raise exception 'A finished provider call is ok or error (got %)',
      (select c ->> 'outcome' from unnest(p_calls) c where coalesce(c ->> 'outcome', 'ok') not in ('ok', 'error') limit 1)
      using errcode = '22023', hint = 'Reserve with reserve_provider_call; a refused call is recorded there.';
  end if;

  -- Each call's hold goes and its row is written, once; it started when it was reserved. A call
  -- listed twice keeps its first record; a call already final keeps its row (a retry is a no-op).
  with calls as (
    select distinct on ((c.value ->> 'id')::uuid) (c.value ->> 'id')::uuid as id, c.value as call
    from unnest(p_calls) with ordinality as c (value, n)
    order by (c.value ->> 'id')::uuid, c.n
  ),
  released as (
    delete from public.budget_holds h using calls k where h.call_id = k.id
    returning h.call_id, h.created_at, h.reserved_usd
  ),
  recorded as (
    insert into public.provider_calls as c (
      id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, input_tokens, output_tokens, estimated,
      latency_ms, cost_usd, reserved_tokens, reserved_usd, outcome, error, settings, created_at, finished_at
    )
    select k.id, (k.call ->> 'project_id')::uuid, (k.call ->> 'agent_id')::uuid, k.call ->> 'agent_key', (k.call ->> 'delivery_id')::uuid,
      k.call ->> 'provider', (k.call ->> 'connection_id')::uuid, coalesce(nullif(k.call ->> 'model', ''), 'unknown'), u.input, u.output,
      coalesce((k.call ->> 'estimated')::boolean, false), (k.call ->> 'latency_ms')::integer,
      case when k.call ->> 'provider' = 'builtin' then 0
        else round((u.input * p.input_usd_per_mtok + u.output * p.output_usd_per_mtok) / 1000000, 6) end,
      greatest(coalesce((k.call ->> 'reserved_tokens')::integer, 0), 0), r.reserved_usd, coalesce(k.call ->> 'outcome', 'ok'),
      left(k.call ->> 'error', 2000), coalesce(k.call -> 'settings', '{}'::jsonb), coalesce(r.created_at, now()), now()
    from calls k
    cross join lateral (
      select greatest(coalesce((k.call ->> 'input_tokens')::integer, 0), 0) as input,
             greatest(coalesce((k.call ->> 'output_tokens')::integer, 0), 0) as output
    ) u
    left join released r on r.call_id = k.id
    left join public.model_prices p on p.project_id = (k.call ->> 'project_id')::uuid
      and p.model = coalesce(nullif(k.call ->> 'model', ''), 'unknown')
    -- A row still pending was reserved before budget_holds existed: it is finished like a hold.
    on conflict (id) do update set
      provider = excluded.provider,
      connection_id = excluded.connection_id,
      model = excluded.model,
      input_tokens = excluded.input_tokens,
      output_tokens = excluded.output_tokens,
      estimated = excluded.estimated,
      latency_ms = excluded.latency_ms,
      cost_usd = excluded.cost_usd,
      outcome = excluded.outcome,
      error = excluded.error,
      settings = excluded.settings,
      finished_at = excluded.finished_at
    where c.outcome = 'pending'
    returning c.project_id, c.agent_id, c.created_at, c.input_tokens::bigint + c.output_tokens as used_tokens, coalesce(c.cost_usd, 0) as used_usd
  )
  select array_agg(r.project_id), array_agg(r.agent_id), array_agg(r.created_at), array_agg(r.used_tokens), array_agg(r.used_usd)
  into v_projects, v_agents, v_started, v_tokens, v_usd
  from recorded r;

  -- What the calls used, per budget that covers them. Statements of their own, after the one above
  -- took its lock on provider_calls: a budget created meanwhile is either seen here or waited for
  -- these rows (wait_for_provider_call_writers).
  if exists (select 1 from public.budgets b where b.project_id = any (v_projects)) then
    insert into public.budget_usage_deltas (budget_id, project_id, period_start, used_tokens, used_usd)
    select b.id, b.project_id, public.budget_period_start(b.period, r.created_at), sum(r.used_tokens), sum(r.used_usd)
    from unnest(v_projects, v_agents, v_started, v_tokens, v_usd) as r (project_id, agent_id, created_at, used_tokens, used_usd)
    join public.budgets b on b.project_id = r.project_id and (b.agent_id is null or b.agent_id = r.agent_id)
    group by b.id, b.project_id, public.budget_period_start(b.period, r.created_at);
  end if;
end;
$$;
comment on function public.record_provider_calls(jsonb[]) is 'Executor only, after provider calls: each element as record_provider_call takes it. Deletes each call''s hold and writes its provider_calls row once (started when it was held; cost_usd priced from model_prices: 0 for builtin, null without a price), and adds what the calls used to the deltas of the budgets that cover them, in one transaction. A call listed twice is recorded once; a call already final is left as it is.';
revoke all on function public.record_provider_calls(jsonb[]) from public, anon, authenticated;
grant execute on function public.record_provider_calls(jsonb[]) to service_role;

create or replace function public.record_provider_call(p_call jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform public.record_provider_calls(array[p_call]);
  return (
    select jsonb_build_object('call_id', c.id, 'outcome', c.outcome, 'cost_usd', c.cost_usd)
    from public.provider_calls c where c.id = (p_call ->> 'id')::uuid
  );
end;
$$;
comment on function public.record_provider_call(jsonb) is 'Executor only, after a provider call: p_call = {id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings, input_tokens, output_tokens, estimated, latency_ms, outcome: "ok" | "error", error}. record_provider_calls for one call: its hold (if any) goes, its row is written with the provider, connection and model really used, and the budgets that cover it count what it used. A call already final is left as it is (a retry is a no-op). Answers {call_id, outcome, cost_usd}.';

create or replace function public.complete_chat_deliveries(
  p_executor_id text,
  p_replies jsonb,
  p_claim_limit integer default 0,
  p_history_limit integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_item record;
  v_result jsonb;
  v_saved jsonb := '[]'::jsonb;
  v_calls jsonb[] := '{}';
begin
  if jsonb_typeof(p_replies) is distinct from 'array' then
    raise exception 'p_replies must be a JSON array of {delivery_id, reply, metadata, call?}' using errcode = '22023';
  end if;
  if jsonb_array_length(p_replies) > 500 then
    raise exception 'At most 500 replies per call (got %)', jsonb_array_length(p_replies)
      using errcode = '22023', hint = 'Split the batch.';
  end if;
  -- The deliveries and their source messages are locked first, in one order (message, then
  -- delivery), so two executors saving replies to the same Team Room messages do not deadlock (a
  -- deadlock with a concurrent claim marking those messages delivered is still possible; the
  -- executor sends the batch again). No key update: replies to these messages can still be inserted
  -- meanwhile. The replies are then saved in the order given, so an earlier one counts against a
  -- later one's Team Room limit.
  perform 1
  from public.chat_delivery_queue d
  join public.project_chat_messages m on m.id = d.message_id
  where d.id = any (array(select (e ->> 'delivery_id')::uuid from jsonb_array_elements(p_replies) e))
  order by m.id, d.id
  for no key update of d, m;
  for v_item in
    select (e.value ->> 'delivery_id')::uuid as delivery_id, e.value ->> 'reply' as reply, e.value -> 'metadata' as metadata,
           e.value -> 'call' as call
    from jsonb_array_elements(p_replies) with ordinality as e(value, ord)
    order by e.ord
  loop
    if v_item.reply is null then
      v_result := jsonb_build_object('delivery_id', v_item.delivery_id, 'ok', false, 'code', '22023',
        'error', 'A reply needs its text in "reply"', 'hint', null);
    else
      v_result := public.save_chat_reply(v_item.delivery_id, p_executor_id, v_item.reply, v_item.metadata);
    end if;
    -- The provider call was made (and spent) whether or not its reply could be saved.
    if jsonb_typeof(v_item.call) = 'object' then
      v_calls := v_calls || case when v_result ->> 'code' = 'P0002'
        -- The delivery is gone: the call is still recorded, without it.
        then v_item.call - 'delivery_id'
        else jsonb_strip_nulls(jsonb_build_object(
          'delivery_id', v_item.delivery_id,
          'project_id', v_result -> 'message' ->> 'project_id',
          'agent_key', v_result -> 'message' ->> 'author_agent_key'
        )) || v_item.call end;
    end if;
    v_saved := v_saved || jsonb_build_array(v_result);
  end loop;
  -- All the batch's calls in one record, after the replies: their holds go, their rows are written once.
  if cardinality(v_calls) > 0 then
    perform public.record_provider_calls(v_calls);
  end if;
  return jsonb_build_object(
    'saved', v_saved,
    'claimed', case when coalesce(p_claim_limit, 0) > 0
      then public.claim_chat_delivery_batch(p_executor_id, p_claim_limit, null, p_history_limit)
      else '[]'::jsonb end
  );
end;
$$;
comment on function public.complete_chat_deliveries(text, jsonb, integer, integer) is 'Executor only: save_chat_reply for each {delivery_id, reply, metadata, call?} of p_replies, then claims up to p_claim_limit more (claim_chat_delivery_batch), in one transaction. The replies'' calls (the provider calls that produced them, as for record_provider_call; delivery_id, project_id and agent_key default to the delivery''s) are recorded in the same transaction with one record_provider_calls, even when a reply is refused. Answers {saved: [{delivery_id, ok, message | code, error, hint}], claimed: [{delivery, context}]}; a refused reply does not undo the others.';

create or replace function public.claim_chat_delivery_batch(
  p_executor_id text,
  p_limit integer default 10,
  p_message_id uuid default null,
  p_history_limit integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_deliveries jsonb[];
  v_contexts jsonb[];
  v_holds public.budget_holds[];
  v_uncontended boolean;
  v_lock_timeout text;
  -- Each reserved delivery's answer (delivery id -> {ok, call_id, outcome, reason, budget_id}).
  v_reservations jsonb;
begin
  select coalesce(array_agg(c.id), '{}') into v_ids
  from public.claim_chat_deliveries(p_executor_id, p_limit, p_message_id) c;

  -- No budget in these projects: nothing to reserve, the items are built as they are sent.
  if not exists (
    select 1 from public.chat_delivery_queue d join public.budgets b on b.project_id = d.project_id where d.id = any (v_ids)
  ) then
    -- A statement of its own, so the context is read after the claim (message status 'delivered').
    return (
      select coalesce(jsonb_agg(
        jsonb_build_object('delivery', to_jsonb(d), 'context', public.load_chat_delivery_context(d.id, p_history_limit))
        order by d.available_at, d.created_at
      ), '[]'::jsonb)
      from public.chat_delivery_queue d
      where d.id = any (v_ids)
    );
  end if;

  -- The contexts are read before any budget is locked: the lock is held from the reservation to the
  -- commit, and reading them is most of a claim's work.
  select array_agg(to_jsonb(d) order by d.available_at, d.created_at),
         array_agg(public.load_chat_delivery_context(d.id, p_history_limit) order by d.available_at, d.created_at)
  into v_deliveries, v_contexts
  from public.chat_delivery_queue d
  where d.id = any (v_ids);

  -- The call each delivery a budget covers is about to make, in the order of resolveAgentSettings
  -- (the message's override, then the agent, then the project's agent_defaults; the layer that sets
  -- the provider also names the connection), as the hold it will be, read from the tables rather
  -- than from the contexts. This is only the hold: the executor resolves the settings itself and
  -- records what it really used. The context is cut to fit max_context_tokens, output included: the
  -- most a call can use.
  select array_agg(row(
    extensions.gen_random_uuid(), d.project_id, a.id, a.agent_key, d.id, p.provider, c.id,
    left(coalesce(
      nullif(btrim(o.v ->> 'model'), ''), nullif(btrim(a.model), ''), nullif(btrim(f.v ->> 'model'), ''),
      nullif(c.default_model, ''), 'builtin-offline'
    ), 200),
    coalesce(
      case when o.v ->> 'max_context_tokens' ~ '^[0-9]{1,9}$' then (o.v ->> 'max_context_tokens')::integer end,
      a.max_context_tokens,
      case when f.v ->> 'max_context_tokens' ~ '^[0-9]{1,9}$' then (f.v ->> 'max_context_tokens')::integer end,
      8000
    ),
    null, null
  )::public.budget_holds order by d.available_at, d.created_at) into v_holds
  from public.chat_delivery_queue d
  join public.project_chat_messages m on m.id = d.message_id
  join public.agents a on a.project_id = d.project_id and a.agent_key = d.agent_key
  left join public.project_settings s on s.project_id = d.project_id and s.key = 'agent_defaults'
  cross join lateral (
    select case when jsonb_typeof(m.metadata -> 'settings_override') = 'object' then m.metadata -> 'settings_override' else '{}'::jsonb end as v
  ) o
  cross join lateral (select case when jsonb_typeof(s.value) = 'object' then s.value else '{}'::jsonb end as v) f
  cross join lateral (
    select
      case
        when o.v ->> 'provider' in ('builtin', 'openai_compatible', 'anthropic', 'connection') then o.v ->> 'provider'
        when a.provider is not null then a.provider
        when f.v ->> 'provider' in ('builtin', 'openai_compatible', 'anthropic', 'connection') then f.v ->> 'provider'
        else 'builtin'
      end as provider,
      case
        when o.v ->> 'provider' in ('builtin', 'openai_compatible', 'anthropic', 'connection') then o.v ->> 'provider_connection_id'
        when a.provider is not null then a.provider_connection_id::text
        when f.v ->> 'provider' in ('builtin', 'openai_compatible', 'anthropic', 'connection') then f.v ->> 'provider_connection_id'
      end as connection_ref
  ) p
  left join public.provider_connections c on p.provider = 'connection' and c.project_id = d.project_id
    and c.id = case when p.connection_ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p.connection_ref::uuid end
  where d.id = any (v_ids) and a.enabled
    and exists (select 1 from public.budgets g where g.project_id = d.project_id and (g.agent_id is null or g.agent_id = a.id));

  if v_holds is not null then
    -- Another executor holds one of these budgets only from its reservation to its commit: wait for
    -- it, but not long, so a claim never queues behind a transaction that keeps a budget locked (the
    -- replies saved in the same transaction would wait too). Past that, the deliveries go without a
    -- reservation and the executor reserves them itself, in a reserve_provider_calls call of its own.
    -- provider_calls is locked first, in the order hold_provider_calls takes.
    lock table public.provider_calls in row exclusive mode;
    v_lock_timeout := current_setting('lock_timeout');
    begin
      perform set_config('lock_timeout', '200ms', true);
      perform 1
      from (select distinct h.project_id, h.agent_id from unnest(v_holds) h) k
      join public.budgets b on b.project_id = k.project_id and (b.agent_id is null or b.agent_id = k.agent_id)
      order by b.id
      for no key update of b;
      perform set_config('lock_timeout', v_lock_timeout, true);
      v_uncontended := true;
    exception when lock_not_available then
      -- The block's setting went with it.
      v_uncontended := false;
    end;
    if v_uncontended then
      select jsonb_object_agg(h.delivery_id, a.value) into v_reservations
      from unnest(v_holds) with ordinality as h
      join jsonb_array_elements(public.hold_provider_calls(v_holds)) with ordinality as a (value, n) on a.n = h.ordinality;
    end if;
  end if;

  return (
    select coalesce(jsonb_agg(jsonb_build_object(
      'delivery', u.d,
      'context', case when v_reservations ? (u.d ->> 'id')
        then u.c || jsonb_build_object('reservation', v_reservations -> (u.d ->> 'id')) else u.c end
    ) order by u.n), '[]'::jsonb)
    from unnest(v_deliveries, v_contexts) with ordinality as u (d, c, n)
  );
end;
$$;
comment on function public.claim_chat_delivery_batch(text, integer, uuid, integer) is 'Executor only: claim_chat_deliveries plus each claimed delivery''s load_chat_delivery_context, as a JSON array of {delivery, context}, in one transaction. A delivery a budget covers (context.budgets_apply, agent enabled) has its provider call planned from the tables (the provider, connection and model its settings name; reserved_tokens = the effective max_context_tokens) and reserved in the same transaction (hold_provider_calls) unless another transaction holds one of those budgets (then the executor reserves it itself): context.reservation = {ok, call_id, outcome, reason, budget_id}; ok false means the call would pass a hard limit and must not be made. Without a budget in the claimed deliveries'' projects, nothing of this runs.';

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
  cross join lateral (select public.budget_period_start(b.period, now()) as period_start, public.budget_used(b) as spent) s
  where b.project_id = p_project_id
  order by b.agent_id nulls first, b.period, b.unit
$$;
comment on function public.budget_status(uuid) is 'Each budget of the project with its current UTC period''s start and spend (budget_used: tokens or usd, calls in flight included) and whether it is used up. Security invoker: members see their projects'' budgets.';

drop function public.plan_claimed_provider_call(jsonb);
drop function public.price_reservation(uuid, text, text, integer);
