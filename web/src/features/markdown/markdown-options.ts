import { type AnchorHTMLAttributes, createElement } from "react";
import type { Options } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/**
 * How every markdown in the dashboard renders: GitHub-flavoured (tables, task lists,
 * strikethrough, autolinks), raw HTML dropped, the resulting tree sanitised with GitHub's
 * allow-list (no script, no event handlers, no javascript: links), code blocks highlighted, and
 * links opened in a new tab without access to the dashboard's window.
 *
 * Order matters: sanitising runs first, so it sees everything the author wrote (it keeps only
 * `language-*` classes on code); highlighting runs after it and only wraps the code's own text in
 * `<span class="hljs-…">`, so its classes survive and it cannot bring back anything sanitising
 * removed. Highlighting the other way round would need the sanitiser to allow every class.
 *
 * The highlighter (highlight.js, the largest library of the dashboard) is not part of these
 * options: `Markdown` loads it on demand, only for a text with a fenced block that names a
 * language, and adds it after the sanitiser with HIGHLIGHT_OPTIONS.
 */
export const MARKDOWN_OPTIONS = {
  remarkPlugins: [remarkGfm],
  rehypePlugins: [rehypeSanitize],
  skipHtml: true,
  components: {
    a: ({ node: _node, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { node?: unknown }) =>
      createElement("a", { ...props, target: "_blank", rel: "noopener noreferrer" }),
  },
} satisfies Options;

/**
 * rehype-highlight's options: only fenced blocks that name a language are highlighted (guessing
 * costs time on every render of a long thread and often guesses wrong on prose).
 */
export const HIGHLIGHT_OPTIONS = { detect: false } as const;

/** True when `source` has a fenced code block that names a language (```ts, ~~~python): the only text highlighting changes. */
export function needsHighlighting(source: string): boolean {
  return /(^|\n)[ \t]{0,3}(```|~~~)[ \t]*[^\s`~]/.test(source);
}
