"use client";

import ReactDiffViewer, { DiffMethod } from "react-diff-viewer-continued";
import { DIFF_VIEWER_STYLES } from "../approvals/diff-viewer-styles.ts";
import styles from "./changesets.module.css";
import type { TDiffSides } from "./choose-diff-sides.ts";

/**
 * One file's diff (react-diff-viewer-continued, dark): side by side on wide screens, unified on
 * phones; unchanged stretches folded. A click on a line number reports it ("R12": line 12 of the
 * proposed file), so a review comment can point at it; `highlightLines` marks the lines commented on.
 */
export default function ChangesetFileDiff({
  sides,
  split,
  highlightLines,
  onLineClick,
}: {
  sides: TDiffSides;
  split: boolean;
  highlightLines: string[];
  onLineClick?: (lineId: string) => void;
}) {
  return (
    <div className={styles.diff} data-testid="changeset-diff" data-drift={sides.drift ?? undefined}>
      <div className={split ? styles.sidesSplit : styles.sidesTitle}>
        {split ? (
          <>
            <span data-drift={sides.drift ?? undefined}>{sides.oldTitle}</span>
            <span>{sides.newTitle}</span>
          </>
        ) : (
          <span>
            <span data-drift={sides.drift ?? undefined}>{sides.oldTitle}</span> → {sides.newTitle}
          </span>
        )}
      </div>
      <ReactDiffViewer
        oldValue={sides.oldValue}
        newValue={sides.newValue}
        splitView={split}
        useDarkTheme
        disableWorker
        hideSummary
        compareMethod={DiffMethod.LINES}
        highlightLines={highlightLines}
        onLineNumberClick={onLineClick ? (lineId) => onLineClick(lineId) : undefined}
        styles={DIFF_VIEWER_STYLES}
      />
    </div>
  );
}
