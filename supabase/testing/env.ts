/** MC_TEST_LOG_LEVEL as set by whoever runs the tests, or undefined; read once here. */
export const explicitTestLogLevel: string | undefined = process.env.MC_TEST_LOG_LEVEL;

/** Log level of stacks started by tests: MC_TEST_LOG_LEVEL, default warn. */
export const testLogLevel: string = explicitTestLogLevel ?? "warn";

/**
 * The environment of the test run, for child processes a test starts (an executor, a stack CLI):
 * tests pass it on instead of reading process.env themselves.
 */
export const parentEnv: NodeJS.ProcessEnv = process.env;
