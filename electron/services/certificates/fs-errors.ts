/**
 * File-system errors in words an operator can act on, shared by the PFX reader and the CLI commands.
 *
 * `validate`, `inspect` and the report's `parse-pfx` check all meet the same failures (a missing file, a
 * symbolic link loop, a share that stopped answering); one mapping keeps their messages identical and
 * makes every one say what to do, not just the errno code.
 */

import { statSync } from 'node:fs';

/** The errno code of a thrown value (`ENOENT`, `ELOOP`, …), or undefined when it is not a system error. */
function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Why a path cannot be read and what to do, for an errno code.
 *
 * A sentence fragment without a final period, meant to follow "Cannot read FILE: " or
 * "Cannot open FILE: ". Unknown codes keep the code, so support can still look it up.
 */
export function describeFsCode(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist (or is a link to something that does not exist); check the path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: the account running the tool cannot read it; run the tool as an account that can, or grant this one read access';
    case 'ELOOP':
      return 'it is a symbolic link loop (links that point at each other and never reach a file); point the link at the real file, or replace the link with the file';
    case 'EISDIR':
      return 'it is a folder, not a file; give the path of the .pfx file inside it';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder; check the path';
    case 'ENAMETOOLONG':
      return 'the path is too long for the file system; move or rename the file so its path is shorter';
    case 'EIO':
    case 'ESTALE':
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTCONN':
    case 'ECONNRESET':
      return `the disk or network share stopped answering (${code}); check the storage or the connection to the share, then try again`;
    case 'EBUSY':
    case 'ETXTBSY':
      return 'another program holds it locked; close that program and try again';
    case 'EMFILE':
    case 'ENFILE':
      return 'the system has too many files open; close other programs and try again';
    default:
      return code ? `the system refused to read it (${code})` : 'the system refused to read it';
  }
}

/**
 * Why a path cannot be read and what to do, for a thrown file-system error.
 *
 * Like {@link describeFsCode}; an error without an errno code (not from the file system) keeps its
 * own message, flattened to one line.
 */
export function describeFsError(error: unknown): string {
  const code = errnoCode(error);
  if (code) return describeFsCode(code);
  const message = error instanceof Error ? error.message : String(error);
  return `the system refused to read it (${message.replace(/\s+/g, ' ').trim()})`;
}

/**
 * Why a path that exists is still not a file to read: a device, pipe or socket.
 *
 * Such a path is refused unread, because reading a named pipe blocks until something writes to it.
 */
export const NOT_A_REGULAR_FILE = 'it is not a regular file (a device, pipe or socket); give the path of a .pfx file';

/**
 * What a path the operator named turned out to be, or why it cannot be examined.
 *
 * `other` is anything that is neither a regular file nor a folder (device, pipe, socket).
 */
export type PathKind = { readonly kind: 'file' | 'folder' | 'other' } | { readonly kind: 'unreadable'; readonly message: string };

/**
 * Follows a path the operator named (links included) and says whether it is a file or a folder.
 *
 * Never throws: when the path cannot be examined, `message` is the whole sentence to show,
 * "Cannot read PATH: why; what to do.", so every command words it the same way.
 */
export function pathKind(target: string): PathKind {
  try {
    const stats = statSync(target);
    return { kind: stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other' };
  } catch (error) {
    return { kind: 'unreadable', message: `Cannot read ${target}: ${describeFsError(error)}.` };
  }
}
