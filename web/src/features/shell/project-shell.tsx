"use client";

import dynamic from "next/dynamic";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { getBrowserClient } from "../auth/get-browser-client.ts";
import { type TShellSession, useSession } from "../auth/use-session.ts";
import { usePaletteHotkey } from "../command-palette/use-palette-hotkey.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import { recheckConnection, startConnectionMonitor } from "../connection/connection-monitor.ts";
import { useLiveStore, useLiveStoreApi } from "../live/live-store-provider.tsx";
import { parseLiveRows } from "../live/live-tables.ts";
import { subscribeProject } from "../live/subscribe-project.ts";
import { ProjectProvider, type TProjectContext } from "../projects/project-context.tsx";
import { useIsHydrating } from "../ui/clock.tsx";
import page from "../ui/page.module.css";
import styles from "./app-shell.module.css";
import { MissionBanner } from "./mission-banner.tsx";
import { NavDrawer } from "./nav-drawer.tsx";
import { rememberedProjectId, rememberProjectId } from "./remembered-project-ids.ts";
import { Sidebar } from "./sidebar.tsx";
import { TopBar } from "./top-bar.tsx";

/** The palette (cmdk and its entries) loads on its first opening, not with every page. */
const CommandPalette = dynamic(() => import("../command-palette/command-palette.tsx").then((m) => m.CommandPalette), { ssr: false });

/**
 * The signed-in frame of every project page: guards the session, resolves the project from the
 * URL, keeps the live store subscribed to it, runs the connection badge's checks, and lays out
 * sidebar (a drawer on a phone), top bar, mission banner and the page, with the command palette.
 * `initialSession` is the session the server rendered the page with (its rows are in the store
 * already): the shell and the page render at once, on the server and in the browser alike.
 */
export function ProjectShell({
  slug,
  initialSession = null,
  children,
}: {
  slug: string;
  initialSession?: TShellSession | null;
  children: ReactNode;
}) {
  const config = useClientConfig();
  const router = useRouter();
  const pathname = usePathname();
  const session = useSession(initialSession);
  const hydrating = useIsHydrating();
  const client = getBrowserClient(config);
  const store = useLiveStoreApi();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  // Mounted from its first opening on (it keeps its own state between openings).
  const [paletteUsed, setPaletteUsed] = useState(false);
  if (paletteOpen && !paletteUsed) setPaletteUsed(true);
  usePaletteHotkey(() => {
    setMenuOpen(false);
    setPaletteOpen((open) => !open);
  });
  const projects = useLiveStore((s) => s.rows.projects);
  const members = useLiveStore((s) => s.rows.project_members);
  const project = useMemo(() => Object.values(projects).find((p) => p.slug === slug), [projects, slug]);
  const userId = session.session?.user.id;
  const accessToken = session.session?.access_token;
  // Known from an earlier visit: subscribe (and catch up) at once rather than after the project list.
  const remembered = useMemo(() => rememberedProjectId(slug), [slug]);
  const projectId = project?.id ?? remembered ?? undefined;
  useEffect(() => {
    if (project) rememberProjectId(slug, project.id);
  }, [slug, project]);

  useEffect(() => {
    if (session.status === "signed-out") router.replace(`/sign-in?next=${encodeURIComponent(pathname)}`);
  }, [session.status, router, pathname]);

  // The project list comes first: the slug in the URL names the project to subscribe to.
  useEffect(() => {
    if (!userId) return;
    void client
      .from("projects")
      .select("*")
      .then(({ data, error }) => {
        if (error) return setLoadError(`Could not load your projects: ${error.message}. Check the connection badge and reload.`);
        store.getState().applyRows("projects", parseLiveRows("projects", data ?? []));
        if (!(data ?? []).some((p) => p.slug === slug)) setLoadError(`There is no project "${slug}" you are a member of.`);
        else setLoadError(null);
      });
  }, [client, store, userId, slug]);

  useEffect(
    () =>
      startConnectionMonitor(store, {
        ...config,
        fetch: (input, init) => fetch(input, init),
        // A read that reaches Postgres: the gateway alone answering is not the database being up.
        probeDatabase: async () => {
          const { status } = await client.from("projects").select("id", { head: true }).limit(1);
          return status >= 200 && status < 500;
        },
      }),
    [store, config, client],
  );

  // Resubscribe only when the project or the user changes; supabase-js follows token refreshes itself.
  const tokenRef = accessToken;
  useEffect(() => {
    if (!projectId || !tokenRef) return;
    return subscribeProject({
      client,
      store,
      projectId,
      accessToken: tokenRef,
      onError: (err) => {
        console.warn("live data may be stale: the next reconnect or visibility change catches up", err);
        recheckConnection();
      },
    });
  }, [client, store, projectId, userId]);

  if (session.status !== "signed-in") {
    return (
      <main className={page.centered}>
        <p className="muted">{session.status === "loading" ? "Loading…" : "Redirecting to sign-in…"}</p>
      </main>
    );
  }
  if (!project) {
    return (
      <main className={page.centered}>
        <p className="muted">{loadError ?? "Loading project…"}</p>
        {loadError ? <a href="/">Go to your first project</a> : null}
      </main>
    );
  }
  const role = members[`${project.id}:${session.session.user.id}`]?.role ?? null;
  const value: TProjectContext = {
    project,
    role,
    canWrite: role === "owner" || role === "operator",
    session: session.session,
    client,
  };
  return (
    <ProjectProvider value={value}>
      <a className={styles.skipLink} href="#content">
        Skip to content
      </a>
      {/* Inert until the browser has taken over the server's page: a click or keystroke before then
          would be lost (nothing listens yet), so the controls wait, visibly, rather than ignore it. */}
      <div className={styles.shell} inert={hydrating}>
        <Sidebar slug={slug} />
        <div className={styles.main}>
          <TopBar slug={slug} menuOpen={menuOpen} onOpenMenu={() => setMenuOpen(true)} onOpenPalette={() => setPaletteOpen(true)} />
          <MissionBanner projectId={project.id} />
          <main className={styles.content} id="content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </div>
      <NavDrawer slug={slug} open={menuOpen} onClose={() => setMenuOpen(false)} />
      {paletteUsed ? <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} /> : null}
    </ProjectProvider>
  );
}
