/**
 * `azs-rotate make-dirs`: creates the share's folder tree (CertDirectoryMaker equivalent).
 *
 * Recorded in the audit log (`share.make-dirs`, as the app records it) when the data folder (`--data-dir`,
 * else the app's) already holds the app's database. Making folders is a first-round command that needs no
 * database, so it never creates one just to log itself; and a database that cannot be opened does not stop
 * the tree from being made: the command then says on stderr that it was not recorded.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parsePaasList } from '../../../shared/endpoints/catalog';
import type { Store } from '../../services/store';
import { cliActor } from '../actor';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

/** Registers `make-dirs`. */
export function registerMakeDirs(program: Command): void {
  program
    .command('make-dirs')
    .summary('create the Certificates/<AAD|ADFS>/<endpoint> folder tree')
    .description(
      'Creates <share-root>/Certificates/<AAD|ADFS>/<endpoint folders> (and PaaS folders under --paas-dir for --paas providers). Idempotent: reports what it created and what already existed; never removes anything.\n' +
        "Recorded in the audit log (share.make-dirs) when the data folder (--data-dir) already holds the app's database; none is created for it.",
    )
    .argument('<share-root>', 'the share folder (Certificates is created inside it)')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--paas-dir <dir>', 'folder for PaaS certificates')
    .option('--paas <list>', 'comma list of appservices,dbadapter,eventhubs,iothub,acr')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate make-dirs /mnt/share --identity adfs --paas-dir /mnt/share/PaaS --paas eventhubs,dbadapter')
    .action(async (root: string, options: { identity?: string; paasDir?: string; paas?: string; json?: boolean }, self: Command) => {
      if (options.identity !== 'aad' && options.identity !== 'adfs') {
        throw new UsageError(options.identity ? `--identity: "${options.identity}" is not aad or adfs.` : 'Missing --identity (aad or adfs).');
      }
      const paas = options.paas ? parsePaasList(options.paas) : { providers: [], unknown: [] };
      if (paas.unknown.length > 0) throw new UsageError(`--paas: unknown provider(s) ${paas.unknown.join(', ')}; use appservices, dbadapter, eventhubs, iothub, acr.`);
      if (paas.providers.length > 0 && !options.paasDir) throw new UsageError('--paas needs --paas-dir DIR (where the PaaS folders go).');
      const { makeShareTree, recordShareTree } = await import('../../services/preparation');
      let result;
      try {
        result = makeShareTree(root, options.identity, { paasDir: options.paasDir ?? null, paas: paas.providers }, null);
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOSPC' ? 'the disk is full' : e.code === 'EROFS' ? 'the file system is read-only' : e.message;
        throw new UsageError(`Cannot create the tree under ${root}: ${why}.`);
      }
      // Recorded after the fact, so a database problem never stands between the operator and the folders.
      // The store (and SQLite) load only here: a plain make-dirs starts as lean as validate and inspect.
      const { DATABASE_FILE_NAME } = await import('../../services/store');
      const { dataDirOf, openStore } = await import('../data-store');
      if (existsSync(path.join(dataDirOf(self), DATABASE_FILE_NAME))) {
        let store: Store | null = null;
        try {
          store = openStore(self);
          recordShareTree({ store, actor: cliActor() }, result);
        } catch (error) {
          process.stderr.write(`azs-rotate: make-dirs is not recorded in the audit log: ${(error as Error).message}\n`);
        } finally {
          store?.close();
        }
      }
      if (options.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else {
        const c = colorsFor(process.stdout);
        const lines = [...result.created.map((p) => `${c.green('created ')} ${p}`), ...result.existing.map((p) => `${c.dim('exists  ')} ${p}`)];
        for (const p of result.unexpected) lines.push(`${c.yellow('unexpected')} ${p} (left untouched; it does not belong in the tree)`);
        lines.push(`${result.created.length} folder(s) created, ${result.existing.length} already existed${result.unexpected.length ? `, ${result.unexpected.length} unexpected entr${result.unexpected.length === 1 ? 'y' : 'ies'}` : ''}. Put one PFX in each endpoint folder of ${result.certificatesDir}.`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      process.exitCode = EXIT.ok;
    });
}
