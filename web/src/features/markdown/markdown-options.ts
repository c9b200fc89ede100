import { type AnchorHTMLAttributes, createElement } from "react";
import type { Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
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
 */
export const MARKDOWN_OPTIONS = {
  remarkPlugins: [remarkGfm],
  // Only fenced blocks that name a language are highlighted: guessing costs time on every render
  // of a long thread and often guesses wrong on prose.
  rehypePlugins: [rehypeSanitize, [rehypeHighlight, { detect: false }]],
  skipHtml: true,
  components: {
    a: ({ node: _node, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { node?: unknown }) =>
      createElement("a", { ...props, target: "_blank", rel: "noopener noreferrer" }),
  },
} satisfies Options;
