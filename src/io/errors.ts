/**
 * The user's input cannot be used as given (a flag, the output directory, the override file
 * as a file): the CLI prints the message and exits 2 without writing anything.
 * `subject` is what the message is about, as the user named it (`--out ./x`, a file path).
 */
export class InputError extends Error {
  constructor(
    readonly subject: string,
    readonly detail: string,
  ) {
    super(`${subject}: ${detail}`);
    this.name = 'InputError';
  }
}

// What a monitoring engineer needs to read instead of an errno, for the errors a file system
// really returns when the output directory or the override file is not usable.
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EXDEV: 'crosses file systems',
  EBUSY: 'busy',
  EINVAL: 'invalid argument for this file system',
};

export function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/** "read-only file system (EROFS)" for a file-system error, the message for anything else. */
export function describeFsError(e: unknown): string {
  if (!isErrno(e)) return e instanceof Error ? e.message : String(e);
  const code = e.code ?? '';
  return `${ERRNO_TEXT[code] ?? e.message} (${code})`;
}
