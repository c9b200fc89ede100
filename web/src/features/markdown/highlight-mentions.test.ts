import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import { describe, expect, it } from "vitest";
import { highlightMentions, splitMentions } from "./highlight-mentions.ts";
import { MARKDOWN_OPTIONS } from "./markdown-options.ts";

const known = new Set(["lead", "web"]);
const render = (source: string) =>
  renderToStaticMarkup(
    createElement(
      ReactMarkdown,
      { ...MARKDOWN_OPTIONS, rehypePlugins: [...MARKDOWN_OPTIONS.rehypePlugins, [highlightMentions, { known, className: "m" }]] },
      source,
    ),
  );

describe("splitMentions", () => {
  it("splits known mentions out of a text and keeps the rest", () => {
    const parts = splitMentions("@lead, ask @web (not @nobody)", known, "m");
    expect(parts?.map((p) => (p.type === "text" ? p.value : `[${p.properties.dataMention}]`))).toEqual([
      "[lead]",
      ", ask ",
      "[web]",
      " (not @nobody)",
    ]);
  });

  it("returns null when no known agent is mentioned, and ignores e-mail addresses", () => {
    expect(splitMentions("mail ops@web.example or @nobody", known, "m")).toBeNull();
  });
});

describe("highlightMentions in markdown", () => {
  it("marks mentions in prose and lists, not in code or links", () => {
    const html = render("Hi @lead\n\n- @web please\n\n`@lead` [@web](https://x.example)\n\n```\n@lead\n```");
    expect(html).toContain('Hi <span class="m" data-mention="lead">@lead</span>');
    expect(html).toContain('<span class="m" data-mention="web">@web</span> please');
    expect(html).toContain("<code>@lead</code>");
    expect(html).toContain(">@web</a>");
    expect(html.match(/data-mention/g)).toHaveLength(2);
  });
});
