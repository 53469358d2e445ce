/**
 * `azs-rotate pfx assemble|repackage`: PFX files from issued certificates and stored keys, and rewrites.
 */
import type { Command } from 'commander';
import { findEndpoint } from '../../../shared/endpoints/catalog';
import { CA_KINDS, versionProblem } from '../../../shared/stamps/stamp';
import type { CaKind } from '../../../shared/stamps/stamp';
import type { AssemblyResult, PfxProfile, RepackageResult } from '../../services/preparation';
import { printJson, printLines, stampOptions, withPrepContext } from '../prep-support';
import { KEY_PASSPHRASE, NEW_PFX_PASSWORD, PFX_PASSWORD, addSecretOptions, readSecret } from '../secrets';
import { colorsFor } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

interface RepackageCliOptions {
  out?: string;
  profile?: string;
  json?: boolean;
  newPasswordFile?: string;
  endpoint?: string;
  region?: string;
  fqdn?: string;
  currentCa?: string;
  stampVersion?: string;
}

function profileOption(value: string | undefined): PfxProfile {
  if (value === undefined || value === 'azure-stack') return 'azure-stack';
  if (value === 'modern') return 'modern';
  throw new UsageError(`--profile: "${value}" is not azure-stack or modern.`);
}

function printAssembly(result: AssemblyResult): void {
  const c = colorsFor(process.stdout);
  const status = (s: string) => (s === 'ok' ? c.green('ok') : s === 'warning' ? c.yellow('warning') : c.red('FAIL'));
  const lines = [c.bold(`Assembled into ${result.outDir}`) + ` (profile ${result.profile})`];
  for (const o of result.outputs) {
    lines.push(`${status(o.status)}  ${o.file.split(/[\\/]/).pop()}  ${o.endpoint}  ${c.dim(`key ${o.keyId}, chain: ${o.chain.join(' → ')}`)}`);
    for (const v of o.validations) for (const issue of v.issues) lines.push(`    ${issue.status === 'fail' ? c.red('✗') : c.yellow('!')} ${v.endpoint} ${issue.id}: ${issue.message}`);
  }
  for (const p of result.problems) lines.push(`${c.red(p.code)}  ${p.file.split(/[\\/]/).pop()}: ${p.message}`);
  const s = result.summary;
  lines.push(`${s.assembled} PFX file(s) written: ${s.ok} ok, ${s.warning} warning, ${s.fail} failed validation; ${s.problems} certificate(s) not assembled.`);
  printLines(lines);
}

function printRepackage(result: RepackageResult): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(`Repackaged ${result.input} → ${result.output}`) + ` (profile ${result.profile})`];
  lines.push(`  chain: ${result.chain.map((x) => x.subject).join(' → ')}${result.chainComplete ? '' : c.red(` (stops short: "${result.missingIssuer}" is missing)`)}`);
  if (result.dropped.length) lines.push(`  dropped: ${result.dropped.map((d) => d.subject).join('; ')}`);
  if (result.reordered) lines.push('  chain reordered leaf → root');
  if (result.machineKeySetAdded) lines.push('  local-machine keyset attribute added');
  lines.push(`  written: key ${result.written.keyEncryption}, certificates ${result.written.certificateEncryption}, MAC ${result.written.mac}`);
  const v = result.validation;
  const status = v.status === 'ok' ? c.green('ok') : v.status === 'warning' ? c.yellow('warning') : c.red('FAIL');
  lines.push(`${status}  validation: ${v.note}`);
  for (const r of v.results) for (const issue of r.issues) lines.push(`    ${issue.status === 'fail' ? c.red('✗') : c.yellow('!')} ${r.endpoint ? `${r.endpoint} ` : ''}${issue.id}: ${issue.message}`);
  printLines(lines);
}

/** Checks the validation options shared by assemble and repackage. */
function validationOptions(options: { currentCa?: string; stampVersion?: string }): { currentCa: CaKind | null; stampVersion: string | null } {
  if (options.currentCa && !(CA_KINDS as readonly string[]).includes(options.currentCa)) throw new UsageError(`--current-ca: "${options.currentCa}" is not one of ${CA_KINDS.join(', ')}.`);
  if (options.stampVersion) {
    const problem = versionProblem(options.stampVersion);
    if (problem) throw new UsageError(`--stamp-version: ${problem}`);
  }
  return { currentCa: (options.currentCa as CaKind | undefined) ?? null, stampVersion: options.stampVersion ?? null };
}

