/**
 * Reads and verifies a support bundle: refuses truncated zips, unsafe or duplicate names, entries that are
 * not plain files (symbolic links, devices), oversized entries, and any entry missing from, added to, or
 * changed since the manifest.
 *
 * Entries are hashed as they stream out of the zip and never written to disk, so a hostile bundle cannot
 * place a file anywhere whatever its names say. Names and paths are shown with control characters escaped,
 * so a hostile name cannot rewrite the terminal or forge a second line of a message.
 */
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { printable } from '../../../shared/lib/printable';
import { AppError } from '../errors';
import {
  MANIFEST_NAME,
  MAX_ENTRIES,
  MAX_ENTRY_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_TOTAL_BYTES,
  manifestSchema,
  unsafeNameReason,
  type BundleManifest,
} from './bundle-format';

/** Why a bundle was refused. */
export type BundleProblem =
  | 'unreadable'
  | 'truncated'
  | 'unsafe-name'
  | 'special-entry'
  | 'duplicate-name'
  | 'oversized'
  | 'too-many-entries'
  | 'no-manifest'
  | 'bad-manifest'
  | 'missing-entry'
  | 'extra-entry'
  | 'changed-entry';

/**
 * A refused bundle: what is wrong in words the operator can pass on.
 *
 * `problem` names the kind for tests and the CLI's JSON; the message is shown as is.
 */
export class BundleRefusedError extends AppError {
  /** The kind of problem. */
  readonly problem: BundleProblem;

  /**
   * Creates the refusal for `problem` with the operator-facing message.
   *
   * The hint is the same for every problem: the bundle must be sent again.
   */
  constructor(problem: BundleProblem, message: string, options?: { cause?: unknown }) {
    super('invalid-request', message, 'Ask for the bundle to be exported and sent again; do not open a bundle that fails verification.', options);
    this.name = 'BundleRefusedError';
    this.problem = problem;
  }
}

/** A verified bundle. */
export interface VerifiedBundle {
  manifest: BundleManifest;
  /** Contents of the entries the caller asked to keep. */
  kept: Map<string, Buffer>;
}

/** Options of `verifyBundle`. */
export interface VerifyOptions {
  /** Entries whose content the caller needs (review import); the rest is only hashed. */
  keep?: (name: string) => boolean;
  /** Per-entry limit (default `MAX_ENTRY_BYTES`); tests lower it. */
  maxEntryBytes?: number;
}

/** An entry name as messages show it: quoted, escaped, cut at 120 characters. */
function quoted(name: string): string {
  return `"${printable(name, 120)}"`;
}

/** Unix file-type bits of a zip entry's external attributes (`S_IFMT`). */
const S_IFMT = 0o170000;
const FILE_TYPES: Readonly<Record<number, string>> = {
  0o120000: 'a symbolic link',
  0o040000: 'a folder',
  0o020000: 'a character device',
  0o060000: 'a block device',
  0o010000: 'a named pipe',
  0o140000: 'a socket',
};

/**
 * What kind of special entry this is (a symbolic link, a device…), or null for a plain file.
 *
 * Zip tools on Unix keep the file mode in the upper half of the external attributes and recreate links and
 * devices from it on extraction: a bundle whose `events.jsonl` is a link to a system file would verify
 * (the link text is what is hashed) and then expose that file to whoever opens the extracted folder. A
 * mode of 0 is what Windows tools write and means a plain file.
 */
function specialType(entry: yauzl.Entry): string | null {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === 0 || type === 0o100000) return null;
  return FILE_TYPES[type] ?? `a file of unknown type (mode ${(entry.externalFileAttributes >>> 16).toString(8)})`;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (error, zip) => {
      if (error || !zip) {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM') {
          reject(new AppError('io-error', `Cannot read the bundle ${printable(file, 300)} (${code}).`, 'Check the path and that this account can read the file.', { cause: error }));
        } else {
          reject(new BundleRefusedError('truncated', `The bundle ${printable(file, 300)} is not a complete zip file: it was cut off or damaged in transit.`, { cause: error }));
        }
        return;
      }
      resolve(zip);
    });
  });
}

/**
 * Verifies `file` against its manifest and returns the manifest (and the kept entries).
 *
 * Throws `BundleRefusedError` for every kind of refusal, `AppError('io-error')` when the file cannot be read.
 */
