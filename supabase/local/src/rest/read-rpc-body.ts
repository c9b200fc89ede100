import type { IncomingMessage } from "node:http";
import { HttpError, httpError, jsonDepthExceeds, MAX_BODY_BYTES, MAX_DRAIN_BYTES, MAX_JSON_DEPTH } from "../http/http-helpers.ts";
import type { TRpcBodyKind } from "./resolve-function.ts";

/**
 * The body of a POST /rpc call. `args` are the named arguments (keys of the JSON object, of the
 * first object of an array, or of a form); `raw` is the body as the single unnamed parameter
 * would receive it: JSON text, plain text, xml, or a bytea literal (`\x…`).
 */
export interface TRpcBody {
  kind: TRpcBodyKind;
  args: Record<string, unknown>;
  keys: string[];
  raw: string;
}

/**
 * Reads a POST /rpc body by its Content-Type, as PostgREST does: application/json (the default),
 * application/x-www-form-urlencoded, text/plain, text/xml and application/octet-stream (the last
 * three only make sense for a function with one unnamed text / xml / bytea parameter).
 */
export async function readRpcBody(req: IncomingMessage): Promise<TRpcBody> {
  const mediaType = (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  const bytes = await readBytes(req);
  if (mediaType === "application/octet-stream") return { kind: "bytea", args: {}, keys: [], raw: `\\x${bytes.toString("hex")}` };
  const text = bytes.toString("utf8");
  if (mediaType === "text/plain") return { kind: "text", args: {}, keys: [], raw: text };
  if (mediaType === "text/xml") return { kind: "xml", args: {}, keys: [], raw: text };
  if (mediaType === "application/x-www-form-urlencoded") {
    const args = Object.fromEntries(new URLSearchParams(text));
    return { kind: "form", args, keys: Object.keys(args), raw: JSON.stringify(args) };
  }
  if (mediaType !== "application/json" && mediaType !== "" && mediaType !== "*/*") {
    throw httpError(
      400,
      "PGRST102",
      `Content-Type not acceptable: ${mediaType}`,
      null,
      "Send application/json, or text/plain, text/xml or application/octet-stream to a function with one unnamed text, xml or bytea parameter",
    );
  }
  if (text.trim() === "") return { kind: "json", args: {}, keys: [], raw: "{}" };
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw httpError(400, "PGRST102", `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, null, "Send a flatter JSON document");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw httpError(400, "PGRST102", "Empty or invalid json", null, "Send a valid JSON document as the request body");
  }
  if (Array.isArray(value)) {
    // Named arguments come from the first object (as PostgREST reads them); an unnamed json parameter gets the whole array.
    const first: unknown = value[0];
    const args = typeof first === "object" && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
    return { kind: "json", args, keys: Object.keys(args), raw: text };
  }
  if (typeof value === "object" && value !== null) {
    return { kind: "json", args: value as Record<string, unknown>, keys: Object.keys(value), raw: text };
  }
  // A bare scalar is no set of named arguments; PostgREST treats it as an empty array.
  return { kind: "json", args: {}, keys: [], raw: "[]" };
}

/** The body as bytes, with the gateway's size limit; like readBody, a refused body is drained so keep-alive survives. */
async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (close: boolean) =>
    new HttpError(
      413,
      { code: "PGRST413", message: `Request body is larger than ${MAX_BODY_BYTES} bytes`, details: null, hint: "Send a smaller body" },
      close ? { connection: "close" } : {},
    );
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_DRAIN_BYTES) throw tooLarge(true);
    if (size > MAX_BODY_BYTES) {
      chunks.length = 0;
      continue;
    }
    chunks.push(buf);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge(false);
  return Buffer.concat(chunks);
}
