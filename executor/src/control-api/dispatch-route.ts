import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CONTROL_API_ROUTES,
  invalidRequestError,
  matchRoutePath,
  type TControlApiRoute,
  type TControlApiRouteName,
  type TRouteAnswer,
  type TRouteBody,
  type TRouteParams,
} from "@mission-control/shared/control-api";
import { AppError } from "@mission-control/shared/errors";
import { authenticateCaller } from "./authenticate-caller.ts";
import type { TCaller, TTokenVerifier } from "./create-token-verifier.ts";
import { readJsonBody } from "./read-json-body.ts";
import { sendJson } from "./send-json.ts";

/** What a route's handler gets: the operator who called (operator routes only), the parsed path parameters and body. */
export type TRouteInput<TName extends TControlApiRouteName> = {
  caller: (typeof CONTROL_API_ROUTES)[TName]["auth"] extends "operator" ? TCaller : null;
  params: TRouteParams<TName>;
  body: TRouteBody<TName>;
};

/** One handler per route of CONTROL_API_ROUTES: adding a route there makes the compiler ask for its handler here. */
export type TRouteHandlers = { [TName in TControlApiRouteName]: (input: TRouteInput<TName>) => Promise<TRouteAnswer<TName>> };

const ROUTE_NAMES = Object.keys(CONTROL_API_ROUTES) as TControlApiRouteName[];
const SERVED = ROUTE_NAMES.map((name) => `${CONTROL_API_ROUTES[name].method} ${CONTROL_API_ROUTES[name].path}`);

/**
 * Serves one request by the route table: finds the route by path, checks the method, the
 * credential its auth kind asks for, the path parameters and the body (in that order), runs its
 * handler and writes the answer. Throws an AppError for the caller to send as the error envelope.
 */
export async function dispatchRoute(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { handlers: TRouteHandlers; verifier: TTokenVerifier; serviceRoleKey: string },
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://control-api").pathname;
  for (const name of ROUTE_NAMES) {
    const route: TControlApiRoute = CONTROL_API_ROUTES[name];
    const rawParams = matchRoutePath(route.path, path);
    if (!rawParams) continue;
    if (req.method !== route.method && !(route.method === "GET" && req.method === "HEAD")) {
      throw new AppError("invalid_input", { message: `${req.method ?? "?"} is not allowed here: use ${route.method}` });
    }
    const caller = await authenticateCaller(route.auth, req, deps);
    let params: unknown;
    if (route.params) {
      const parsed = route.params.safeParse(rawParams);
      if (!parsed.success) throw invalidRequestError("params", parsed.error);
      params = parsed.data;
    }
    const body = route.body ? await readJsonBody(req, route.body) : undefined;
    // The table and the handlers are typed per route; here one route is picked at run time.
    const handler = deps.handlers[name] as (input: { caller: TCaller | null; params: unknown; body: unknown }) => Promise<{
      status: number;
      body: unknown;
    }>;
    const answer = await handler({ caller, params, body });
    sendJson(res, answer.status, answer.body);
    return;
  }
  throw new AppError("not_found", {
    message: `No route ${req.method} ${path}: the Control API serves ${SERVED.slice(0, -1).join(", ")} and ${SERVED.at(-1)}`,
  });
}
