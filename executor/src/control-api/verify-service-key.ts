import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";
import { AppError } from "@mission-control/shared/errors";

/**
 * Checks that the request carries the service role key (`Authorization: Bearer <key>` or
 * `apikey: <key>`), comparing in constant time. Agent-side calls only: the browser never has it.
 */
export function verifyServiceKey(req: IncomingMessage, serviceRoleKey: string): void {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const apikey = typeof req.headers.apikey === "string" ? req.headers.apikey : undefined;
  const given = bearer ?? apikey;
  if (!given) {
    throw new AppError("unauthorized", {
      message: "Send the service role key as `Authorization: Bearer <key>`: only the executor's agents post task events",
    });
  }
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(serviceRoleKey).digest();
  if (!crypto.timingSafeEqual(a, b)) {
    throw new AppError("unauthorized", { message: "That is not the service role key: task events come from the executor's agents only" });
  }
}
