/**
 * The one error type of synthops. Every failure that a caller can act on carries a `code`;
 * edges (CLI, HTTP) map codes to exit statuses and HTTP statuses in one place.
 *
 * Messages read `invalid <name>: <value>. <hint>` and never contain row values from user data.
 *
 * @example
 * throw new SynthopsError('invalid_argument', 'invalid rows: -3. Pass a whole number ≥ 0.');
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'invalid_input'
  | 'schema_mismatch'
  | 'not_found'
  | 'incompatible_artifact'
  | 'fit_failed'
  | 'aborted'
  | 'internal';

/** Where in a user's input a problem sits. All fields optional; renderers print what is there. */
export interface ErrorLocation {
  file?: string;
  /** 1-based line in a text file (header is line 1). */
  line?: number;
  /** 0-based data row index. */
  row?: number;
  column?: string;
}

/** One validation finding; `ValidationError` carries all of them at once. */
export interface ValidationIssue extends ErrorLocation {
  message: string;
  /** JSON-pointer-like path inside a config object, e.g. `rules/0/column`. */
  path?: string;
}

export interface SynthopsErrorOptions extends ErrorLocation {
  issues?: ValidationIssue[];
  cause?: unknown;
}

export class SynthopsError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[];
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, options: SynthopsErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'SynthopsError';
    this.code = code;
    this.issues = options.issues ?? [];
    const { file, line, row, column } = options;
    this.location = stripUndefined({ file, line, row, column });
  }

  /** True for mistakes in the caller's input (CLI exit 2, HTTP 4xx); false for our own faults. */
  get isUserError(): boolean {
    return this.code !== 'internal';
  }

  /** A one-line description: `file:line: column "x": message`. */
  describe(): string {
    return formatLocation(this.location) + this.message;
  }

  toJSON(): { code: ErrorCode; message: string; location?: ErrorLocation; issues?: ValidationIssue[] } {
    const out: { code: ErrorCode; message: string; location?: ErrorLocation; issues?: ValidationIssue[] } = {
      code: this.code,
      message: this.message,
    };
    if (Object.keys(this.location).length) out.location = this.location;
    if (this.issues.length) out.issues = this.issues;
    return out;
  }
}

/**
 * Validation failure with every issue found (validate all, then throw once).
 * @example
 * const issues = []; if (!ok) issues.push({ message: 'invalid k: 0. Use k ≥ 1.', path: 'k' });
 * if (issues.length) throw new ValidationError(issues);
 */
export class ValidationError extends SynthopsError {
  constructor(issues: ValidationIssue[], message?: string) {
    super(
      'invalid_argument',
      message ??
        (issues.length === 1
          ? formatLocation(issues[0]) + issues[0].message
          : `${issues.length} problems: ` + issues.map((i) => formatLocation(i) + i.message).join('; ')),
      { issues },
    );
    this.name = 'ValidationError';
  }
}

/** Prefix text like `data.csv:12: column "age": ` for a location (empty when there is none). */
export function formatLocation(loc: ErrorLocation): string {
  let s = '';
  if (loc.file) s += loc.file;
  if (loc.line !== undefined) s += (s ? ':' : 'line ') + loc.line;
  else if (loc.row !== undefined) s += (s ? ': ' : '') + `row ${loc.row + 1}`;
  if (s) s += ': ';
  if (loc.column !== undefined) s += `column "${loc.column}": `;
  return s;
}

/** Narrowing helper usable across realms (worker threads, bundles). */
export function isSynthopsError(e: unknown): e is SynthopsError {
  return e instanceof SynthopsError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'SynthopsError');
}

/** Throws `aborted` when the signal has fired. Call at loop boundaries of long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SynthopsError('aborted', 'the operation was cancelled.');
}

function stripUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
