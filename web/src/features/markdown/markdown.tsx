import { useMemo } from "react";
import ReactMarkdown, { type Options } from "react-markdown";
import { highlightMentions } from "./highlight-mentions.ts";
import styles from "./markdown.module.css";
import { MARKDOWN_OPTIONS } from "./markdown-options.ts";

/**
 * Renders markdown written by operators or agents, safely (see MARKDOWN_OPTIONS: no raw HTML,
 * sanitised). `mentions`: agent keys whose `@key` is highlighted (chat messages).
 */
export function Markdown({ source, className, mentions }: { source: string; className?: string; mentions?: ReadonlySet<string> }) {
  const rehypePlugins = useMemo<Options["rehypePlugins"]>(
    () =>
      mentions && mentions.size > 0
        ? [...MARKDOWN_OPTIONS.rehypePlugins, [highlightMentions, { known: mentions, className: styles.mention }]]
        : MARKDOWN_OPTIONS.rehypePlugins,
    [mentions],
  );
  return (
    <div className={className ? `${styles.markdown} ${className}` : styles.markdown}>
      <ReactMarkdown {...MARKDOWN_OPTIONS} rehypePlugins={rehypePlugins}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
