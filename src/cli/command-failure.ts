/**
 * What a command prints when it fails, and its exit code 1: for an error a
 * person can act on (`known`), its message as one line followed by `after`;
 * for anything else the stack, which is a bug to report rather than a line
 * to act on.
 */
export function reportFailure(command: string, error: unknown, known: boolean, after = ''): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    known
      ? `${command}: ${message}${after}\n`
      : `${command} failed: ${error instanceof Error ? (error.stack ?? message) : message}\n`,
  );
  process.exitCode = 1;
}
