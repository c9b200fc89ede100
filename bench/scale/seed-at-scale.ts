import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import pg from "pg";

/** What the seeded project is: where to go, and who signs in. */
export interface TScaleProject {
  projectId: string;
  slug: string;
  threadId: string;
  /** The supabase-js session of the seeded owner, as the dashboard keeps it in localStorage. */
  session: { access_token: string };
}

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/**
 * Creates an owner and a project (DMs on, one agent "lead") and fills it with generate_series
 * through the service connection: `activities` feed entries, `tasks` tasks and a DM thread of
 * `messages` messages, spread over the past days (one statement per table: seconds, not minutes).
 */
export async function seedAtScale(
  stack: { url: string; anonKey: string; serviceRoleKey: string; databaseUrl: string },
  sizes: { activities: number; tasks: number; messages: number },
): Promise<TScaleProject> {
  const admin = createSupabaseClient(stack.url, stack.serviceRoleKey, noSession);
  const email = `scale-${crypto.randomUUID().slice(0, 8)}@bench.invalid`;
  const password = `pw-${crypto.randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error || !created.data.user) throw new Error(`could not create the bench owner: ${created.error?.message}`);
  const userId = created.data.user.id;
  const slug = `scale-${crypto.randomUUID().slice(0, 8)}`;

  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const project = await db.query<{ id: string }>("insert into public.projects (name, slug) values ('Scale bench', $1) returning id", [
      slug,
    ]);
    const projectId = project.rows[0]?.id;
    if (!projectId) throw new Error("could not create the bench project");
    await db.query("insert into public.project_members (project_id, user_id, role) values ($1, $2, 'owner')", [projectId, userId]);
    await db.query(
      `insert into public.project_settings (project_id, key, value) values
         ($1, 'labs_features', '{"team_room": false, "dms": true}'), ($1, 'team_room', '{"agent_posts_per_hour": 20}')`,
      [projectId],
    );
    await db.query(
      `insert into public.agents (project_id, agent_key, display_name, role, system_prompt)
       values ($1, 'lead', 'Lead', 'Plans the work.', 'You are Lead.')`,
      [projectId],
    );
    const thread = await db.query<{ id: string }>(
      `insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
       values ($1, 'dm', 'DM:lead', 'lead', 'DM with lead') returning id`,
      [projectId],
    );
    const threadId = thread.rows[0]?.id;
    if (!threadId) throw new Error("could not create the bench DM thread");

    await db.query(
      `insert into public.activities (project_id, actor_type, actor, kind, summary, created_at)
       select $1, (array['system', 'agent', 'user'])[1 + g % 3], (array['seed', 'lead', 'operator'])[1 + g % 3],
              (array['task.moved', 'chat.replied', 'approval.executed', 'settings.changed'])[1 + g % 4],
              'Bench entry ' || g || case when g % 7 = 0 then ': a longer summary that wraps on a narrow screen, as agent replies often do' else '' end,
              now() - make_interval(secs => ($2::int - g) * 5)
       from generate_series(1, $2::int) as g`,
      [projectId, sizes.activities],
    );
    await db.query(
      `insert into public.tasks (project_id, title, status, priority, labels, created_at, updated_at)
       select $1, 'Bench task ' || g, (array['inbox', 'review', 'done', 'blocked'])[1 + g % 4],
              (array['low', 'normal', 'high', 'urgent'])[1 + g % 4], array['bench', 'batch-' || (g % 10)],
              now() - make_interval(secs => ($2::int - g) * 30), now() - make_interval(secs => ($2::int - g) * 30)
       from generate_series(1, $2::int) as g`,
      [projectId, sizes.tasks],
    );
    await db.query(
      `insert into public.project_chat_messages (project_id, thread_id, author_type, author_user_id, author_agent_key, content, created_at, updated_at)
       select $1, $2, case when g % 2 = 0 then 'agent' else 'user' end, case when g % 2 = 0 then null else $4::uuid end,
              case when g % 2 = 0 then 'lead' else null end,
              'Bench message ' || g || case when g % 5 = 0 then E'\\n\\n- a list item\\n- another, with **bold** text and \`code\`' else '' end,
              now() - make_interval(secs => ($3::int - g) * 10), now() - make_interval(secs => ($3::int - g) * 10)
       from generate_series(1, $3::int) as g`,
      [projectId, threadId, sizes.messages, userId],
    );
    await db.query("analyze public.activities; analyze public.tasks; analyze public.project_chat_messages");

    const client = createSupabaseClient(stack.url, stack.anonKey, noSession);
    const signedIn = await client.auth.signInWithPassword({ email, password });
    if (signedIn.error || !signedIn.data.session) throw new Error(`could not sign in the bench owner: ${signedIn.error?.message}`);
    return { projectId, slug, threadId, session: signedIn.data.session };
  } finally {
    await db.end();
  }
}

/** Inserts one feed entry now (the live-insert phase), on the given connection. */
export async function insertLiveActivity(db: pg.Client, projectId: string, summary: string): Promise<void> {
  await db.query(
    "insert into public.activities (project_id, actor_type, actor, kind, summary) values ($1, 'system', 'seed', 'bench.live', $2)",
    [projectId, summary],
  );
}
