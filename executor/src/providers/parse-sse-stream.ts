import { AppError } from "@mission-control/shared/errors";

/** One Server-Sent Event: its `event` name ("message" when absent) and its `data` lines joined by "\n". */
export type TSseEvent = { event: string; data: string };

/** A single event larger than this is treated as a broken stream rather than buffered forever. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * Parses a `text/event-stream` body into events, per the WHATWG rules: `\n`, `\r\n` or `\r` line
 * ends, `:` comments, multi-line `data`, an event dispatched on a blank line. UTF-8 split across
 * chunks is decoded correctly. An event left unterminated at the end of the stream is still
 * delivered, because some servers omit the final blank line.
 */
export async function* parseSseStream(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<TSseEvent> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let pendingChars = 0;

  function* takeLines(final: boolean): Generator<TSseEvent> {
    let start = 0;
    // Cached so that a buffer without "\r" is scanned for it once, not once per line.
    let cr = buffer.indexOf("\r");
    for (;;) {
      if (cr !== -1 && cr < start) cr = buffer.indexOf("\r", start);
      const lf = buffer.indexOf("\n", start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk unless final.
      if (end === cr && end === buffer.length - 1 && !final) break;
      const line = buffer.slice(start, end);
      start = end + (end === cr && buffer[end + 1] === "\n" ? 2 : 1);
      const dispatched = readLine(line);
      if (dispatched) yield dispatched;
    }
    buffer = buffer.slice(start);
  }

  function readLine(line: string): TSseEvent | null {
    if (line === "") {
      if (data.length === 0) {
        event = "";
        return null;
      }
      const out = { event: event || "message", data: data.join("\n") };
      event = "";
      data = [];
      pendingChars = 0;
      return out;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      pendingChars += value.length;
      if (pendingChars > MAX_EVENT_CHARS) {
        throw new AppError("provider_bad_response", {
          message: `The provider sent a streamed event larger than ${MAX_EVENT_CHARS} characters: the stream is broken; try again or turn streaming off`,
        });
      }
      data.push(value);
    } else if (field === "event") {
      event = value;
    }
    return null;
  }

  for await (const chunk of body) {
    buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    yield* takeLines(false);
    if (buffer.length > MAX_EVENT_CHARS) {
      throw new AppError("provider_bad_response", {
        message: `The provider sent a line longer than ${MAX_EVENT_CHARS} characters in its stream: the stream is broken; try again or turn streaming off`,
      });
    }
  }
  buffer += decoder.decode();
  yield* takeLines(true);
  if (buffer !== "") {
    const dispatched = readLine(buffer);
    if (dispatched) yield dispatched;
    buffer = "";
  }
  const last = readLine("");
  if (last) yield last;
}
