-- What Settings → Members calls (issue 12): invite an address, revoke an invite, change a role,
-- remove a member or leave, list the members with their addresses. Each is a security-definer
-- function with its own permission check, because the rules are not per row (a member may delete
-- their own membership; an invite must not name an existing member) and because the addresses
-- live in auth.users, which no API role reads. Errors: 42501 (403) not allowed, 22023 (400) bad
-- input, PT404 (404) not found, PT409 (409) conflict; each message says what to do.

create or replace function public.invite_project_member(p_project_id uuid, p_email text, p_role text)
returns public.project_invites
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_member_role text;
  v_invite public.project_invites;
begin
  if p_project_id is null or not public.has_project_role(p_project_id, array['owner']) then
    raise exception 'Only owners of a project can invite members: ask an owner of the project to invite them'
      using errcode = '42501';
  end if;
  if length(v_email) not between 3 and 254 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception '"%" is not an email address: type one like name@example.com', left(coalesce(p_email, ''), 100)
      using errcode = '22023';
  end if;
  if p_role is null or p_role not in ('owner', 'operator', 'viewer') then
    raise exception 'The role "%" does not exist: choose owner, operator or viewer', left(coalesce(p_role, ''), 50)
      using errcode = '22023';
  end if;
  select m.role into v_member_role
  from auth.users u
  join public.project_members m on m.user_id = u.id and m.project_id = p_project_id
  where lower(u.email) = v_email;
  if found then
    raise exception '% is already a member of this project (%): change their role in the members list instead', v_email, v_member_role
      using errcode = 'PT409';
  end if;
  -- Inviting an address again (still queued, sent, or failed) changes the role and mails it again.
  insert into public.project_invites as i (project_id, email, role, invited_by)
  values (p_project_id, v_email, p_role, auth.uid())
  on conflict (project_id, email) where status in ('queued', 'sent', 'failed') do update
  set role = excluded.role, invited_by = excluded.invited_by, status = 'queued', error = null, attempts = 0,
      available_at = now(), claimed_by = null, claimed_at = null, sent_at = null
  returning * into v_invite;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (p_project_id, 'user', auth.uid()::text, 'member.invited', left(format('Invited %s as %s', v_email, p_role), 1000),
          jsonb_build_object('invite_id', v_invite.id, 'email', v_email, 'role', p_role));
  return v_invite;
end;
$$;
comment on function public.invite_project_member(uuid, text, text) is 'Owners only: invites an email address (lower-cased) to the project with a role, queued for the executor to mail. 400 for a bad address or role, 409 when the address is already a member; inviting a pending (queued, sent or failed) address again updates its role and requeues the mail. Returns the invite.';
revoke all on function public.invite_project_member(uuid, text, text) from public, anon;
grant execute on function public.invite_project_member(uuid, text, text) to authenticated, service_role;

create or replace function public.revoke_project_invite(p_invite_id uuid)
returns public.project_invites
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invite public.project_invites;
begin
  select * into v_invite from public.project_invites where id = p_invite_id for update;
  if not found then
    raise exception 'This invite does not exist (it was deleted with its project): reload the members list'
      using errcode = 'PT404';
  end if;
  if not public.has_project_role(v_invite.project_id, array['owner']) then
    raise exception 'Only owners of a project can revoke its invites: ask an owner of the project'
      using errcode = '42501';
  end if;
  if v_invite.status = 'accepted' then
    raise exception '% already accepted this invite: remove the member from the members list instead', v_invite.email
      using errcode = 'PT409';
  end if;
  if v_invite.status = 'revoked' then
    return v_invite;
  end if;
  update public.project_invites
  set status = 'revoked', revoked_at = now(), claimed_by = null, claimed_at = null
  where id = p_invite_id
  returning * into v_invite;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (v_invite.project_id, 'user', auth.uid()::text, 'member.invite_revoked',
          left(format('Revoked the invite of %s', v_invite.email), 1000),
          jsonb_build_object('invite_id', v_invite.id, 'email', v_invite.email));
  return v_invite;
end;
$$;
comment on function public.revoke_project_invite(uuid) is 'Owners only: revokes an invite that was not accepted (its link no longer joins the project; a mail being sent still goes out but joins nothing). Idempotent; 404 unknown invite, 409 already accepted. Returns the invite.';
revoke all on function public.revoke_project_invite(uuid) from public, anon;
grant execute on function public.revoke_project_invite(uuid) to authenticated, service_role;

create or replace function public.change_project_member_role(p_project_id uuid, p_user_id uuid, p_role text)
returns public.project_members
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member public.project_members;
  v_old_role text;
  v_email text;