/** Registers `pfx assemble` and `pfx repackage`. */
export function registerPfx(program: Command): void {
  const pfx = program.command('pfx').summary('assemble PFX files from issued certificates, or repackage one').description('PFX assembly (issued certificate + stored key + chain) and repackaging.');

  const assemble = pfx
    .command('assemble')
    .summary('pair issued certificates with stored keys and write validated PFX files')
    .description(
      'Reads the issued certificates (.cer, .crt, .pem, .p7b) in <issued-dir>, pairs each with its stored key by public key, adds the chain (from the response and/or --chain) ordered leaf → root, writes <same base name>.pfx into --out and validates it.\n' +
        'Profile azure-stack (default): TripleDES-SHA1 bags, SHA-1 MAC, local-machine keyset attribute. Profile modern: AES-256 / SHA-256, for other uses: its pfx-encryption check is a warning ("modern profile: not for Azure Stack Hub rotation"), not a failure.\n' +
        'Exit code 0 when every certificate was assembled and none failed validation (warnings allowed), 1 otherwise, 2 on usage errors or a passphrase that opens no key.',
    )
    .argument('<issued-dir>', 'folder with the certificates the CA issued (or one file)')
    .option('--chain <file-or-dir>', 'CA certificates: a PEM bundle, a .p7b, or a folder of them')
    .option('--out <dir>', 'folder for the PFX files')
    .option('--profile <azure-stack|modern>', 'protection profile (default azure-stack)')
    .option('--current-ca <kind>', `current CA kind of the stamp, for the validation: ${CA_KINDS.join(', ')}`)
    .option('--stamp-version <YYMM>', 'Azure Stack Hub version, for the validation')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(assemble, PFX_PASSWORD);
  addSecretOptions(assemble, KEY_PASSPHRASE);
  assemble.addHelpText('after', '\nExample:\n  azs-rotate pfx assemble ./issued --chain ./ca --out ./pfx --password-file pw.txt --passphrase-file kp.txt');
  assemble.action(async (issued: string, options: { chain?: string; out?: string; profile?: string; currentCa?: string; stampVersion?: string; json?: boolean }, self: Command) => {
    if (!options.out) throw new UsageError('Missing --out DIR (where the PFX files go).');
    const profile = profileOption(options.profile);
    const { currentCa, stampVersion } = validationOptions(options);
    const password = await readSecret(options as Record<string, unknown>, PFX_PASSWORD);
    const passphrase = await readSecret(options as Record<string, unknown>, KEY_PASSPHRASE);
    const result = await withPrepContext(self, async (ctx) =>
      (await import('../../services/preparation')).assemblePfxFiles(
        { issued, chain: options.chain ?? null, outDir: options.out!, password, passphrase, profile, currentCa, stampVersion },
        ctx,
      ),
    );
    if (options.json) printJson(result);
    else printAssembly(result);
    process.exitCode = result.summary.fail > 0 || result.problems.length > 0 ? EXIT.failures : EXIT.ok;
  });

  const repackage = pfx
    .command('repackage')
    .summary('re-encrypt a PFX, order its chain, drop unrelated certificates, add the machine keyset')
    .description(
      'Reads <in.pfx> and writes --out with the chosen profile (azure-stack = TripleDES-SHA1, default), the chain ordered leaf → root, certificates outside the chain dropped and the local-machine keyset attribute added. The input is never changed.\n' +
        'The new password comes from --new-password-file or AZS_NEW_PFX_PASSWORD; without either, the output keeps the input password.\n' +
        'The output is validated right after it is written: against --endpoint, else against the endpoints its SANs serve (for --region/--fqdn, or the region and domain read from the SANs), else with the checks that need no endpoint.\n' +
        'Exit code 0 when the output holds a complete chain and passes validation (warnings allowed), 1 when the chain stops short of a root or the validation fails (the file is still written), 2 on usage errors.',
    )
    .argument('<in.pfx>', 'the PFX to repackage')
    .option('--out <out.pfx>', 'the new PFX')
    .option('--profile <azure-stack|modern>', 'protection profile (default azure-stack)')
    .option('--endpoint <name>', 'validate against this endpoint (folder name, e.g. "Public Portal")')
    .option('--region <region>', 'region of the stamp, for the validation (default: read from the SANs)')
    .option('--fqdn <fqdn>', 'external domain of the stamp, for the validation (default: read from the SANs)')
    .option('--current-ca <kind>', `current CA kind of the stamp, for the validation: ${CA_KINDS.join(', ')}`)
    .option('--stamp-version <YYMM>', 'Azure Stack Hub version, for the validation')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(repackage, PFX_PASSWORD);
  addSecretOptions(repackage, NEW_PFX_PASSWORD);
  repackage.addHelpText('after', '\nExample:\n  azs-rotate pfx repackage exported.pfx --out portal.pfx --password-file old.txt --new-password-file share-pw.txt');
  repackage.action(async (input: string, options: RepackageCliOptions, self: Command) => {
    if (!options.out) throw new UsageError('Missing --out FILE (the repackaged PFX).');
    const profile = profileOption(options.profile);
    const { currentCa, stampVersion } = validationOptions(options);
    if (options.endpoint && !findEndpoint(options.endpoint.trim())) throw new UsageError(`--endpoint: "${options.endpoint}" is not an endpoint; use a folder name such as "Public Portal", ACSBlob or EventHubs.`);
    if ((options.region === undefined) !== (options.fqdn === undefined)) throw new UsageError('--region and --fqdn go together (the stamp the output is validated for).');
    const stamp = options.region !== undefined ? stampOptions(options.region, options.fqdn) : null;
    const password = await readSecret(options as Record<string, unknown>, PFX_PASSWORD);
    const wantsNew = options.newPasswordFile !== undefined || process.env[NEW_PFX_PASSWORD.envVariable] !== undefined;
    const newPassword = wantsNew ? await readSecret(options as Record<string, unknown>, NEW_PFX_PASSWORD) : null;
    const result = await withPrepContext(self, async (ctx) =>
      (await import('../../services/preparation')).repackagePfx(
        { input, output: options.out!, password, newPassword, profile, endpoint: options.endpoint ?? null, region: stamp?.region ?? null, fqdn: stamp?.fqdn ?? null, currentCa, stampVersion },
        ctx,
      ),
    );
    if (options.json) printJson(result);
    else printRepackage(result);
    process.exitCode = result.chainComplete && result.validation.status !== 'fail' ? EXIT.ok : EXIT.failures;
  });
}
