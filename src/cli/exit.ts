import { isSynthopsError } from '../core/errors.js';

/** CLI exit statuses, in one place. */
export const EXIT = {
  ok: 0,
  /** A quality gate, policy or retraining trigger fired. */
  gateFailed: 1,
  /** The user's input or arguments are wrong. */
  usage: 2,
  /** Our fault: a bug or an unexpected failure. */
  internal: 70,
  /** Cancelled with Ctrl-C. */
  interrupted: 130,
} as const;

/** Maps any thrown value to an exit status and the one line to print on stderr (no stack for user errors). */
export function describeFailure(e: unknown, debug = false): { code: number; message: string } {
  if (isSynthopsError(e)) {
    if (e.code === 'aborted') return { code: EXIT.interrupted, message: 'synthops: cancelled; nothing was written.' };
    if (e.code === 'internal') return { code: EXIT.internal, message: `synthops: internal error: ${e.message}` + (debug && e.stack ? '\n' + e.stack : '') };
    const issues = e.issues.length > 1 ? '\n' + e.issues.map((i) => '  - ' + i.message).join('\n') : '';
    return { code: EXIT.usage, message: `synthops: error: ${e.describe()}${issues}` };
  }
  const err = e as { code?: string; message?: string; stack?: string };
  // commander's own usage errors are already printed by commander.
  if (typeof err?.code === 'string' && err.code.startsWith('commander.')) return { code: EXIT.usage, message: '' };
  return {
    code: EXIT.internal,
    message: `synthops: internal error: ${err?.message ?? String(e)}. Please report this with the command you ran.` + (debug && err?.stack ? '\n' + err.stack : ''),
  };
}
