import ReactMarkdown from "react-markdown";
import styles from "./markdown.module.css";
import { MARKDOWN_OPTIONS } from "./markdown-options.ts";

/** Renders markdown written by operators or agents, safely (see MARKDOWN_OPTIONS: no raw HTML, sanitised). */
export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={className ? `${styles.markdown} ${className}` : styles.markdown}>
      <ReactMarkdown {...MARKDOWN_OPTIONS}>{source}</ReactMarkdown>
    </div>
  );
}
