import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { sendJson } from "../http/http-helpers.ts";
import { escapeHtml } from "./mail-templates.ts";
import { listMails, readMail, type TStoredMail } from "./mailbox-store.ts";

/** Path prefix of the mailbox on the gateway (Inbucket / Mailpit's place for `supabase start`). */
export const MAILBOX_PATH = "/mailbox";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // Nothing runs, nothing loads: the page is text, styles and links.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // A followed /verify link must not carry the mailbox as its Referer (GoTrue would redirect there).
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:860px;padding:16px;color:#1b1b1b;background:#fafafa}
h1{font-size:20px}article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0;overflow-wrap:anywhere}
.meta{color:#555;font-size:13px}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f3f3;padding:8px;border-radius:4px}
a.action{display:inline-block;margin:4px 8px 0 0}form{display:flex;gap:8px;flex-wrap:wrap}input{flex:1;min-width:200px;padding:4px}`;

/** True for a request from this machine: the mailbox holds sign-in links, so it never answers the network. */
function fromLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? "";
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
  res.writeHead(status, { ...PAGE_HEADERS, "content-length": Buffer.byteLength(html).toString() });
  res.end(html);
}

/** Links are only ever http(s) URLs the stack wrote; anything else is shown as text, never as a link. */
function linkHtml(link: { label: string; url: string }): string {
  if (!/^https?:\/\//i.test(link.url)) return `<span>${escapeHtml(link.label)}: ${escapeHtml(link.url)}</span>`;
  return `<a class="action" rel="noreferrer" href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a>`;
}

function meta(mail: TStoredMail): string {
  return `<div class="meta">To <span class="to">${escapeHtml(mail.to)}</span> · <time datetime="${escapeHtml(mail.created_at)}">${escapeHtml(mail.created_at)}</time></div>`;
}

function listPage(mails: TStoredMail[], to: string): string {
  const filter = `<form method="get" action="${MAILBOX_PATH}"><input name="to" type="email" placeholder="Show mails to this address" value="${escapeHtml(to)}" aria-label="Recipient"><button type="submit">Filter</button>${to ? ` <a href="${MAILBOX_PATH}">Show all</a>` : ""}</form>`;
  const items = mails.map(
    (mail) =>
      `<article data-mail-id="${mail.id}"><h2><a href="${MAILBOX_PATH}/${mail.id}">${escapeHtml(mail.subject)}</a></h2>${meta(mail)}<div>${mail.links.map(linkHtml).join(" ")}</div></article>`,
  );
  const empty = `<p>No mail${to ? ` to ${escapeHtml(to)}` : ""} yet. Mails the local stack sends (invites, sign-in links, password resets, email changes) appear here, newest first.</p>`;
  return `<h1>Local mailbox</h1><p class="meta">The local stack sends no real mail: every mail is kept here. Hosted projects send through their own SMTP.</p>${filter}${items.length ? items.join("") : empty}`;
}

function messagePage(mail: TStoredMail): string {
  return `<p><a href="${MAILBOX_PATH}">← All mail</a></p><article data-mail-id="${mail.id}"><h1>${escapeHtml(mail.subject)}</h1>${meta(mail)}<div>${mail.links.map(linkHtml).join(" ")}</div><pre>${escapeHtml(mail.text)}</pre></article>`;
}

function limitOf(url: URL): number | undefined {
  const raw = url.searchParams.get("limit");
  return raw && /^\d{1,4}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Serves the local mailbox on the gateway: `GET /mailbox` (HTML list, newest first, `?to=`),
 * `GET /mailbox/<id>` (one mail with its links), `GET /mailbox/api/messages?to=&limit=` and
 * `GET /mailbox/api/messages/<id>` (JSON, for tests and `pnpm mail`). Only for requests from this
 * machine; every value is escaped and the pages run no script.
 */
export async function serveMailbox(db: pg.Pool, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const rest = url.pathname.slice(MAILBOX_PATH.length).replace(/\/+$/, "");
  const json = rest.startsWith("/api/");
  const fail = (status: number, message: string) =>
    json
      ? sendJson(res, status, { error: message })
      : page(res, status, "Local mailbox", `<h1>Local mailbox</h1><p>${escapeHtml(message)}</p>`);
  if (!fromLoopback(req))
    return fail(403, "The local mailbox answers only requests from this machine: open it on the computer running the stack.");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return fail(405, `The mailbox is read-only: use GET, not ${req.method}.`);
  }
  const to = (url.searchParams.get("to") ?? "").slice(0, 320);
  if (rest === "/api/messages") return sendJson(res, 200, { messages: await listMails(db, { to, limit: limitOf(url) }) });
  const apiOne = /^\/api\/messages\/(\d{1,15})$/.exec(rest);
  const one = apiOne ?? /^\/(\d{1,15})$/.exec(rest);
  if (one?.[1]) {
    const mail = await readMail(db, Number(one[1]));
    if (!mail) return fail(404, `No mail with id ${one[1]}: it may have been removed with the stack's data (pnpm stack --reset).`);
    return apiOne ? sendJson(res, 200, mail) : page(res, 200, mail.subject, messagePage(mail));
  }
  if (rest === "") return page(res, 200, "Local mailbox", listPage(await listMails(db, { to }), to));
  return fail(
    404,
    `No mailbox page at ${url.pathname.slice(0, 200)}: open ${MAILBOX_PATH}, ${MAILBOX_PATH}/<id> or ${MAILBOX_PATH}/api/messages?to=<address>.`,
  );
}
