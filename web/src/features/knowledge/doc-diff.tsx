"use client";

import ReactDiffViewer, { DiffMethod } from "react-diff-viewer-continued";
import { DIFF_VIEWER_STYLES } from "../approvals/diff-viewer-styles.ts";
import styles from "./knowledge.module.css";

/**
 * Two texts of a doc compared line by line (react-diff-viewer-continued, dark): side by side when
 * `split`, unified otherwise; unchanged stretches folded. Rendered in the browser only (dynamic import).
 */
export default function DocDiff({
  oldValue,
  newValue,
  oldTitle,
  newTitle,
  split,
}: {
  oldValue: string;
  newValue: string;
  oldTitle: string;
  newTitle: string;
  split: boolean;
}) {
  return (
    <div className={styles.diff} data-testid="doc-diff">
      <div className={split ? styles.sidesSplit : styles.sides}>
        {split ? (
          <>
            <span>{oldTitle}</span>
            <span>{newTitle}</span>
          </>
        ) : (
          <span>
            {oldTitle} → {newTitle}
          </span>
        )}
      </div>
      <ReactDiffViewer
        oldValue={oldValue}
        newValue={newValue}
        splitView={split}
        useDarkTheme
        disableWorker
        hideSummary
        compareMethod={DiffMethod.WORDS}
        extraLinesSurroundingDiff={3}
        styles={DIFF_VIEWER_STYLES}
      />
    </div>
  );
}
