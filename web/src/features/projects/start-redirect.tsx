"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { getBrowserClient } from "../auth/get-browser-client.ts";
import { useSession } from "../auth/use-session.ts";
import { useClientConfig } from "../config/client-config-provider.tsx";
import styles from "../ui/page.module.css";

/** Sends a signed-in user to their first project's Activity page, anyone else to sign-in. */
export function StartRedirect() {
  const config = useClientConfig();
  const router = useRouter();
  const session = useSession();
  const [message, setMessage] = useState("Loading…");

  useEffect(() => {
    if (session.status === "signed-out") router.replace("/sign-in");
    if (session.status !== "signed-in") return;
    void getBrowserClient(config)
      .from("projects")
      .select("slug, name")
      .order("name")
      .limit(1)
      .then(({ data, error }) => {
        if (error) return setMessage(`Could not load your projects: ${error.message}. Check the connection and reload.`);
        const first = data?.[0];
        if (!first) return setMessage("You are not a member of any project yet. Ask a project owner to add you.");
        router.replace(`/p/${first.slug}/overview`);
      });
  }, [session.status, config, router]);

  return (
    <main className={styles.centered}>
      <p className="muted">{message}</p>
    </main>
  );
}
