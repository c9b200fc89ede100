-- Close two leaks to browser roles (issue 13, "Leaks"):
-- * labs_feature_enabled() kept the default execute grant of `public`, so the anon key (and any
--   signed-in user, for any project id) could ask it. The anon key may only sign in: revoke it, and
--   answer a signed-in user only about projects they are a member of.
-- * executor_presence was readable by every signed-in user (`using (true)`), exposing every
--   executor's id (host name and pid), version and Control API URL. An executor row names no project:
--   an executor serves a project when it has claimed that project's work (chat deliveries, runs,
--   approved actions, rollbacks, scheduled job runs; `claimed_by` keeps the id after the work is
--   done). Members see exactly the executors that have served their projects. This is the narrowest
--   rule that still answers "which executor is working for us": an executor that never touched a
--   project's work tells its members nothing they need, and the dashboard reads its own executor's
--   health from the Control API, not from this table. The service role (executor, verify:realtime)
--   still reads every row.
-- Also revokes the trigger function create_agent_status_row() from browser roles: triggers fire
-- without an execute check, and a security definer function must not be callable by anon.

create or replace function public.labs_feature_enabled(target_project uuid, feature text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select (s.value ->> feature)::boolean
    from public.project_settings s
    where s.project_id = target_project and s.key = 'labs_features'
      -- A signed-in user learns only about their own projects; the service role and the RPCs'
      -- owner (which check membership first) read any project.
      and ((select auth.role()) is distinct from 'authenticated' or public.has_project_role(target_project))
  ), false)
$$;
comment on function public.labs_feature_enabled(uuid, text) is 'True when the project has turned the labs feature on in project_settings.labs_features. A signed-in user gets false for a project they are not a member of; anon may not call it.';
revoke execute on function public.labs_feature_enabled(uuid, text) from public, anon;
grant execute on function public.labs_feature_enabled(uuid, text) to authenticated, service_role;

revoke execute on function public.create_agent_status_row() from public, anon, authenticated;
grant execute on function public.create_agent_status_row() to service_role;

-- Finding an executor's claims by its id (the policy below asks once per presence row and event).
create index if not exists chat_delivery_queue_claimed_by_idx on public.chat_delivery_queue (claimed_by, project_id) where claimed_by is not null;
create index if not exists ai_runs_claimed_by_idx on public.ai_runs (claimed_by, project_id) where claimed_by is not null;
create index if not exists action_proposals_claimed_by_idx on public.action_proposals (claimed_by, project_id) where claimed_by is not null;
create index if not exists changesets_rollback_claimed_by_idx on public.changesets (rollback_claimed_by, project_id) where rollback_claimed_by is not null;
create index if not exists cron_job_runs_claimed_by_idx on public.cron_job_runs (claimed_by, project_id) where claimed_by is not null;

create or replace function public.executor_serves_member(p_executor_id text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.project_members m
    where m.user_id = (select auth.uid())
      and (
        exists (select 1 from public.chat_delivery_queue d where d.claimed_by = p_executor_id and d.project_id = m.project_id)
        or exists (select 1 from public.ai_runs r where r.claimed_by = p_executor_id and r.project_id = m.project_id)
        or exists (select 1 from public.action_proposals a where a.claimed_by = p_executor_id and a.project_id = m.project_id)
        or exists (select 1 from public.changesets c where c.rollback_claimed_by = p_executor_id and c.project_id = m.project_id)
        or exists (select 1 from public.cron_job_runs j where j.claimed_by = p_executor_id and j.project_id = m.project_id)
      )
  )
$$;
comment on function public.executor_serves_member(text) is 'True when the executor has claimed work (a chat delivery, run, approved action, rollback or scheduled job run) of a project the signed-in user is a member of. The read rule of executor_presence.';
revoke execute on function public.executor_serves_member(text) from public, anon;
grant execute on function public.executor_serves_member(text) to authenticated, service_role;

drop policy if exists "Signed-in users can see which executors are running" on public.executor_presence;
drop policy if exists "Members can see the executors that serve their projects" on public.executor_presence;
create policy "Members can see the executors that serve their projects" on public.executor_presence
  for select to authenticated
  using (public.executor_serves_member(id));

comment on table public.executor_presence is 'One row per executor process: version, Control API URL, last heartbeat, and when it stopped cleanly. Written by the executor (service role) only; a member reads the executors that have claimed work of their projects (executor_serves_member).';
