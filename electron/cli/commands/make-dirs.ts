/**
 * `azs-rotate make-dirs`: creates the share's folder tree (CertDirectoryMaker equivalent).
 */
import type { Command } from 'commander';
import { parsePaasList } from '../../../shared/endpoints/catalog';
import { makeShareDirs } from '../../services/certificates';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

/** Registers `make-dirs`. */
export function registerMakeDirs(program: Command): void {
  program
    .command('make-dirs')
    .summary('create the Certificates/<AAD|ADFS>/<endpoint> folder tree')
    .description('Creates <share-root>/Certificates/<AAD|ADFS>/<endpoint folders> (and PaaS folders under --paas-dir for --paas providers). Idempotent: reports what it created and what already existed; never removes anything.')
    .argument('<share-root>', 'the share folder (Certificates is created inside it)')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--paas-dir <dir>', 'folder for PaaS certificates')
    .option('--paas <list>', 'comma list of appservices,dbadapter,eventhubs,iothub,acr')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate make-dirs /mnt/share --identity adfs --paas-dir /mnt/share/PaaS --paas eventhubs,dbadapter')
    .action((root: string, options: { identity?: string; paasDir?: string; paas?: string; json?: boolean }) => {
      if (options.identity !== 'aad' && options.identity !== 'adfs') {
        throw new UsageError(options.identity ? `--identity: "${options.identity}" is not aad or adfs.` : 'Missing --identity (aad or adfs).');
      }
      const paas = options.paas ? parsePaasList(options.paas) : { providers: [], unknown: [] };
      if (paas.unknown.length > 0) throw new UsageError(`--paas: unknown provider(s) ${paas.unknown.join(', ')}; use appservices, dbadapter, eventhubs, iothub, acr.`);
      if (paas.providers.length > 0 && !options.paasDir) throw new UsageError('--paas needs --paas-dir DIR (where the PaaS folders go).');
      let result;
      try {
        result = makeShareDirs(root, options.identity, { paasDir: options.paasDir ?? null, paas: paas.providers });
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOSPC' ? 'the disk is full' : e.code === 'EROFS' ? 'the file system is read-only' : e.message;
        throw new UsageError(`Cannot create the tree under ${root}: ${why}.`);
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
