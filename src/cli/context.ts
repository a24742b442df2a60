/** What a command needs from the outside world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars animate only then). */
  isTTY: boolean;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** Environment variables (e.g. SYNTHOPS_DEBUG). */
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C. */
  signal: AbortSignal;
}

/** The result of a command: an exit status (0 ok, 1 gate failed). Errors are thrown, not returned. */
export type CommandResult = number | void;
