// Test helpers of the executor (`@mission-control/executor/testing`): a test project on the vitest
// stack, a test executor, message and proposal fixtures, fake provider and HTTP servers.
export * from "./delivery-rows.ts";
export * from "./fake-rpc-answer.ts";
export * from "./proposal-fixtures.ts";
export * from "./send-message.ts";
export * from "./stack-fixtures.ts";
export * from "./start-fake-anthropic.ts";
export * from "./start-fake-openai.ts";
export * from "./start-fake-server.ts";
export * from "./start-recording-server.ts";
export * from "./wait-for.ts";
