/**
 * `azs-rotate backup create|verify|restore|clean`: hashed copies of a certificate share.
 */
import type { Command } from 'commander';
import { printJson, printLines, withPrepContext } from '../prep-support';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

/** Registers `backup create|verify|restore|clean`. */
export function registerBackup(program: Command): void {
  const backup = program
    .command('backup')
    .summary('back up, verify, restore or clean a certificate share')
    .description('Copies of a share\'s Certificates folder with a SHA-256 manifest.json; every action is recorded in the audit log.');

  backup
    .command('create')
    .summary('copy a Certificates folder with a SHA-256 manifest')
    .description('Copies every file of <Certificates-dir> into the new folder --to (built aside and renamed into place, so a failed backup leaves nothing), writes manifest.json and verifies the copy. Exit code 0 when the backup verifies, 1 when it does not, 2 on usage errors.')
    .argument('<Certificates-dir>', "the share's Certificates folder")
    .option('--to <dir>', 'the new backup folder (must not exist, or be empty)')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (source: string, options: { to?: string; json?: boolean }, self: Command) => {
      if (!options.to) throw new UsageError('Missing --to DIR (the new backup folder).');
      const result = await withPrepContext(self, async (ctx) => (await import('../../services/preparation')).createBackup({ certificatesDir: source, to: options.to! }, ctx));
      if (options.json) printJson(result);
      else printLines([`Backed up ${result.files} file(s), ${result.bytes} bytes, from ${result.source} to ${result.backupDir}; manifest ${result.verified ? 'verified' : 'does NOT verify'}.`]);
      process.exitCode = result.verified ? EXIT.ok : EXIT.failures;
    });

  backup
    .command('verify')
    .summary('check a backup against its manifest')
    .description('Exit code 0 when every file of the manifest is present with its size and SHA-256 and nothing else is there; 1 on any missing, extra or changed file (all listed); 2 when the folder cannot be read.')
    .argument('<dir>', 'the backup folder')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (dir: string, options: { json?: boolean }, self: Command) => {
      const result = await withPrepContext(self, async (ctx) => (await import('../../services/preparation')).verifyBackup(dir, ctx));
      if (options.json) printJson(result);
      else {
        const c = colorsFor(process.stdout);
        printLines([
          ...result.problems.map((p) => `${c.red(p.code.padEnd(16))} ${p.message}`),
          result.ok ? c.green(`Backup ${result.backupDir} verifies: ${result.files} file(s) intact.`) : c.red(`Backup ${result.backupDir} does NOT verify: ${result.problems.length} problem(s).`),
        ]);
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.failures;
    });

  backup
    .command('restore')
    .summary('restore a verified backup into a Certificates folder (before a ReRun)')
    .description('Verifies the backup, then writes each file into --to (atomically; identical files are skipped), reads them back and lists files the backup does not hold (left untouched). Exit code 0 when everything restored reads back intact, 1 when not, 2 when the backup does not verify or on usage errors.')
    .argument('<dir>', 'the backup folder')
    .option('--to <Certificates-dir>', "the share's Certificates folder")
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (dir: string, options: { to?: string; json?: boolean }, self: Command) => {
      if (!options.to) throw new UsageError("Missing --to DIR (the share's Certificates folder).");
      const result = await withPrepContext(self, async (ctx) => (await import('../../services/preparation')).restoreBackup({ backupDir: dir, to: options.to! }, ctx));
      if (options.json) printJson(result);
      else {
        const c = colorsFor(process.stdout);
        printLines([
          ...result.restored.map((f) => `${c.green('restored ')} ${f}`),
          ...result.extra.map((f) => `${c.yellow('not in backup')} ${f} (left untouched)`),
          `${result.restored.length} file(s) restored, ${result.unchanged.length} already identical; ${result.verified ? 'all read back intact' : c.red('some do NOT read back intact')}.`,
        ]);
      }
      process.exitCode = result.verified ? EXIT.ok : EXIT.failures;
    });

  backup
    .command('clean')
    .summary('after a rotation: delete the PFX files the app placed, once a verified backup holds them')
    .description('Deletes from <Certificates-dir> only files the app placed (place, restore) that still have the content it placed and that the verified backup --backup holds with the same hash; lists everything it keeps. Exit code 0, 2 when the backup does not verify or on usage errors.')
    .argument('<Certificates-dir>', "the share's Certificates folder")
    .option('--backup <dir>', 'a backup of the folder (backup create)')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (dir: string, options: { backup?: string; json?: boolean }, self: Command) => {
      if (!options.backup) throw new UsageError('Missing --backup DIR (a verified backup of the folder).');
      const result = await withPrepContext(self, async (ctx) => (await import('../../services/preparation')).cleanShare({ certificatesDir: dir, backupDir: options.backup! }, ctx));
      if (options.json) printJson(result);
      else printLines([...result.removed.map((f) => `removed ${f}`), ...result.kept.map((k) => `kept    ${k.path} (${k.reason})`), `${result.removed.length} file(s) removed, ${result.kept.length} kept.`]);
      process.exitCode = EXIT.ok;
    });
}
