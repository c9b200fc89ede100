-- Runs start where the work is, in SQL so they start with the executor down (Backup mode): a task
-- assigned to an agent, a comment or an @mention in a task thread, a slash command in a task
-- thread, the Team Room or a DM (/plan, /implement, /test, /cancel, /handoff). A Team Room message
-- that mentions nobody goes to the agent whose capabilities match it best, with the reason.

create or replace function public.parse_run_command(p_text text) returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_match text[];
begin
  -- "/plan @backend: add an index" -> {command: plan, agent_key: backend, text: "add an index"}.
  -- "/planet" or "/deploy" is not a command: the message is an ordinary one.
  v_match := regexp_match(coalesce(p_text, ''),
    '^\s*/(plan|implement|test|cancel|handoff)(?:\s+@([a-z][a-z0-9_-]{0,31})[:,]?)?(?:\s+(.*))?\s*$');
  if v_match is null then
    return null;
  end if;
  return jsonb_build_object('command', v_match[1], 'agent_key', v_match[2], 'text', btrim(coalesce(v_match[3], '')));
end;
$$;
comment on function public.parse_run_command(text) is 'Parses a slash command: "/plan|/implement|/test [@agent] rest", "/cancel [@agent]", "/handoff @agent note" -> {command, agent_key (null when none is named), text}; null when the text is not a command (an unknown /word included).';
revoke all on function public.parse_run_command(text) from public, anon;
grant execute on function public.parse_run_command(text) to authenticated, service_role;

create or replace function public.route_agent(p_project_id uuid, p_text text) returns jsonb
language sql
stable
set search_path = ''
as $$
  with candidates as (
    select a.agent_key, a.created_at,
      array(
        select u.tag from unnest(a.capabilities) with ordinality as u(tag, n)
        -- A tag counts when it appears as a word: not inside a longer word (sql in "mysql" does not count).
        where lower(coalesce(p_text, '')) ~ ('(^|[^a-z0-9_])' || regexp_replace(u.tag, '([.+-])', '\\\1', 'g') || '($|[^a-z0-9_])')
        order by u.n
      ) as matched
    from public.agents a
    where a.project_id = p_project_id and a.enabled
  ),
  best as (
    select * from candidates
    order by cardinality(matched) desc, (agent_key = 'lead') desc, created_at, agent_key
    limit 1
  )
  select case
    when b.agent_key is null then jsonb_build_object('agent_key', null, 'reason', 'no enabled agent: enable one on the Agents page')
    when cardinality(b.matched) = 0 then jsonb_build_object('agent_key', b.agent_key, 'reason', 'no capability matched: the lead answers')
    else jsonb_build_object('agent_key', b.agent_key, 'reason', 'routed to @' || b.agent_key || ': ' || array_to_string(b.matched, ', '))
  end
  from (select 1) as one
  left join best b on true
$$;
comment on function public.route_agent(uuid, text) is 'Deterministic routing: the enabled agent whose capability tags appear most as words in the text (ties: the agent keyed lead, then the oldest), with the reason in one line ("routed to @backend: sql, migrations"); when no tag matches, the lead (the agent keyed lead, else the oldest enabled one) with "no capability matched: the lead answers". Answers {agent_key, reason}; agent_key is null when the project has no enabled agent. Runs with the caller''s rights.';
revoke all on function public.route_agent(uuid, text) from public, anon;
grant execute on function public.route_agent(uuid, text) to authenticated, service_role;

