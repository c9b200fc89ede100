/**
 * A rehype plugin that wraps `@agent_key` mentions of known agents in
 * `<span class="…" data-mention="agent_key">`, so a message shows whom it addresses at a glance.
 *
 * It runs after the sanitiser (it adds a class the sanitiser would strip) and only splits text
 * nodes it already trusts, never inside code, pre or links; an unknown `@word` (an e-mail, a
 * decorator in prose) stays plain text.
 */

/** The few hast node shapes this plugin reads and writes (hast's types are not a web dependency). */
interface TText {
  type: "text";
  value: string;
}
interface TElement {
  type: "element";
  tagName: string;
  properties: Record<string, unknown>;
  children: TNode[];
}
type TNode = TText | TElement | { type: string; children?: TNode[] };

const SKIP = new Set(["code", "pre", "a"]);
// An @ at the start or after a non-word character, then an agent key (see ZAgentKey).
const MENTION = /(^|[^\w@.])@([a-z][a-z0-9_-]{0,31})/g;

/** Splits one text into text and mention spans; null when it mentions no known agent. */
export function splitMentions(text: string, known: ReadonlySet<string>, className: string): (TText | TElement)[] | null {
  const parts: (TText | TElement)[] = [];
  let last = 0;
  let found = false;
  for (const match of text.matchAll(MENTION)) {
    const key = match[2] ?? "";
    if (!known.has(key)) continue;
    const start = (match.index ?? 0) + (match[1] ?? "").length;
    if (start > last) parts.push({ type: "text", value: text.slice(last, start) });
    parts.push({
      type: "element",
      tagName: "span",
      properties: { className: [className], dataMention: key },
      children: [{ type: "text", value: `@${key}` }],
    });
    last = start + key.length + 1;
    found = true;
  }
  if (!found) return null;
  if (last < text.length) parts.push({ type: "text", value: text.slice(last) });
  return parts;
}

function walk(node: TNode, known: ReadonlySet<string>, className: string): void {
  if (!("children" in node) || !node.children) return;
  if (node.type === "element" && SKIP.has((node as TElement).tagName)) return;
  const next: TNode[] = [];
  for (const child of node.children) {
    if (child.type === "text") {
      const split = splitMentions((child as TText).value, known, className);
      if (split) {
        next.push(...split);
        continue;
      }
    } else {
      walk(child, known, className);
    }
    next.push(child);
  }
  node.children = next;
}

/** The plugin: `[highlightMentions, { known, className }]` in rehypePlugins, after rehype-sanitize. */
export function highlightMentions(options: { known: ReadonlySet<string>; className: string }) {
  return (tree: TNode) => {
    if (options.known.size === 0) return;
    walk(tree, options.known, options.className);
  };
}
