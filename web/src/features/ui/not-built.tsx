import styles from "./page.module.css";

/** A plain note for a section that is not built yet. */
export function NotBuilt({ title, note }: { title: string; note: string }) {
  return (
    <section className={styles.page}>
      <h1 className={styles.pageTitle}>{title}</h1>
      <p className={styles.notBuilt}>{note}</p>
    </section>
  );
}
