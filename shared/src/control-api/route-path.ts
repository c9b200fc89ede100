import { AppError } from "../errors/index.ts";

/**
 * Matches a pathname against a route's path pattern (`/api/tasks/:taskId/events`): each `:name`
 * segment matches one non-empty segment, taken as it was sent (not decoded). Returns the
 * parameters, or null when the pathname is not this route.
 */
export function matchRoutePath(pattern: string, pathname: string): Record<string, string> | null {
  const expected = pattern.split("/");
  const actual = pathname.split("/");
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] ?? "";
    if (segment.startsWith(":")) {
      if (value === "") return null;
      params[segment.slice(1)] = value;
    } else if (segment !== value) {
      return null;
    }
  }
  return params;
}

/** Builds a route's path from its pattern, each `:name` segment replaced by its URI-encoded parameter. */
export function buildRoutePath(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return segment;
      const value = params[segment.slice(1)];
      if (!value) throw new AppError("internal", { message: `${pattern} needs the path parameter ${segment}: pass it to buildRoutePath` });
      return encodeURIComponent(value);
    })
    .join("/");
}
