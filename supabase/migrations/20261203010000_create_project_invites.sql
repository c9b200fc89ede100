-- Invites to a project (issue 12 "Members", issue 14 invites): an owner invites an email address
-- with a role; the executor mails the invite (a GoTrue invite, or a magic link when the address
-- already has an account); the invite turns into a membership when that address, confirmed,
-- accepts it (accept_project_invites, or the moment the address is confirmed).
-- Rows are written only by security-definer RPCs (owners: invite_project_member /
-- revoke_project_invite; the executor: claim_project_invites / finish_project_invite; accepting).

create table public.project_invites (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  -- Stored lower-cased and trimmed, so one address is one invite however it was typed.
  email text not null check (
    email = lower(btrim(email)) and length(email) between 3 and 254
    and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
  ),
  role text not null check (role in ('owner', 'operator', 'viewer')),
  invited_by uuid references auth.users (id) on delete set null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'accepted', 'revoked', 'failed')),
  error text check (length(error) <= 2000),
  attempts integer not null default 0 check (attempts >= 0),
  -- The executor's claim: a claim older than two minutes is taken over (the executor died mid-send).
  available_at timestamptz not null default now(),
  claimed_by text check (length(claimed_by) <= 200),
  claimed_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  accepted_at timestamptz,
  revoked_at timestamptz,
  seq bigint not null default nextval('public.live_seq'),
  constraint project_invites_failure_has_reason check (status <> 'failed' or error is not null),
  constraint project_invites_acceptance_is_stamped check (status <> 'accepted' or accepted_at is not null),
  constraint project_invites_revocation_is_stamped check (status <> 'revoked' or revoked_at is not null)
);
comment on table public.project_invites is 'Invites of an email address to a project with a role: queued (the executor will mail it; a failed attempt stays queued with its error until the last one) -> sent -> accepted (a membership was made) | revoked (by an owner) | failed (every attempt failed; inviting again requeues it). At most one open (queued, sent or failed) invite per project and address. Owners read them; only security-definer RPCs write.';
comment on column public.project_invites.email is 'The invited address, lower-cased: it joins when an account with this confirmed address accepts.';
comment on column public.project_invites.error is 'Why the last attempt to mail the invite failed, in words (kept while it is retried).';
comment on column public.project_invites.available_at is 'The next attempt to mail a queued invite starts no earlier than this (back-off after a failure).';
comment on column public.project_invites.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.project_invites enable row level security;
revoke all on public.project_invites from anon;
revoke insert, update, delete, truncate on public.project_invites from authenticated;

create unique index project_invites_one_open_per_address_idx on public.project_invites (project_id, email)
  where status in ('queued', 'sent', 'failed');
create index project_invites_pending_email_idx on public.project_invites (email) where status in ('queued', 'sent');
create index project_invites_queued_idx on public.project_invites (available_at, created_at) where status = 'queued';
create index project_invites_project_seq_idx on public.project_invites (project_id, seq desc);

create trigger project_invites_stamp_live_row before insert or update on public.project_invites
  for each row execute function public.stamp_live_row();

-- Owners only: an invite names someone who is not a member yet (their address, whether the mail
-- bounced). Operators and viewers need neither; they see who joined in list_project_members.
create policy "Owners can read their project's invites"
  on public.project_invites for select to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

-- Realtime: the members page shows invites going from queued to sent live (in the shared registry).
do $$
begin
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'project_invites') then
    alter publication supabase_realtime add table public.project_invites;
  end if;
end
$$;
