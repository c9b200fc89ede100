-- The executor mails invites (executor/src/invites): it claims queued invites with a lease, mails
-- each through the auth admin API and reports the outcome. A failed attempt stays queued with its
-- error and a back-off (15 s, 30 s, 60 s, 120 s) until the fifth, which fails the invite for good;
-- an error the executor knows is permanent (the address is refused) fails it at once.

create or replace function public.claim_project_invites(p_executor_id text, p_limit integer default 10, p_project_ids uuid[] default null)
returns table (
  id uuid, project_id uuid, project_slug text, project_name text, email text, role text, attempts integer, invited_by_email text
)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  if p_executor_id is null or btrim(p_executor_id) = '' then
    raise exception 'claim_project_invites needs the executor id' using errcode = '22023';
  end if;
  return query
  with picked as (
    select i.id from public.project_invites i
    where i.status = 'queued' and i.available_at <= now()
      -- A claim older than two minutes belongs to an executor that died mid-send: take it over.
      and (i.claimed_at is null or i.claimed_at < now() - interval '2 minutes')
      and (p_project_ids is null or i.project_id = any (p_project_ids))
    order by i.available_at, i.created_at
    limit greatest(1, least(coalesce(p_limit, 10), 100))
    for update skip locked
  ), claimed as (
    update public.project_invites i
    set claimed_by = p_executor_id, claimed_at = now(), attempts = i.attempts + 1
    from picked
    where i.id = picked.id
    returning i.*
  )
  select c.id, c.project_id, p.slug, p.name, c.email, c.role, c.attempts, u.email::text
  from claimed c
  join public.projects p on p.id = c.project_id
  left join auth.users u on u.id = c.invited_by
  order by c.available_at, c.created_at;
end;
$$;
comment on function public.claim_project_invites(text, integer, uuid[]) is 'Executor only: claims up to p_limit queued invites that are due (for update skip locked; a claim held over two minutes is taken over), counting the attempt; of every project, or only of p_project_ids. Answers each with its project''s slug and name and the inviter''s address.';
revoke all on function public.claim_project_invites(text, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_project_invites(text, integer, uuid[]) to service_role;

create or replace function public.finish_project_invite(
  p_invite_id uuid,
  p_status text,
  p_error text default null,
  p_retry boolean default true,
  p_executor_id text default null
)
returns public.project_invites
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invite public.project_invites;
  v_error text := left(nullif(btrim(coalesce(p_error, '')), ''), 2000);
begin
  if p_status is null or p_status not in ('sent', 'failed') then
    raise exception 'An invite finishes as sent or failed, not "%"', left(coalesce(p_status, ''), 50) using errcode = '22023';
  end if;
  select * into v_invite from public.project_invites where id = p_invite_id for update;
  if not found then
    raise exception 'Invite % does not exist (its project was deleted)', p_invite_id using errcode = 'PT404';
  end if;
  -- Revoked or accepted while the mail was going out: the outcome no longer matters.
  if v_invite.status <> 'queued' then
    return v_invite;
  end if;
  if p_executor_id is not null and v_invite.claimed_by is distinct from p_executor_id then
    raise exception 'Invite % is no longer claimed by executor %: another executor took it over', p_invite_id, p_executor_id
      using errcode = 'PT409';
  end if;
  if p_status = 'sent' then
    update public.project_invites
    set status = 'sent', sent_at = now(), error = null, claimed_by = null, claimed_at = null
    where id = p_invite_id
    returning * into v_invite;
  elsif p_retry and v_invite.attempts < 5 then
    update public.project_invites
    set error = coalesce(v_error, 'The invite mail could not be sent'), claimed_by = null, claimed_at = null,
        available_at = now() + make_interval(secs => 15 * power(2, greatest(v_invite.attempts, 1) - 1))
    where id = p_invite_id
    returning * into v_invite;
  else
    update public.project_invites
    set status = 'failed', error = coalesce(v_error, 'The invite mail could not be sent'), claimed_by = null, claimed_at = null
    where id = p_invite_id
    returning * into v_invite;
    insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
    values (v_invite.project_id, 'system', coalesce(p_executor_id, 'executor'), 'member.invite_failed',
            left(format('Could not mail the invite of %s: %s. Check the address and invite again', v_invite.email, v_invite.error), 1000),
            jsonb_build_object('invite_id', v_invite.id, 'email', v_invite.email));
  end if;
  return v_invite;
end;
$$;
comment on function public.finish_project_invite(uuid, text, text, boolean, text) is 'Executor only: records the outcome of mailing a claimed invite. sent stamps sent_at; failed keeps it queued with the error and a back-off while p_retry and fewer than 5 attempts were made, else fails it (with an activity). An invite revoked or accepted meanwhile is returned unchanged; 409 when p_executor_id no longer holds the claim.';
revoke all on function public.finish_project_invite(uuid, text, text, boolean, text) from public, anon, authenticated;
grant execute on function public.finish_project_invite(uuid, text, text, boolean, text) to service_role;
