/**
 * `azs-rotate place`: copies PFX files into the endpoint folders their SANs match.
 */
import type { Command } from 'commander';
import type { PlacementResult } from '../../services/preparation';
import { identityOption, printJson, printLines, stampOptions, withPrepContext } from '../prep-support';
import { PFX_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor } from '../terminal';
import { EXIT } from '../usage-error';

function printPlacement(result: PlacementResult): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(`Placing ${result.source} into ${result.certificatesDir}`)];
  for (const f of result.files) {
    const name = f.file.split(/[\\/]/).pop();
    if (f.status === 'placed') lines.push(`${c.green('placed        ')} ${name} → ${f.endpoint}`);
    else if (f.status === 'already-placed') lines.push(`${c.dim('already placed')} ${name} → ${f.endpoint}`);
    else lines.push(`${c.red(f.status.padEnd(14))} ${name}: ${f.message}`);
  }
  const s = result.summary;
  lines.push(`${s.placed} placed, ${s.alreadyPlaced} already there, ${s.notPlaced} not placed.${s.notPlaced ? ' Originals are untouched; fix the files listed and place again.' : ''}`);
  printLines(lines);
}

/** Registers `place`. */
export function registerPlace(program: Command): void {
  const command = program
    .command('place')
    .summary('copy each PFX into the endpoint folder its SANs match')
    .description(
      'Opens each .pfx of <pfx-folder> with the password, matches its SANs to the endpoint catalog and copies it into <share-root>/Certificates/<AAD|ADFS>/<endpoint> (originals are never moved or changed).\n' +
        'Files that match no endpoint, several endpoints, or an endpoint another file also matches are listed and not copied; a folder that already holds a different PFX is never overwritten.\n' +
        'Exit code 0 when every file was placed (or was already there), 1 when any was not, 2 on usage errors.',
    )
    .argument('<pfx-folder>', 'folder with the PFX files to place')
    .argument('<share-root>', 'the share folder holding Certificates (or the Certificates folder)')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--region <region>', 'region of the stamp, e.g. east')
    .option('--fqdn <fqdn>', 'external domain, e.g. azurestack.contoso.com')
    .option('--paas-dir <dir>', 'also place PaaS certificates, into this folder')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(command, PFX_PASSWORD);
  command.addHelpText('after', '\nExample:\n  azs-rotate place ./pfx /mnt/share --identity adfs --region east --fqdn azurestack.contoso.com --password-file pw.txt');
  command.action(async (pfxFolder: string, shareRoot: string, options: { identity?: string; region?: string; fqdn?: string; paasDir?: string; json?: boolean }, self: Command) => {
    const identity = identityOption(options.identity);
    const { region, fqdn } = stampOptions(options.region, options.fqdn);
    const password = await readSecret(options as Record<string, unknown>, PFX_PASSWORD);
    const result = await withPrepContext(self, async (ctx) => {
      const { placePfxFiles } = await import('../../services/preparation');
      return placePfxFiles({ pfxFolder, shareRoot, identity, region, fqdn, password, paasDir: options.paasDir ?? null }, ctx);
    });
    if (options.json) printJson(result);
    else printPlacement(result);
    process.exitCode = result.summary.notPlaced > 0 ? EXIT.failures : EXIT.ok;
  });
}
