// Fake providers that call tools, for tests of the agent loop (and of anything run through it).
export * from "./fake-tool-turns.ts";
export * from "./start-fake-anthropic-tools.ts";
export * from "./start-fake-openai-tools.ts";
