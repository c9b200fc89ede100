import { memo, useEffect, useMemo, useState } from "react";
import ReactMarkdown, { type Options } from "react-markdown";
import { highlightMentions } from "./highlight-mentions.ts";
import styles from "./markdown.module.css";
import { HIGHLIGHT_OPTIONS, MARKDOWN_OPTIONS, needsHighlighting } from "./markdown-options.ts";

type TPlugin = NonNullable<Options["rehypePlugins"]>[number];

/** rehype-highlight, once loaded (one load for the whole page). */
let highlighter: TPlugin | null = null;
let loadingHighlighter: Promise<void> | null = null;

function loadHighlighter(): Promise<void> {
  loadingHighlighter ??= import("rehype-highlight").then((module) => {
    highlighter = [module.default, HIGHLIGHT_OPTIONS];
  });
  return loadingHighlighter;
}

/**
 * Renders markdown written by operators or agents, safely (see MARKDOWN_OPTIONS: no raw HTML,
 * sanitised). `mentions`: agent keys whose `@key` is highlighted (chat messages). A fenced block
 * that names a language is highlighted once the highlighter has loaded (it is loaded for the first
 * such text only; until then the code shows plain). Memoised: the same text is not parsed again
 * when a list around it re-renders.
 */
export const Markdown = memo(function Markdown({
  source,
  className,
  mentions,
}: {
  source: string;
  className?: string;
  mentions?: ReadonlySet<string>;
}) {
  const highlight = needsHighlighting(source);
  const [, setHighlighterLoaded] = useState(highlighter !== null);
  useEffect(() => {
    if (!highlight || highlighter) return;
    let live = true;
    void loadHighlighter().then(() => live && setHighlighterLoaded(true));
    return () => {
      live = false;
    };
  }, [highlight]);
  const withHighlighter = highlight ? highlighter : null;
  const rehypePlugins = useMemo<Options["rehypePlugins"]>(
    () => [
      ...MARKDOWN_OPTIONS.rehypePlugins,
      ...(withHighlighter ? [withHighlighter] : []),
      ...(mentions && mentions.size > 0 ? [[highlightMentions, { known: mentions, className: styles.mention }] as TPlugin] : []),
    ],
    [mentions, withHighlighter],
  );
  return (
    <div className={className ? `${styles.markdown} ${className}` : styles.markdown}>
      <ReactMarkdown {...MARKDOWN_OPTIONS} rehypePlugins={rehypePlugins}>
        {source}
      </ReactMarkdown>
    </div>
  );
});
