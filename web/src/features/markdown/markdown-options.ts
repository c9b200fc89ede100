import { type AnchorHTMLAttributes, createElement } from "react";
import type { Options } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/**
 * How every markdown in the dashboard renders: GitHub-flavoured (tables, task lists,
 * strikethrough, autolinks), raw HTML dropped, the resulting tree sanitised with GitHub's
 * allow-list (no script, no event handlers, no javascript: links), and links opened in a new tab
 * without access to the dashboard's window.
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
