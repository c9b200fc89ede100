"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { selectLoaded } from "../live/live-store.ts";
import { useLiveStore } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";
import styles from "../ui/page.module.css";
import type { TLabsFeatures } from "./labs-features.ts";
import { useLabsFeatures } from "./use-labs-features.ts";

/** Shows the page only when its labs flag is on; otherwise explains and links to Settings → Labs. */
export function LabsGate({ feature, title, children }: { feature: keyof TLabsFeatures; title: string; children: ReactNode }) {
  const { project } = useProject();
  const loaded = useLiveStore(selectLoaded);
  const flags = useLabsFeatures(project.id);
  if (flags[feature]) return <>{children}</>;
  return (
    <section className={styles.page}>
      <h1 className={styles.pageTitle}>{title}</h1>
      <p className={styles.notBuilt}>
        {loaded ? (
          <>
            {title} is a labs feature and is off in this project. An owner or operator can turn it on in{" "}
            <Link href={`/p/${project.slug}/settings#labs`}>Settings → Labs</Link>.
          </>
        ) : (
          "Loading…"
        )}
      </p>
    </section>
  );
}
