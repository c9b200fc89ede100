/** Only same-site paths are followed after sign-in: anything else (another site, `//host`) goes to the start page. */
export function safeNext(value: string | null | undefined): string {
  return value?.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}
