import type { ReactDiffViewerStylesOverride } from "react-diff-viewer-continued";

/** The dashboard's dark palette for react-diff-viewer-continued (file_write cards and changesets alike). */
export const DIFF_VIEWER_STYLES: ReactDiffViewerStylesOverride = {
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
  // The viewer asks for 1000px at least; in a card or a column that scrolls sideways and hides the
  // ends of lines. Fill the container instead and let long lines wrap.
  diffContainer: { minWidth: 0 },
  contentText: { fontFamily: "var(--mono)", fontSize: 12, lineHeight: "18px" },
  gutter: { minWidth: 32, padding: "0 6px" },
  line: { fontSize: 12 },
};