export async function verifyBundle(file: string, options: VerifyOptions = {}): Promise<VerifiedBundle> {
  const maxEntry = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
  const zip = await openZip(file);
  const seen = new Map<string, { size: number; sha256: string }>();
  const kept = new Map<string, Buffer>();
  let manifestText: Buffer | null = null;
  let total = 0;

  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw new BundleRefusedError('too-many-entries', `The bundle has ${zip.entryCount} entries; a support bundle has far fewer (limit ${MAX_ENTRIES}).`);
  }

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      zip.close();
      reject(error instanceof AppError ? error : new BundleRefusedError('truncated', `The bundle ${printable(file, 300)} is damaged: an entry could not be read completely.`, { cause: error }));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileNameRaw.toString('utf8');
      const special = specialType(entry);
      // Folder entries, as `zip -r` writes them when someone re-zips a bundle, hold nothing to verify.
      if (name.endsWith('/') && entry.uncompressedSize === 0 && !unsafeNameReason(name.slice(0, -1)) && (special === null || special === 'a folder')) {
        zip.readEntry();
        return;
      }
      const unsafe = unsafeNameReason(name);
      if (unsafe) return fail(new BundleRefusedError('unsafe-name', `The bundle holds an entry with an unsafe name (${unsafe}): ${quoted(name)}.`));
      if (special) {
        return fail(
          new BundleRefusedError(
            'special-entry',
            `The bundle holds ${quoted(name)} as ${special}, not a plain file: a zip tool that extracts it would recreate it as such (a link can point at any file on the machine).`,
          ),
        );
      }
      if (seen.has(name) || (name === MANIFEST_NAME && manifestText !== null)) {
        return fail(new BundleRefusedError('duplicate-name', `The bundle holds ${quoted(name)} twice; one of them could hide the other.`));
      }
      const limit = name === MANIFEST_NAME ? Math.min(maxEntry, MAX_MANIFEST_BYTES) : maxEntry;
      if (entry.uncompressedSize > limit) {
        return fail(new BundleRefusedError('oversized', `The entry ${quoted(name)} is ${entry.uncompressedSize} bytes, above the ${limit}-byte limit.`));
      }
      total += entry.uncompressedSize;
      if (total > MAX_TOTAL_BYTES) return fail(new BundleRefusedError('oversized', `The bundle unpacks to more than ${MAX_TOTAL_BYTES} bytes.`));
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return fail(error);
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        const keep = name === MANIFEST_NAME || (options.keep?.(name) ?? false);
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // validateEntrySizes catches a lying header at the end; this stops a bomb before memory fills.
          if (size > limit) {
            stream.destroy();
            fail(new BundleRefusedError('oversized', `The entry ${quoted(name)} unpacks to more than its ${limit}-byte limit.`));
            return;
          }
          hash.update(chunk);
          if (keep) chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          if (settled) return;
          if (name === MANIFEST_NAME) manifestText = Buffer.concat(chunks);
          else {
            seen.set(name, { size, sha256: hash.digest('hex') });
            if (keep) kept.set(name, Buffer.concat(chunks));
          }
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });

  if (manifestText === null) throw new BundleRefusedError('no-manifest', `The bundle ${printable(file, 300)} has no ${MANIFEST_NAME}: it is not a Rotation Workbench support bundle.`);
  let manifest: BundleManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse((manifestText as Buffer).toString('utf8')));
  } catch (error) {
    throw new BundleRefusedError('bad-manifest', `The bundle's ${MANIFEST_NAME} is not a valid manifest.`, { cause: error });
  }
  const listed = new Map<string, { size: number; sha256: string }>();
  for (const e of manifest.entries) {
    if (unsafeNameReason(e.name) || e.name === MANIFEST_NAME) throw new BundleRefusedError('bad-manifest', `The manifest lists an invalid entry name ${quoted(e.name)}.`);
    if (listed.has(e.name)) throw new BundleRefusedError('duplicate-name', `The manifest lists ${quoted(e.name)} twice.`);
    listed.set(e.name, e);
  }
  for (const [name, want] of listed) {
    const got = seen.get(name);
    if (!got) throw new BundleRefusedError('missing-entry', `The entry ${quoted(name)} listed in the manifest is missing from the bundle.`);
    if (got.size !== want.size || got.sha256 !== want.sha256) {
      throw new BundleRefusedError('changed-entry', `The entry ${quoted(name)} was changed after the bundle was made (its SHA-256 does not match the manifest).`);
    }
  }
  for (const name of seen.keys()) {
    if (!listed.has(name)) throw new BundleRefusedError('extra-entry', `The entry ${quoted(name)} is not listed in the manifest: it was added after the bundle was made.`);
  }
  return { manifest, kept };
}
