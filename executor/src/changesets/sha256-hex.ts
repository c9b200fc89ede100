import crypto from "node:crypto";

/** The hex sha-256 of some bytes (a string counts as its UTF-8 bytes): what changesets bind a file's content to. */
export function sha256Hex(content: Buffer | string): string {
  return crypto
    .createHash("sha256")
    .update(typeof content === "string" ? Buffer.from(content, "utf8") : content)
    .digest("hex");
}
