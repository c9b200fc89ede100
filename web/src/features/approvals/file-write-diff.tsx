"use client";

import ReactDiffViewer, { DiffMethod } from "react-diff-viewer-continued";
import styles from "./approvals.module.css";
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
          styles={{
            variables: {
              dark: {
                diffViewerBackground: "#14171c",
                gutterBackground: "#1a1e24",
                addedBackground: "rgba(76, 195, 138, 0.12)",
                addedGutterBackground: "rgba(76, 195, 138, 0.2)",
                removedBackground: "rgba(239, 107, 107, 0.12)",
                removedGutterBackground: "rgba(239, 107, 107, 0.2)",
                wordAddedBackground: "rgba(76, 195, 138, 0.3)",
                wordRemovedBackground: "rgba(239, 107, 107, 0.3)",
                gutterColor: "#6d7480",
                diffViewerColor: "#e6e8eb",
                emptyLineBackground: "#14171c",
                highlightBackground: "rgba(110, 155, 255, 0.14)",
                highlightGutterBackground: "rgba(110, 155, 255, 0.2)",
              },
            },
            contentText: { fontFamily: "var(--mono)", fontSize: 12, lineHeight: "18px" },
            gutter: { minWidth: 32, padding: "0 6px" },
            line: { fontSize: 12 },
          }}
        />
      </div>
    </div>
  );
}
