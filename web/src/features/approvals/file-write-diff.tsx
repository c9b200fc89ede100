"use client";

import ReactDiffViewer, { DiffMethod } from "react-diff-viewer-continued";
import styles from "./approvals.module.css";
import { DIFF_VIEWER_STYLES } from "./diff-viewer-styles.ts";
import type { TFileWriteDiff } from "./read-file-write-diff.ts";

const LEFT_TITLE: Record<TFileWriteDiff["previousSource"], string> = {
  unknown: "Current file (read when it runs; shown as new)",
  recorded: "Previous content (kept for rollback)",
  new: "No file before",
};

/** A file_write's proposed content against the previous one (react-diff-viewer-continued, dark). */
export default function FileWriteDiff({ diff, written }: { diff: TFileWriteDiff; written: boolean }) {
  return (
    <div>
      <div className={styles.diffHead}>
        <span className={styles.path} data-testid="diff-path">
          {diff.path}
        </span>
        <span>{written || diff.previousSource !== "unknown" ? LEFT_TITLE[diff.previousSource] : "Proposed content (never written)"}</span>
      </div>
      <div className={styles.diff} data-testid="file-write-diff" data-previous={diff.previousSource}>
        <ReactDiffViewer
          oldValue={diff.previous}
          newValue={diff.proposed}
          splitView={false}
          useDarkTheme
          disableWorker
          hideSummary
          compareMethod={DiffMethod.LINES}
          styles={DIFF_VIEWER_STYLES}
        />
      </div>
    </div>
  );
}
