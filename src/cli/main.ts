import { Command, CommanderError } from 'commander';
import type { CliIO } from './context.js';
import { commands } from './commands/index.js';
import { EXIT, describeFailure } from './exit.js';

/**
 * Runs the CLI with `argv` (without `node synthops`) and returns the exit status.
 * Never throws and never calls process.exit, so tests can call it in-process.
 */
export async function run(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const controller = new AbortController();
  const full: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    ...io,
  };
  const onSigint = () => controller.abort();
  if (!io.signal) process.once('SIGINT', onSigint);
  let status: number = EXIT.ok;
  const program = new Command('synthops')
    .description('Synthetic tabular data: generate, evaluate, monitor.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => full.stdout(s), writeErr: (s) => full.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) {
    register(program, full, (code) => {
      status = code;
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      status = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      const { code, message } = describeFailure(e, Boolean(full.env.SYNTHOPS_DEBUG));
      if (message) full.stderr(message + '\n');
      status = code;
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return status;
}
