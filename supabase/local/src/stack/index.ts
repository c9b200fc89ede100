export { startStack, type TStackHandle, type TStartStackOptions } from "./start-stack.ts";
export type { TStackEnvFile } from "./write-env-file.ts";
