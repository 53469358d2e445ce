/**
 * `azs-rotate inspect`: what a PFX holds (bags, algorithms, certificates, key).
 */
import type { Command } from 'commander';
import type { PfxInspection } from '../../services/certificates';
import { NOT_A_REGULAR_FILE, describeFsCode, pathKind } from '../../services/certificates/fs-errors';
import { PFX_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

/** Prints the human form of a PFX that opened (one that did not is reported on stderr instead). */
function printInspection(result: PfxInspection): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(result.file) + ` (${result.sizeBytes} bytes)`];
  lines.push(result.mac ? `MAC: ${result.mac.digest} (${result.mac.digestOid}), ${result.mac.iterations} iterations, ${result.mac.saltLength}-byte salt` : c.yellow('MAC: none'));
  lines.push('', c.bold('Bags'));
  lines.push(
    table(
      ['#', 'Type', 'Encryption', 'OID', 'Iterations', 'Attributes'],
      result.bags.map((b, i) => [
        String(i),
        b.type,
        b.encryption ? b.encryption.name : 'none',
        b.encryption ? (b.encryption.cipherOid ? `${b.encryption.oid} / ${b.encryption.cipherOid}` : b.encryption.oid) : '-',
        b.encryption ? String(b.encryption.iterations) : '-',
        // Names come from the file: JSON quoting shows control characters escaped instead of sending them to the terminal.
        [b.friendlyName && `name ${JSON.stringify(b.friendlyName)}`, b.localKeyId && `keyId ${b.localKeyId.slice(0, 8)}…`, b.machineKeySet && 'machine keyset', b.cspName && `CSP ${JSON.stringify(b.cspName)}`]
          .filter(Boolean)
          .join(', ') || '-',
      ]),
      !!process.stdout.isTTY,
    ),
  );
  lines.push('', c.bold('Certificates'));
  for (const cert of result.certificates) {
    lines.push(`  [${cert.index}] ${cert.role.toUpperCase()}  ${cert.subject || '(empty subject)'}`);
    lines.push(`      issuer      ${cert.issuer || '(empty)'}`);
    if (cert.sans.length) lines.push(`      SANs        ${cert.sans.join(', ')}`);
    lines.push(`      valid       ${cert.notBefore} → ${cert.notAfter}`);
    lines.push(`      key         ${cert.keyType.toUpperCase()} ${cert.keyBits ?? cert.keyCurve ?? ''}   signature ${cert.signatureAlgorithm}`);
    lines.push(`      thumbprint  ${cert.thumbprint}`);
    for (const problem of cert.problems) lines.push(`      ${c.red('problem')}     ${problem}`);
  }
  const k = result.privateKey;
  lines.push(
    '',
    k.present
      ? `Private key: ${k.type?.toUpperCase()} ${k.bits ?? ''} bits, ${k.matchesLeaf ? c.green('matches the leaf') : c.red('does NOT match the leaf')}, machine keyset ${k.machineKeySet ? 'yes' : c.yellow('no')}`
      : c.red('Private key: none'),
  );
  process.stdout.write(lines.join('\n') + '\n');
}

/** Registers `inspect`. */
export function registerInspect(program: Command): void {
  const command = program
    .command('inspect')
    .summary('show what a PFX holds: bags, algorithms, certificates, key')
    .description(
      'Shows the bags of a PFX with their encryption and MAC algorithms (names and OIDs) and iteration counts, the certificates (subject, issuer, SANs, validity, key, signature algorithm, thumbprint) and whether the private key matches the leaf.\n' +
        'Exit code 0 when the file opens, 2 when it does not: the reason is one line on stderr (with --json, the report with its "error" is still printed on stdout).',
    )
    .argument('<file.pfx>', 'the PFX file')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(command, PFX_PASSWORD);
  command.addHelpText('after', '\nExample:\n  azs-rotate inspect "Public Portal/portal.pfx" --password-file pw.txt --json');
  command.action(async (file: string, options: { json?: boolean }) => {
    // A path that names no readable file is refused before the password is asked for.
    const target = pathKind(file);
    if (target.kind === 'unreadable') throw new UsageError(target.message);
    if (target.kind !== 'file') throw new UsageError(`Cannot read ${file}: ${target.kind === 'folder' ? describeFsCode('EISDIR') : NOT_A_REGULAR_FILE}.`);
    const password = await readSecret(options as Record<string, unknown>, PFX_PASSWORD);
    // The engine loads when there is a file to open, not for --help.
    const { inspectPfx } = await import('../../services/certificates');
    const result = inspectPfx(file, password);
    if (options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else if (result.opened) printInspection(result);
    if (!result.opened) {
      // The contract puts the reason for exit 2 on stderr, one line, whatever the output format.
      const reason = (result.error?.message ?? 'unknown error').replace(/\s+/g, ' ').trim();
      throw new UsageError(`Cannot open ${file}: ${reason}.`);
    }
    process.exitCode = EXIT.ok;
  });
}
