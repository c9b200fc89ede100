// Test helpers of the local stack, for this package's tests and for every other package's tests
// (`@mission-control/supabase/testing`). The vitest global setup is `./global-stack.ts`.
export * from "../local/src/stack/get-free-port.ts";
export * from "./agent-fixtures.ts";
export * from "./create-migrated-database.ts";
export * from "./env.ts";
// Types only: brings vitest's ProvidedContext (`inject("stack")`) to packages whose tsconfig does not include this folder (web).
export type {} from "./global-stack.ts";
export * from "./mailbox-fixtures.ts";
export * from "./mfa-fixtures.ts";
export * from "./project-fixture.ts";
export * from "./proposal-states.ts";
export * from "./realtime-test-stack.ts";
export * from "./rest-fixtures.ts";
export * from "./run-fixtures.ts";
export * from "./stack-clients.ts";
