-- A new task nobody is assigned to goes to the agent whose capabilities match it best, as a Team
-- Room message without a mention does (route_agent), falling back to the lead. Routing is asked
-- for, not a trigger on every insert: the New task form's "Best match" and the task page's "Route
-- to best match" call route_task, and a task created unassigned any other way (the API, "Promote
-- to task", tests) stays in the inbox. Assigning it queues the implement run through the existing
-- assignment trigger; the operator re-routes by picking another agent in the Assignee field.
--
-- Every refusal is a 4xx at the gateway: 42501 (403) for a viewer, a non-member or an unknown task,
-- 22023 (400) for a task already assigned or a project without an enabled agent.

create or replace function public.route_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_route jsonb;
  v_agent text;
  v_line text;
begin
  -- The row lock serialises two routes of one task (a double click, two operators): the second
  -- finds it assigned. Nothing below locks a run, so this cannot deadlock with a claim.
  select * into v_task from public.tasks where id = p_task_id for no key update;
  if not found or not public.has_project_role(v_task.project_id) then
    raise exception 'Task % not found', p_task_id
      using errcode = '42501', hint = 'Route a task of a project you are a member of.';
  end if;
  if not public.has_project_role(v_task.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can route tasks'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if v_task.assignee_agent_key is not null then
    raise exception 'This task is already assigned to @%: pick another agent in the Assignee field to re-route it', v_task.assignee_agent_key
      using errcode = '22023';
  end if;

  v_route := public.route_agent(v_task.project_id, v_task.title || E'\n' || v_task.description);
  v_agent := v_route ->> 'agent_key';
  if v_agent is null then
    raise exception 'There is no enabled agent in this project to route the task to: enable an agent on the Agents page'
      using errcode = '22023';
  end if;
  -- "Routed to @backend: sql, migrations", or "Routed to @lead: no capability matched: the lead answers".
  v_line := 'Routed to @' || v_agent || ': ' || regexp_replace(v_route ->> 'reason', '^routed to @[a-z0-9_-]+: ', '');

  insert into public.task_events (project_id, task_id, kind, author_type, content, metadata)
  values (v_task.project_id, p_task_id, 'comment', 'system', v_line,
          jsonb_build_object('kind', 'routed', 'routed_reason', v_route ->> 'reason', 'agent_key', v_agent));
  -- The assignment trigger queues the agent's implement run; a status change records its own event.
  update public.tasks
  set assignee_agent_key = v_agent,
      status = case when status = 'inbox' then 'assigned' else status end
  where id = p_task_id;

  return jsonb_build_object('task_id', p_task_id, 'agent_key', v_agent, 'reason', v_line);
end;
$$;
comment on function public.route_task(uuid) is 'Operators and owners: assigns an unassigned task to the agent route_agent picks for its title and description (capability tags as words, else the lead), moving it from inbox to assigned, which queues that agent''s implement run (start_run_on_assignment), and writes the reason in the task thread as a system comment ("Routed to @backend: sql, migrations"; metadata {kind: routed, routed_reason, agent_key}). Answers {task_id, agent_key, reason} (reason = that line). Errors: 42501 not a member, unknown task or a viewer; 22023 the task is already assigned (re-route it with the Assignee field) or the project has no enabled agent.';
revoke all on function public.route_task(uuid) from public, anon;
grant execute on function public.route_task(uuid) to authenticated, service_role;
