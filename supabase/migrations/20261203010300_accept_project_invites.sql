-- Accepting invites (issue 14): pending (queued or sent) invites of an address turn into
-- memberships for the account that owns that address, once the address is confirmed, so nobody
-- joins a project with an address they do not control. Two ways in, one function:
--   * the /auth/accept page calls accept_project_invites() after the invite or magic link signed
--     the user in;
--   * a trigger on auth.users accepts the moment an address becomes confirmed, so someone who
--     signs up by themselves with an invited address (or confirms it later) joins too.

create or replace function public.accept_project_invites_of(p_user_id uuid)
returns table (project_id uuid, slug text, name text, role text)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_email text;
  v_invite public.project_invites;
  v_joined boolean;
begin
  select lower(u.email) into v_email from auth.users u where u.id = p_user_id and u.email_confirmed_at is not null;
  if v_email is null then
    return;
  end if;
  for v_invite in
    select * from public.project_invites i
    where i.email = v_email and i.status in ('queued', 'sent')
    order by i.created_at
    for update
  loop
    -- Someone already a member keeps the role they have (an invite never demotes an owner).
    insert into public.project_members as m (project_id, user_id, role)
    values (v_invite.project_id, p_user_id, v_invite.role)
    on conflict on constraint project_members_pkey do nothing
    returning true into v_joined;
    update public.project_invites i
    set status = 'accepted', accepted_at = now(), accepted_by = p_user_id, claimed_by = null, claimed_at = null
    where i.id = v_invite.id;
    if v_joined then
      insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
      values (v_invite.project_id, 'user', p_user_id::text, 'member.joined',
              left(format('%s joined the project as %s', v_email, v_invite.role), 1000),
              jsonb_build_object('invite_id', v_invite.id, 'user_id', p_user_id, 'role', v_invite.role));
    end if;
    v_joined := null;
  end loop;
  -- Every project an invite of this account made it a member of and it still belongs to, newest
  -- first: calling again answers the same, so the page can always send the user on.
  return query
  select j.project_id, j.slug, j.name, j.role
  from (
    select distinct on (i.project_id) i.project_id, p.slug, p.name, m.role, i.accepted_at
    from public.project_invites i
    join public.projects p on p.id = i.project_id
    join public.project_members m on m.project_id = i.project_id and m.user_id = p_user_id
    where i.accepted_by = p_user_id and i.status = 'accepted'
    order by i.project_id, i.accepted_at desc
  ) j
  order by j.accepted_at desc, j.slug;
end;
$$;
comment on function public.accept_project_invites_of(uuid) is 'Internal (accept_project_invites and the auth.users trigger): when the user''s address is confirmed, turns its queued and sent invites into memberships (an existing member keeps their role) and answers every project an accepted invite made the user a member of (project_id, slug, name, role), newest first. Idempotent; nothing for an unconfirmed address.';
revoke all on function public.accept_project_invites_of(uuid) from public, anon, authenticated, service_role;

create or replace function public.accept_project_invites()
returns table (project_id uuid, slug text, name text, role text)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_user uuid := auth.uid();
begin
  if v_user is null then
    raise exception 'Sign in first: open the link in your invite mail' using errcode = '42501';
  end if;
  if not exists (select 1 from auth.users u where u.id = v_user and u.email_confirmed_at is not null) then
    raise exception 'Your email address is not confirmed yet: open the link in the mail you received, then try again'
      using errcode = '42501';
  end if;
  return query select a.project_id, a.slug, a.name, a.role from public.accept_project_invites_of(v_user) a;
end;
$$;
comment on function public.accept_project_invites() is 'The signed-in user accepts every pending invite of their confirmed address: each becomes a membership with the invited role. Answers the projects the user joined through an invite (project_id, slug, name, role), newest first; calling again joins nothing twice and answers the same. 403 when not signed in or the address is not confirmed.';
revoke all on function public.accept_project_invites() from public, anon;
grant execute on function public.accept_project_invites() to authenticated;

create or replace function public.accept_invites_when_email_confirmed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.email_confirmed_at is not null
    and (tg_op = 'INSERT' or old.email_confirmed_at is null or lower(old.email) is distinct from lower(new.email)) then
    -- Confirming an address never fails because of an invite: the user can still accept on the page.
    begin
      perform public.accept_project_invites_of(new.id);
    exception when others then
      raise warning 'Could not accept the project invites of user %: % (they can accept from the invite link)', new.id, sqlerrm;
    end;
  end if;
  return null;
end;
$$;
comment on function public.accept_invites_when_email_confirmed() is 'Trigger on auth.users: when an address becomes confirmed (a new confirmed user, a confirmation, or a confirmed change of address), its pending project invites are accepted.';
revoke all on function public.accept_invites_when_email_confirmed() from public, anon, authenticated, service_role;

drop trigger if exists on_auth_user_email_confirmed_accept_invites on auth.users;
create trigger on_auth_user_email_confirmed_accept_invites
  after insert or update of email_confirmed_at, email on auth.users
  for each row execute function public.accept_invites_when_email_confirmed();
