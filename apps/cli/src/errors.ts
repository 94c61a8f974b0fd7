import { FoveaError } from '@fovea/core';

/** A mistake on the command line: unknown command or flag, a bad value, a missing argument. */
export class UsageError extends FoveaError {}

/** Errors the user can fix (bad input, missing files), printed as one line without a stack. */
export function isUserError(err: unknown): err is Error {
  if (err instanceof FoveaError) return true;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^(ENOENT|EISDIR|ENOTDIR|EACCES|EPERM|EROFS|ENOSPC|ERR_PARSE_ARGS_)/.test(code);
}

/** The one line printed for a user error: file-system errors as 'PATH: what went wrong'. */
export function userMessage(err: Error): string {
  const { code, path } = err as NodeJS.ErrnoException;
  if (code && path) return `${path}: ${err.message.replace(/^E[A-Z]+: /, '').split(',')[0]}`;
  return err.message;
}