begin
  if p_project_id is null or not public.has_project_role(p_project_id, array['owner']) then
    raise exception 'Only owners of a project can change member roles: ask an owner of the project'
      using errcode = '42501';
  end if;
  if p_role is null or p_role not in ('owner', 'operator', 'viewer') then
    raise exception 'The role "%" does not exist: choose owner, operator or viewer', left(coalesce(p_role, ''), 50)
      using errcode = '22023';
  end if;
  select m.role into v_old_role from public.project_members m
  where m.project_id = p_project_id and m.user_id = p_user_id
  for update;
  if not found then
    raise exception 'That user is not a member of this project (they left or were removed): reload the members list'
      using errcode = 'PT404';
  end if;
  -- The last owner's demotion is refused by the project_members_keep_an_owner trigger (409).
  update public.project_members m set role = p_role
  where m.project_id = p_project_id and m.user_id = p_user_id
  returning * into v_member;
  if v_old_role <> p_role then
    select u.email into v_email from auth.users u where u.id = p_user_id;
    insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
    values (p_project_id, 'user', auth.uid()::text, 'member.role_changed',
            left(format('Changed the role of %s from %s to %s', coalesce(v_email, p_user_id::text), v_old_role, p_role), 1000),
            jsonb_build_object('user_id', p_user_id, 'from', v_old_role, 'to', p_role));
  end if;
  return v_member;
end;
$$;
comment on function public.change_project_member_role(uuid, uuid, text) is 'Owners only: gives a member another role (an owner may demote themselves while another owner remains). 400 bad role, 404 not a member, 409 when it would leave the project without an owner. Returns the membership.';
revoke all on function public.change_project_member_role(uuid, uuid, text) from public, anon;
grant execute on function public.change_project_member_role(uuid, uuid, text) to authenticated, service_role;

create or replace function public.remove_project_member(p_project_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_self boolean := p_user_id is not null and p_user_id = auth.uid();
  v_removed public.project_members;
  v_email text;
begin
  if p_project_id is null or not public.has_project_role(p_project_id) then
    raise exception 'You are not a member of this project: only its members can leave it, and only its owners remove members'
      using errcode = '42501';
  end if;
  if not v_self and not public.has_project_role(p_project_id, array['owner']) then
    raise exception 'Only owners of a project can remove other members: ask an owner, or leave the project yourself'
      using errcode = '42501';
  end if;
  -- The last owner's removal (or leaving) is refused by the project_members_keep_an_owner trigger (409).
  delete from public.project_members m
  where m.project_id = p_project_id and m.user_id = p_user_id
  returning * into v_removed;
  if v_removed.user_id is null then
    raise exception 'That user is not a member of this project (they left or were removed): reload the members list'
      using errcode = 'PT404';
  end if;
  select u.email into v_email from auth.users u where u.id = p_user_id;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (p_project_id, 'user', auth.uid()::text, case when v_self then 'member.left' else 'member.removed' end,
          left(case when v_self then format('%s left the project', coalesce(v_email, 'A member'))
                    else format('Removed %s (%s) from the project', coalesce(v_email, p_user_id::text), v_removed.role) end, 1000),
          jsonb_build_object('user_id', p_user_id, 'role', v_removed.role));
end;
$$;
comment on function public.remove_project_member(uuid, uuid) is 'Owners remove any member; every member may remove themselves (leave). 403 otherwise, 404 not a member, 409 for the last owner (make another member an owner first).';
revoke all on function public.remove_project_member(uuid, uuid) from public, anon;
grant execute on function public.remove_project_member(uuid, uuid) to authenticated, service_role;

create or replace function public.list_project_members(p_project_id uuid)
returns table (user_id uuid, email text, role text, joined_at timestamptz, last_sign_in_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_project_id is null or not public.has_project_role(p_project_id) then
    raise exception 'You are not a member of this project: ask one of its owners to invite you'
      using errcode = '42501';
  end if;
  -- Only the addresses of this project's members: nobody reads auth.users through this.
  return query
  select m.user_id, u.email::text, m.role, m.created_at, u.last_sign_in_at
  from public.project_members m
  join auth.users u on u.id = m.user_id
  where m.project_id = p_project_id
  order by case m.role when 'owner' then 0 when 'operator' then 1 else 2 end, lower(u.email), m.user_id;
end;
$$;
comment on function public.list_project_members(uuid) is 'Members only (403 otherwise): the members of a project with their email address, role, when they joined and last signed in; owners first, then by address.';
revoke all on function public.list_project_members(uuid) from public, anon;
grant execute on function public.list_project_members(uuid) to authenticated, service_role;
