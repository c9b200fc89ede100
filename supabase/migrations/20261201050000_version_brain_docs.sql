-- Knowledge versions: every change of a brain doc's title or text appends a version (append-only),
-- counted by brain_docs.version. Triggers on brain_docs count and append, so every writer (the
-- dashboard, the executor's edit_doc, the seed, an agent rename) leaves history. Operators save
-- through save_brain_doc with the version they loaded: a save over a version they did not load is
-- refused with a conflict (SQLSTATE PT412, HTTP 412 like If-Match) that carries the current text.

alter table public.brain_docs add column version integer not null default 1 check (version >= 1);
comment on column public.brain_docs.version is 'Number of the current version (brain_doc_versions.version): 1 on insert, +1 on every change of title or content (trigger brain_docs_count_version).';

create table public.brain_doc_versions (
  id uuid primary key default extensions.gen_random_uuid(),
  doc_id uuid not null references public.brain_docs (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  version integer not null check (version >= 1),
  title text not null,
  content text not null,
  -- A record of who wrote it, kept when the user is removed (no foreign key: the row never changes).
  author_user_id uuid,
  author_agent_key text,
  created_at timestamptz not null default now(),
  constraint brain_doc_versions_one_per_number unique (doc_id, version)
);
comment on table public.brain_doc_versions is 'Append-only history of brain_docs: one row per version (1..n) of a doc with its title, text and author (an operator''s user id, or the agent whose approved edit_doc wrote it; both null for the seed and migrations). Written only by the trigger on brain_docs; members read it; removed only with its doc or project.';
alter table public.brain_doc_versions enable row level security;
revoke all on public.brain_doc_versions from anon;
revoke insert, update, delete, truncate on public.brain_doc_versions from authenticated;
create index brain_doc_versions_project_idx on public.brain_doc_versions (project_id);

create trigger brain_doc_versions_refuse_update_delete before update or delete on public.brain_doc_versions
  for each row execute function public.refuse_append_only_change();
create trigger brain_doc_versions_refuse_truncate before truncate on public.brain_doc_versions
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's doc history"
  on public.brain_doc_versions for select to authenticated
  using ((select public.has_project_role(project_id)));

-- The docs that exist today become version 1.
insert into public.brain_doc_versions (doc_id, project_id, version, title, content, created_at)
select d.id, d.project_id, 1, d.title, d.content, d.updated_at from public.brain_docs d;

create or replace function public.count_brain_doc_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.version := 1;
  elsif new.title is distinct from old.title or new.content is distinct from old.content then
    new.version := old.version + 1;
  else
    new.version := old.version;
  end if;
  return new;
end;
$$;
comment on function public.count_brain_doc_version() is 'Trigger on brain_docs: version 1 on insert, the next number when title or content changes, unchanged otherwise (a client cannot set it).';

create trigger brain_docs_count_version before insert or update on public.brain_docs
  for each row execute function public.count_brain_doc_version();

create or replace function public.append_brain_doc_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.version <> old.version then
    insert into public.brain_doc_versions (doc_id, project_id, version, title, content, author_user_id, author_agent_key)
    values (
      new.id, new.project_id, new.version, new.title, new.content, auth.uid(),
      nullif(current_setting('mission_control.doc_author_agent', true), '')
    );
  end if;
  return null;
end;
$$;
comment on function public.append_brain_doc_version() is 'Trigger on brain_docs: appends the new version to brain_doc_versions, authored by auth.uid() or by the agent named in the transaction-local setting mission_control.doc_author_agent (set by save_brain_doc_as_agent).';
revoke all on function public.append_brain_doc_version() from public, anon, authenticated;

create trigger brain_docs_append_version after insert or update on public.brain_docs
  for each row execute function public.append_brain_doc_version();

-- Browsers change a doc's text only through save_brain_doc (with the version they loaded).
drop policy "Operators can edit their project's docs" on public.brain_docs;

create or replace function public.write_brain_doc(
  p_project_id uuid,
  p_agent_key text,
  p_doc_type text,
  p_title text,
  p_content text,
  p_base_version integer,
  p_check_base boolean
)
returns public.brain_docs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_doc public.brain_docs;
  v_name text := coalesce(nullif(btrim(p_title), ''), p_doc_type);
begin
  if p_agent_key is not null
    and not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = p_agent_key) then
    raise exception 'There is no agent @% in this project', p_agent_key
      using errcode = '22023', hint = 'Pick an agent from the roster, or leave the agent empty for a project-wide doc.';
  end if;
  select * into v_doc from public.brain_docs b
  where b.project_id = p_project_id and b.agent_key is not distinct from p_agent_key and b.doc_type = p_doc_type
  for update;

  if not found then
    if p_check_base and coalesce(p_base_version, 0) <> 0 then
      raise exception 'The doc "%" was removed after you opened it', v_name
        using errcode = 'PT412',
          detail = jsonb_build_object('current_version', 0, 'title', null, 'content', null, 'updated_at', null)::text,
          hint = 'Save again to create it anew with your text, or discard your changes.';
    end if;
    insert into public.brain_docs (project_id, agent_key, doc_type, title, content, updated_by)
    values (p_project_id, p_agent_key, p_doc_type, btrim(coalesce(p_title, '')), coalesce(p_content, ''), auth.uid())
    returning * into v_doc;
    return v_doc;
  end if;

  if p_check_base and coalesce(p_base_version, 0) = 0 then
    raise exception 'A "%" doc exists here already (version %): yours would replace it', p_doc_type, v_doc.version
      using errcode = 'PT412',
        detail = jsonb_build_object(
          'current_version', v_doc.version, 'title', v_doc.title, 'content', v_doc.content, 'updated_at', v_doc.updated_at
        )::text,
        hint = 'Compare both texts, then open theirs or save yours over it knowingly.';
  end if;
  if p_check_base and p_base_version <> v_doc.version then
    raise exception 'Someone saved "%" after you opened it: version % is current, yours was based on %',
      v_name, v_doc.version, p_base_version
      using errcode = 'PT412',
        detail = jsonb_build_object(
          'current_version', v_doc.version, 'title', v_doc.title, 'content', v_doc.content, 'updated_at', v_doc.updated_at
        )::text,
        hint = 'Compare both texts, then reload theirs or save yours over it knowingly.';
  end if;
  update public.brain_docs
  set title = btrim(coalesce(p_title, v_doc.title)), content = coalesce(p_content, v_doc.content), updated_by = auth.uid()
  where id = v_doc.id
  returning * into v_doc;
  return v_doc;
end;
$$;
comment on function public.write_brain_doc(uuid, text, text, text, text, integer, boolean) is 'Internal: creates or updates the brain doc (project, agent_key, doc_type) in one transaction; with p_check_base it refuses (PT412, current version and text as JSON in detail) unless p_base_version is the current version (0 or null: the doc must not exist yet). The triggers append the version.';
revoke all on function public.write_brain_doc(uuid, text, text, text, text, integer, boolean) from public, anon, authenticated;

create or replace function public.save_brain_doc(
  p_project_id uuid,
  p_doc_type text,
  p_title text,
  p_content text,
  p_base_version integer,
  p_agent_key text default null
)
returns public.brain_docs
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not public.has_project_role(p_project_id, array['owner', 'operator']) then
    raise exception 'Only owners and operators can change docs'
      using errcode = '42501', hint = 'Ask an owner of the project for the operator role.';
  end if;
  perform set_config('mission_control.doc_author_agent', '', true);
  return public.write_brain_doc(p_project_id, p_agent_key, p_doc_type, p_title, p_content, p_base_version, true);
end;
$$;
comment on function public.save_brain_doc(uuid, text, text, text, integer, text) is 'Operators save a brain doc (project-wide when p_agent_key is null): created when missing (p_base_version 0), else updated only when p_base_version is the version they loaded; otherwise PT412 (HTTP 412) with the current version, title and content as JSON in the error detail. Each change appends a version authored by the caller.';
revoke all on function public.save_brain_doc(uuid, text, text, text, integer, text) from public, anon;
grant execute on function public.save_brain_doc(uuid, text, text, text, integer, text) to authenticated;

create or replace function public.save_brain_doc_as_agent(
  p_project_id uuid,
  p_doc_type text,
  p_content text,
  p_author_agent_key text,
  p_agent_key text default null,
  p_title text default null
)
returns public.brain_docs
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform set_config('mission_control.doc_author_agent', coalesce(p_author_agent_key, ''), true);
  return public.write_brain_doc(p_project_id, p_agent_key, p_doc_type, p_title, p_content, null, false);
end;
$$;
comment on function public.save_brain_doc_as_agent(uuid, text, text, text, text, text) is 'Executor only (approved edit_doc): creates or replaces the brain doc; the version it appends is authored by p_author_agent_key. p_title null keeps the current title.';
revoke all on function public.save_brain_doc_as_agent(uuid, text, text, text, text, text) from public, anon, authenticated;
grant execute on function public.save_brain_doc_as_agent(uuid, text, text, text, text, text) to service_role;
