"use client";

import Link from "next/link";
import { useProject } from "../projects/project-context.tsx";
import styles from "./doc-refs.module.css";
import { readStoredDocRefs, type TStoredDocRef } from "./parse-doc-refs.ts";

/** A link to a doc on the Knowledge page. */
function DocChip({ doc, slug }: { doc: TStoredDocRef; slug: string }) {
  const title = doc.title.trim();
  return (
    <Link
      className={styles.chip}
      href={`/p/${slug}/knowledge?doc=${encodeURIComponent(doc.id)}`}
      title={title ? `${title}: open in Knowledge` : "Open in Knowledge"}
      data-testid="doc-ref-chip"
    >
      <span className={styles.chipName}>#{doc.ref}</span>
      {title && title.toLowerCase() !== doc.ref ? <span className={styles.chipTitle}>{title}</span> : null}
    </Link>
  );
}

/**
 * The docs a message goes out with, as chips linking to Knowledge: in a composer, the references
 * that resolve in what is typed (the others stay plain text); under a sent message, the ones the
 * database stored (metadata.doc_refs).
 */
export function DocRefChips({ docs, label }: { docs: readonly TStoredDocRef[]; label: string }) {
  const { project } = useProject();
  if (docs.length === 0) return null;
  return (
    <div className={styles.chips} data-testid="doc-ref-chips">
      <span className={styles.chipsLabel}>{label}:</span>
      {docs.map((doc) => (
        <DocChip key={doc.id} doc={doc} slug={project.slug} />
      ))}
    </div>
  );
}

/** Under a sent message or comment: the docs it referenced (nothing when none). */
export function MessageDocRefs({ metadata }: { metadata: unknown }) {
  return <DocRefChips docs={readStoredDocRefs(metadata)} label="Docs" />;
}