create or replace function public.start_run_on_assignment() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run_id uuid;
begin
  if new.assignee_agent_key is null
     or coalesce(current_setting('mission_control.skip_assignment_run', true), '') = new.id::text then
    return null;
  end if;
  -- Renaming an agent carries its tasks along (the foreign key's action): that is not a new assignment.
  if tg_op = 'UPDATE' and old.assignee_agent_key is not null
     and not exists (select 1 from public.agents a where a.project_id = old.project_id and a.agent_key = old.assignee_agent_key) then
    return null;
  end if;
  if not exists (select 1 from public.agents a where a.project_id = new.project_id and a.agent_key = new.assignee_agent_key and a.enabled) then
    return null;
  end if;
  if tg_op = 'UPDATE' and old.assignee_agent_key is not null then
    for v_run_id in
      select r.id from public.ai_runs r
      where r.task_id = new.id and r.agent_key = old.assignee_agent_key and r.status = 'queued'
      -- A run an executor is claiming right now is left to run (its claim locks it, then this task).
      for no key update skip locked
    loop
      perform public.stop_ai_run(v_run_id, 'The task was reassigned to @' || new.assignee_agent_key, auth.uid());
    end loop;
  end if;
  perform public.queue_ai_run(
    new.project_id, new.assignee_agent_key, 'implement', 'assignment',
    new.title || case when btrim(new.description) <> '' then E'\n\n' || new.description else '' end,
    '', new.id
  );
  return null;
end;
$$;
comment on function public.start_run_on_assignment() is 'Trigger on tasks: a task created with an assignee, or assigned to another agent, queues an implement run (origin assignment, goal = title and description) for that agent when it is enabled, and cancels the previous assignee''s queued runs on the task. A rename carried along by the foreign key and a hand-off (which queues its own run) start nothing.';
revoke all on function public.start_run_on_assignment() from public, anon, authenticated;

create trigger tasks_start_run_on_insert after insert on public.tasks
  for each row when (new.assignee_agent_key is not null)
  execute function public.start_run_on_assignment();
create trigger tasks_start_run_on_assignment after update of assignee_agent_key on public.tasks
  for each row when (old.assignee_agent_key is distinct from new.assignee_agent_key and new.assignee_agent_key is not null)
  execute function public.start_run_on_assignment();

create or replace function public.start_runs_from_task_comment() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_command jsonb := public.parse_run_command(new.content);
  v_name text := v_command ->> 'command';
  v_agent text;
  v_goal text;
  v_run_id uuid;
  v_mentioned text[];
begin
  select * into v_task from public.tasks where id = new.task_id;
  if v_command is not null then
    v_agent := coalesce(v_command ->> 'agent_key', case when v_name in ('plan', 'implement', 'test') then v_task.assignee_agent_key end);
    if v_name = 'cancel' then
      for v_run_id in
        select r.id from public.ai_runs r
        where r.task_id = new.task_id and r.status in ('queued', 'running', 'needs_approval') and (v_agent is null or r.agent_key = v_agent)
        order by r.created_at
      loop
        perform public.stop_ai_run(v_run_id, 'Cancelled with /cancel in the task thread', new.author_user_id);
      end loop;
      return null;
    end if;
    if v_agent is null then
      raise exception 'Name the agent: /% @agent %', v_name, case when v_name = 'handoff' then '<note>' else '<goal>' end
        using errcode = '22023', hint = case when v_name = 'handoff' then 'Say who takes the task over.' else 'Or assign the task to an agent first.' end;
    end if;
    if v_name = 'handoff' then
      perform public.hand_off_task(new.task_id, v_agent, v_command ->> 'text', new.author_user_id);
      return null;
    end if;
    v_goal := coalesce(nullif(v_command ->> 'text', ''), case when v_name = 'test' then 'Run the project''s tests' end,
                       v_task.title || case when btrim(v_task.description) <> '' then E'\n\n' || v_task.description else '' end);
    perform public.queue_ai_run(new.project_id, v_agent, v_name, 'command', v_goal, '', new.task_id,
                                p_source_task_event_id => new.id, p_requested_by => new.author_user_id);
    return null;
  end if;

  -- Each mentioned enabled agent (at most 3, in the order they are mentioned) plans; else the assignee does.
  select array(
    select m.agent_key
    from (
      select x.match[2] as agent_key, min(x.n) as first_at
      from regexp_matches(new.content, '(^|[^A-Za-z0-9_.])@([a-z][a-z0-9_-]{0,31})', 'g') with ordinality as x(match, n)
      group by x.match[2]
    ) m
    join public.agents a on a.project_id = new.project_id and a.agent_key = m.agent_key and a.enabled
    order by m.first_at
    limit 3
  ) into v_mentioned;
  if cardinality(v_mentioned) > 0 then
    foreach v_agent in array v_mentioned loop
      perform public.queue_ai_run(new.project_id, v_agent, 'plan', 'mention', new.content, '', new.task_id,
                                  p_source_task_event_id => new.id, p_requested_by => new.author_user_id);
    end loop;
  elsif v_task.assignee_agent_key is not null
        and exists (select 1 from public.agents a where a.project_id = new.project_id and a.agent_key = v_task.assignee_agent_key and a.enabled) then
    perform public.queue_ai_run(new.project_id, v_task.assignee_agent_key, 'plan', 'comment', new.content, '', new.task_id,
                                p_source_task_event_id => new.id, p_requested_by => new.author_user_id);
  end if;
  return null;
end;
$$;
comment on function public.start_runs_from_task_comment() is 'Trigger on task_events: a person''s comment in a task thread starts work. A slash command runs it (the named agent, else the assignee; /cancel cancels the task''s active runs, /handoff hands the task over); otherwise each mentioned enabled agent (at most 3) gets a plan run (origin mention), else the enabled assignee does (origin comment). The goal is the comment. A command naming no agent on an unassigned task, or an agent that is not enabled, refuses the comment with a sentence.';
revoke all on function public.start_runs_from_task_comment() from public, anon, authenticated;

create trigger task_events_start_runs after insert on public.task_events
  for each row when (new.kind = 'comment' and new.author_type = 'user' and new.legacy_source is null)
  execute function public.start_runs_from_task_comment();

create or replace function public.send_chat_message(
  p_project_id uuid,
  p_thread_key text,
  p_content text,
  p_message_id uuid default null,
  p_target_agent_keys text[] default null
)
returns public.project_chat_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.project_chat_messages;
  v_thread_id uuid;
  v_kind text;
  v_agent_key text;
  v_targets text[];
  v_command jsonb := public.parse_run_command(p_content);
  v_name text := v_command ->> 'command';
  v_route jsonb;
  v_metadata jsonb := '{}'::jsonb;
  v_run_agent text;
  v_goal text;
  v_run public.ai_runs;
  v_last public.ai_runs;
  v_from text;
  v_run_id uuid;
  v_cancelled uuid[] := '{}';
begin
  if not public.has_project_role(p_project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can send messages'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_content is null or length(btrim(p_content)) = 0 then
    raise exception 'A message needs some text' using errcode = '22023';
  end if;

  -- The client picks the id, so a resend after a lost response returns the same message.
  if p_message_id is not null then
    select * into v_message from public.project_chat_messages where id = p_message_id;
    if found then
      if v_message.project_id <> p_project_id then
        raise exception 'Message id % belongs to another project', p_message_id using errcode = '23505';
      end if;
      return v_message;
    end if;
  end if;

  if p_thread_key = 'team-room' then
    v_kind := 'team_room';
    if not public.labs_feature_enabled(p_project_id, 'team_room') then
      raise exception 'The Team Room is a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if v_command is null then
      if p_target_agent_keys is not null and cardinality(p_target_agent_keys) > 0 then
        v_targets := p_target_agent_keys;
      else
        select array_agg(distinct m[1]) into v_targets
        from regexp_matches(p_content, '@([a-z][a-z0-9_-]{0,31})', 'g') as m;
      end if;
      select array_agg(a.agent_key order by a.agent_key) into v_targets
      from public.agents a
      where a.project_id = p_project_id and a.enabled and a.agent_key = any (coalesce(v_targets, '{}'));
      if v_targets is null then
        -- Nobody mentioned: the agent whose capabilities match best answers, else the lead.
        v_route := public.route_agent(p_project_id, p_content);
        if v_route ->> 'agent_key' is not null then
          v_targets := array[v_route ->> 'agent_key'];
          v_metadata := jsonb_build_object('routed_reason', v_route ->> 'reason');
        end if;
      end if;
    end if;
  elsif p_thread_key like 'DM:%' then
    v_kind := 'dm';
    v_agent_key := substr(p_thread_key, 4);
    if not public.labs_feature_enabled(p_project_id, 'dms') then
      raise exception 'Direct messages are a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = v_agent_key and a.enabled) then
      raise exception 'There is no enabled agent "%" in this project', v_agent_key
        using errcode = 'P0002', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
    end if;
    v_targets := array[v_agent_key];
  else
    raise exception 'Unknown thread "%"', p_thread_key
      using errcode = '22023', hint = 'Use team-room or DM:<agent_key>.';
  end if;

  if v_command is not null then
    -- A command runs an agent instead of chatting with it: the named agent, else the DM's, else the routed one.
    v_run_agent := coalesce(v_command ->> 'agent_key', v_agent_key);
    if v_run_agent is null and v_name in ('plan', 'implement', 'test') then
      v_route := public.route_agent(p_project_id, coalesce(nullif(v_command ->> 'text', ''), p_content));
      v_run_agent := v_route ->> 'agent_key';
      if v_run_agent is null then
        raise exception 'There is no enabled agent in this project to run /%', v_name
          using errcode = 'P0002', hint = 'Enable an agent on the Agents page.';
      end if;
      v_metadata := jsonb_build_object('routed_reason', v_route ->> 'reason');
    end if;
    if v_run_agent is null and v_name = 'handoff' then
      raise exception 'Name the agent to hand over to: /handoff @agent <note>' using errcode = '22023', hint = 'Say who takes the work over.';
    end if;
    if v_run_agent is not null
       and not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = v_run_agent and a.enabled) then
      raise exception 'There is no enabled agent @% in this project', v_run_agent
        using errcode = 'P0002', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
    end if;
    if v_name in ('plan', 'implement') and v_command ->> 'text' = '' then
      raise exception 'Say what to %: /% [@agent] <goal>', v_name, v_name using errcode = '22023';
    end if;
    v_targets := case when v_run_agent is null then '{}' else array[v_run_agent] end;
    v_metadata := v_metadata || jsonb_build_object('command', v_name);
  end if;

  insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
  values (p_project_id, v_kind, p_thread_key, v_agent_key, case when v_kind = 'team_room' then 'Team Room' else 'DM with ' || v_agent_key end)
  on conflict (project_id, thread_key) do nothing;
  select t.id into v_thread_id from public.project_chat_threads t where t.project_id = p_project_id and t.thread_key = p_thread_key;

  insert into public.project_chat_messages (id, project_id, thread_id, author_type, author_user_id, target_agent_keys, content, metadata)
  values (coalesce(p_message_id, extensions.gen_random_uuid()), p_project_id, v_thread_id, 'user', auth.uid(), coalesce(v_targets, '{}'), p_content, v_metadata)
  returning * into v_message;

  if v_command is null then
    insert into public.chat_delivery_queue (project_id, message_id, agent_key)
    select p_project_id, v_message.id, t from unnest(coalesce(v_targets, '{}')) as t;
    return v_message;
  end if;

  if v_name in ('plan', 'implement', 'test') then
    v_goal := coalesce(nullif(v_command ->> 'text', ''), 'Run the project''s tests');
    v_run := public.queue_ai_run(p_project_id, v_run_agent, v_name, 'command', v_goal, '', null, v_thread_id,
                                 p_source_message_id => v_message.id, p_requested_by => auth.uid());
  elsif v_name = 'cancel' then
    for v_run_id in
      select r.id from public.ai_runs r
      where r.thread_id = v_thread_id and r.status in ('queued', 'running', 'needs_approval') and (v_run_agent is null or r.agent_key = v_run_agent)
      order by r.created_at
    loop
      perform public.stop_ai_run(v_run_id, 'Cancelled with /cancel in the chat', auth.uid());
      v_cancelled := v_cancelled || v_run_id;
    end loop;
  else
    -- /handoff: the work last started in this thread goes to the named agent, with the note.
    select * into v_last from public.ai_runs r where r.thread_id = v_thread_id order by r.created_at desc limit 1;
    if not found then
      raise exception 'There is no run in this thread to hand over' using errcode = '55000',
        hint = 'Start one with /plan or /implement, or hand a task over from its thread.';
    end if;
    if v_last.task_id is not null then
      v_run := public.hand_off_task(v_last.task_id, v_run_agent, v_command ->> 'text', auth.uid());
    else
      v_from := v_last.agent_key;
      for v_run_id in
        select r.id from public.ai_runs r
        where r.thread_id = v_thread_id and r.status in ('queued', 'running', 'needs_approval')
        order by r.created_at
      loop
        perform public.stop_ai_run(v_run_id, 'Handed off to @' || v_run_agent, auth.uid());
        v_cancelled := v_cancelled || v_run_id;
      end loop;
      v_run := public.queue_ai_run(
        p_project_id, v_run_agent, v_last.mode, 'handoff', v_last.goal,
        case when v_command ->> 'text' <> '' then 'Hand-off note from @' || v_from || ': ' || (v_command ->> 'text') else '' end,
        null, v_thread_id,
        p_participants => case when v_from <> v_run_agent then array[v_from, v_run_agent] else array[v_run_agent] end,
        p_source_message_id => v_message.id, p_requested_by => auth.uid()
      );
      insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
      values (p_project_id, v_run.id, 'handoff', v_run_agent,
              left('Handed off from @' || v_from || ' to @' || v_run_agent || coalesce(': ' || nullif(v_command ->> 'text', ''), ''), 500),
              jsonb_build_object('from', v_from, 'to', v_run_agent, 'note', v_command ->> 'text'));
    end if;
  end if;

  update public.project_chat_messages
  set metadata = metadata || jsonb_strip_nulls(jsonb_build_object('run_id', v_run.id, 'agent_key', v_run_agent,
                                                                  'cancelled_run_ids', case when v_name = 'cancel' then to_jsonb(v_cancelled) end))
  where id = v_message.id
  returning * into v_message;
  return v_message;
end;
$$;
comment on function public.send_chat_message(uuid, text, text, uuid, text[]) is 'Sends an operator message to the Team Room or a DM in one transaction, idempotent by p_message_id. An ordinary message queues one delivery per target agent: the mentioned ones (or p_target_agent_keys), else in the Team Room the agent route_agent picks (its reason in metadata.routed_reason), in a DM the DM''s agent. A slash command (parse_run_command) is stored the same way but runs instead of chatting: /plan, /implement, /test queue a run (origin command, this thread, source_message_id) for the named agent, else the DM''s, else the routed one; /cancel cancels the thread''s active runs; /handoff hands the thread''s last run (or its task) to the named agent. metadata carries command, run_id and agent_key.';
