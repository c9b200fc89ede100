import { SLASH_COMMANDS } from "@mission-control/shared/schemas";

/** One slash command the composer suggests. */
export type TSlashCommand = (typeof SLASH_COMMANDS)[number];

/**
 * The command word being typed, without its slash: only while the message starts with "/" and
 * the caret is still in that first word (a "/" later in a sentence is just text). Null otherwise.
 */
export function slashQuery(text: string, caret: number): string | null {
  const match = /^\/([a-z]*)$/i.exec(text.slice(0, caret));
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/** The commands whose name starts with the query, in their usual order. */
export function filterSlashCommands(query: string): TSlashCommand[] {
  return SLASH_COMMANDS.filter((command) => command.command.slice(1).startsWith(query));
}

/** The composer's text once a command is picked: the typed word replaced by the command and a space, caret after it. */
export function insertSlashCommand(text: string, caret: number, command: TSlashCommand): { text: string; caret: number } {
  const rest = text
    .slice(caret)
    .replace(/^[a-z]*/i, "")
    .replace(/^ /, "");
  const head = `${command.command} `;
  return { text: head + rest, caret: head.length };
}

/** What a key press does while the suggestions are open. */
export type TSlashKeyAction = { kind: "move"; active: number } | { kind: "pick"; command: TSlashCommand } | { kind: "close" } | null;

/**
 * The suggestion list's keyboard: ArrowDown / ArrowUp move (wrapping), Enter or Tab pick the
 * active command, Escape closes. Any other key is left to the text box (null).
 */
export function slashKeyAction(key: string, active: number, options: readonly TSlashCommand[]): TSlashKeyAction {
  if (options.length === 0) return null;
  switch (key) {
    case "ArrowDown":
      return { kind: "move", active: (active + 1) % options.length };
    case "ArrowUp":
      return { kind: "move", active: (active - 1 + options.length) % options.length };
    case "Enter":
    case "Tab": {
      const command = options[Math.min(Math.max(active, 0), options.length - 1)];
      return command ? { kind: "pick", command } : null;
    }
    case "Escape":
      return { kind: "close" };
    default:
      return null;
  }
}
