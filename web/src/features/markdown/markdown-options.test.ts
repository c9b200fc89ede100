import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import { describe, expect, it } from "vitest";
import { MARKDOWN_OPTIONS } from "./markdown-options.ts";

const render = (source: string) => renderToStaticMarkup(createElement(ReactMarkdown, MARKDOWN_OPTIONS, source));

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
});
