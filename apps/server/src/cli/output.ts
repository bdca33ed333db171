import type { Command } from 'commander';
import { HttpProblem } from '../http/problem.ts';

/** Global CLI flags read by every command. */
export interface GlobalFlags {
  json: boolean;
}

export function globalFlags(cmd: Command): GlobalFlags {
  const opts = cmd.optsWithGlobals<{ json?: boolean }>();
  return { json: opts.json === true };
}

/** Logs and progress go to stderr so that stdout carries exactly one JSON object under `--json`. */
export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Runs a command body: with `--json` prints exactly one JSON object on stdout (the result, or `{ok:false,error}`),
 * otherwise the human rendering; exits non-zero on failure or when the body reports `ok: false`.
 */
export async function runCommand<T extends Record<string, unknown>>(
  cmd: Command,
  body: () => Promise<T>,
  render: (result: T) => string,
): Promise<void> {
  const { json } = globalFlags(cmd);
  try {
    const result = await body();
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${render(result)}\n`);
    if (result.ok === false) process.exitCode = 1;
  } catch (err) {
    const message = (err as Error).message;
    // a service's problem keeps the fields it names (`errors`), as the HTTP API's problem document does
    const details =
      err instanceof CliError
        ? err.details
        : err instanceof HttpProblem && err.errors
          ? { errors: err.errors }
          : undefined;
    if (json)
      process.stdout.write(`${JSON.stringify({ ok: false, error: message, ...(details ? { details } : {}) })}\n`);
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  }
}
