import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import { describe, expect, it } from "vitest";
import { HIGHLIGHT_OPTIONS, MARKDOWN_OPTIONS, needsHighlighting } from "./markdown-options.ts";

/** Renders as `Markdown` does once the highlighter has loaded: sanitised first, then highlighted. */
const render = (source: string) =>
  renderToStaticMarkup(
    createElement(
      ReactMarkdown,
      { ...MARKDOWN_OPTIONS, rehypePlugins: [...MARKDOWN_OPTIONS.rehypePlugins, [rehypeHighlight, HIGHLIGHT_OPTIONS]] },
      source,
    ),
  );

describe("MARKDOWN_OPTIONS", () => {
  it("renders GitHub-flavoured markdown: tables, task lists, strikethrough", () => {
    const html = render("| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n\n~~old~~");
    expect(html).toContain("<table>");
    expect(html).toContain("<td>1</td>");
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
    expect(html).toContain("<del>old</del>");
  });

  it("drops raw HTML and script, so a document cannot inject anything", () => {
    const html = render('hello <script>alert(1)</script> <img src=x onerror="alert(2)"> <b>bold</b>');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("hello");
  });

  it("removes javascript: links and opens other links in a new tab without access to the dashboard", () => {
    const html = render("[bad](javascript:alert(1)) [good](https://example.com)");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('target="_blank"');
  });

  it("highlights fenced code that names a language, with hljs classes the sanitiser leaves alone", () => {
    const html = render("```ts\nconst answer: number = 42; // why\n```");
    expect(html).toContain('class="hljs language-ts"');
    expect(html).toMatch(/<span class="hljs-keyword">const<\/span>/);
    expect(html).toMatch(/<span class="hljs-number">42<\/span>/);
  });

  it("leaves code without a language, or with an unknown one, as plain escaped text", () => {
    const html = render("```\n<b>not bold</b>\n```\n\n```nosuchlang\nx = 1\n```");
    expect(html).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(html).not.toContain("hljs-");
    expect(html).toContain("x = 1");
  });

  it("cannot be tricked through a code block: HTML inside code stays text, a crafted class is dropped", () => {
    const html = render(
      '```html\n<script>alert(1)</script><img src=x onerror="alert(2)">\n```\n\n<pre><code class="hljs-x" onclick="alert(3)">x</code></pre>',
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/\sonerror=/);
    expect(html).not.toContain("onclick");
    expect(html.match(/<pre>/g)).toHaveLength(1); // the raw <pre> is dropped whole
    expect(html).toContain(">script</span>&gt;");
    expect(html).toContain('class="hljs-tag"');
  });

  it("drops javascript: in autolinks, reference links and images", () => {
    const html = render("[a][r]\n\n[r]: javascript:alert(1)\n\n![i](javascript:alert(2)) <javascript:alert(3)>");
    expect(html).not.toMatch(/(href|src)="javascript:/i);
    expect(html).not.toMatch(/(href|src)=/);
  });

  it("loads the highlighter only for a fenced block that names a language", () => {
    expect(needsHighlighting("```ts\nconst a = 1;\n```")).toBe(true);
    expect(needsHighlighting("Intro\n\n~~~python\nx = 1\n~~~")).toBe(true);
    expect(needsHighlighting("```\nplain\n```")).toBe(false);
    expect(needsHighlighting("inline ```ts``` is not a fence")).toBe(false);
    expect(needsHighlighting("Just prose with `code`.")).toBe(false);
  });
});
