/**
 * `azs-rotate csr` and `azs-rotate keys`: certificate requests with key custody, and the keys they hold.
 */
import type { Command } from 'commander';
import { parsePaasList } from '../../../shared/endpoints/catalog';
import type { CsrResult, KeyExportResult, RenewalEndpoint } from '../../services/preparation';
import type { KeyRequest } from '../../services/store';
import { identityOption, printJson, printLines, stampOptions, withPrepContext } from '../prep-support';
import { KEY_PASSPHRASE, addSecretOptions, readSecret } from '../secrets';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

interface CsrCliOptions {
  region?: string;
  fqdn?: string;
  identity?: string;
  subject?: string;
  out?: string;
  paas?: string;
  endpoints?: string;
  single?: boolean;
  keySize?: string;
  fromCert?: string;
  fromEndpoint?: string;
  connect?: string;
  timeoutMs?: string;
  json?: boolean;
}

/** Checks `--from-endpoint HOST[:PORT]`, `--connect HOST[:PORT]` and `--timeout-ms N`. */
async function renewalEndpoint(options: CsrCliOptions): Promise<RenewalEndpoint | null> {
  if (!options.fromEndpoint) {
    if (options.connect !== undefined) throw new UsageError('--connect goes with --from-endpoint (where to read the current certificate).');
    if (options.timeoutMs !== undefined) throw new UsageError('--timeout-ms goes with --from-endpoint.');
    return null;
  }
  if (options.fromCert) throw new UsageError('Give --from-cert FILE or --from-endpoint HOST[:PORT], not both.');
  const { parseConnect } = await import('../../services/probe');
  const target = parseConnect(options.fromEndpoint);
  if (!target) throw new UsageError(`--from-endpoint: "${options.fromEndpoint}" is not HOST or HOST:PORT (port 1-65535).`);
  const connect = options.connect !== undefined ? parseConnect(options.connect) : null;
  if (options.connect !== undefined && !connect) throw new UsageError(`--connect: "${options.connect}" is not HOST or HOST:PORT (port 1-65535).`);
  let timeoutMs: number | null = null;
  if (options.timeoutMs !== undefined) {
    timeoutMs = Number(options.timeoutMs);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) throw new UsageError(`--timeout-ms: "${options.timeoutMs}" is not a whole number of milliseconds between 100 and 120000.`);
  }
  return { host: target.host, port: target.port, connect, timeoutMs };
}

function printCsr(result: CsrResult): void {
  const c = colorsFor(process.stdout);
  const lines = [c.bold(`${result.requests.length} request(s) in ${result.outDir}`) + ` (RSA ${result.keyBits}, ${result.signatureHash.toUpperCase()})`];
  lines.push(table(['Endpoint', 'File', 'Key id', 'DNS names'], result.requests.map((r) => [r.endpoint, r.file.split(/[\\/]/).pop()!, r.keyId, r.dnsNames.join(', ')]), !!process.stdout.isTTY));
  for (const note of result.notes) lines.push(c.yellow(note));
  lines.push('The private keys are encrypted in the key store of the data folder; keep the passphrase: pfx assemble needs it.');
  printLines(lines);
}

/** Registers `csr` and `keys list|export`. */
export function registerCsr(program: Command): void {
  const command = program
    .command('csr')
    .summary('generate certificate signing requests (keys kept encrypted in the key store)')
    .description(
      'Writes one PEM .req per endpoint (named after its folder, spaces as -) or one with every SAN (--single), for the mandatory endpoints of the identity system plus the --paas providers.\n' +
        'CN = the first DNS name; SAN = the documented names; key usage Digital Signature + Key Encipherment; extended key usage Server + Client Authentication; RSA (2048 by default) with SHA-256.\n' +
        'The private keys are encrypted (AES-256-GCM, scrypt-derived key) with the key-custody passphrase in <data-dir>/keys and recorded in the database. --from-cert renews: subject, key size and signature algorithm come from that certificate.\n' +
        '--from-endpoint renews from a live endpoint: a TLS connection with SNI = HOST (to --connect instead of DNS when given) reads the certificate it serves, without trusting it; a certificate that does not cover HOST is refused.',
    )
    .option('--region <region>', 'region of the stamp, e.g. east')
    .option('--fqdn <fqdn>', 'external domain, e.g. azurestack.contoso.com')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--subject <dn>', 'organisation fields, e.g. "C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub"')
    .option('--out <dir>', 'folder for the .req files')
    .option('--paas <list>', 'also request PaaS certificates: comma list of appservices,dbadapter,eventhubs,iothub,acr')
    .option('--endpoints <list>', 'only these endpoints: comma list of folder names, e.g. "Public Portal,ACSBlob"')
    .option('--single', 'one request with every SAN instead of one per endpoint')
    .option('--key-size <bits>', 'RSA key size: 2048, 3072 or 4096')
    .option('--from-cert <file>', 'renew: take subject, key size and signature algorithm from this certificate')
    .option('--from-endpoint <host[:port]>', 'renew: take them from the certificate this endpoint serves (SNI = host)')
    .option('--connect <host[:port]>', 'with --from-endpoint: connect to this address instead of resolving the host')
    .option('--timeout-ms <n>', 'with --from-endpoint: connection timeout (default 5000)')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(command, KEY_PASSPHRASE);
  command.addHelpText(
    'after',
    '\nExamples:\n  azs-rotate csr --region east --fqdn azurestack.contoso.com --identity adfs --subject "C=US,O=Contoso,OU=Azure Stack Hub" --out ./requests --passphrase-file kp.txt\n' +
      '  azs-rotate csr --region east --fqdn azurestack.contoso.com --identity adfs --from-endpoint portal.east.azurestack.contoso.com --out ./renewal --passphrase-file kp.txt',
  );
  command.action(async (options: CsrCliOptions, self: Command) => {
    const identity = identityOption(options.identity);
    const { region, fqdn } = stampOptions(options.region, options.fqdn);
    if (!options.out) throw new UsageError('Missing --out DIR (where the .req files go).');
    const fromEndpoint = await renewalEndpoint(options);
    if (!options.subject && !options.fromCert && !fromEndpoint) throw new UsageError('Missing --subject "C=…,ST=…,L=…,O=…,OU=…" (or --from-cert FILE / --from-endpoint HOST[:PORT] to renew).');
    const paas = options.paas ? parsePaasList(options.paas) : { providers: [], unknown: [] };
    if (paas.unknown.length > 0) throw new UsageError(`--paas: unknown provider(s) ${paas.unknown.join(', ')}; use appservices, dbadapter, eventhubs, iothub, acr.`);
    let keySize: number | null = null;
    if (options.keySize !== undefined) {
      keySize = Number(options.keySize);
      if (![2048, 3072, 4096].includes(keySize)) throw new UsageError(`--key-size: "${options.keySize}" is not 2048, 3072 or 4096.`);
    }
    const passphrase = await readSecret(options as Record<string, unknown>, KEY_PASSPHRASE);
    const result = await withPrepContext(self, async (ctx) => {
      const { generateRequests } = await import('../../services/preparation');
      return generateRequests(
        { region, fqdn, identity, subject: options.subject ?? null, paas: paas.providers, only: options.endpoints ? options.endpoints.split(',') : null, single: options.single ?? false, keySize, fromCert: options.fromCert ?? null, fromEndpoint, outDir: options.out!, passphrase },
        ctx,
      );
    });
    if (options.json) {
      printJson({ schemaVersion: 1, requests: result.requests.map((r) => ({ endpoint: r.endpoint, file: r.file, dnsNames: r.dnsNames, keyId: r.keyId })) });
    } else printCsr(result);
    process.exitCode = EXIT.ok;
  });

  const keys = program.command('keys').summary('list or export the keys of certificate requests').description('The key store of the data folder: requests and their encrypted private keys.');
  keys
    .command('list')
    .summary('list stored requests and keys')
    .option('--json', 'print JSON (schemaVersion 1)')
    .action(async (options: { json?: boolean }, self: Command) => {
      const requests: KeyRequest[] = await withPrepContext(self, async (ctx) => (await import('../../services/preparation')).listKeyRequests(ctx));
      if (options.json) {
        printJson({ schemaVersion: 1, keys: requests.map(({ keyFile: _file, ...r }) => r) });
      } else {
        printLines([
          requests.length === 0
            ? 'No stored keys. Generate requests with azs-rotate csr.'
            : table(
                ['Key id', 'Endpoint', 'Created', 'RSA', 'Assembled', 'First name'],
                requests.map((r) => [r.keyId, r.endpoint, r.createdAt.slice(0, 19).replace('T', ' '), String(r.keyBits), r.assembledAt ? r.assembledAt.slice(0, 10) : '-', r.dnsNames[0] ?? '']),
                !!process.stdout.isTTY,
              ),
        ]);
      }
      process.exitCode = EXIT.ok;
    });
  const exportCommand = keys
    .command('export')
    .summary('write encrypted PKCS#8 backups of stored keys')
    .description('Writes each key (all, or those given with --key) as an encrypted PKCS#8 PEM (AES-256-CBC, protected by the key-custody passphrase) into --out, mode 0600. OpenSSL reads them with `openssl pkey -in FILE`.')
    .option('--out <dir>', 'folder for the exported keys')
    .option('--key <id...>', 'key ids to export (default: all)')
    .option('--json', 'print JSON (schemaVersion 1)');
  addSecretOptions(exportCommand, KEY_PASSPHRASE);
  exportCommand.action(async (options: { out?: string; key?: string[]; json?: boolean }, self: Command) => {
    if (!options.out) throw new UsageError('Missing --out DIR (where the encrypted keys go).');
    const passphrase = await readSecret(options as Record<string, unknown>, KEY_PASSPHRASE);
    const result: KeyExportResult = await withPrepContext(self, async (ctx) =>
      (await import('../../services/preparation')).exportKeys({ keyIds: options.key ?? [], outDir: options.out!, passphrase }, ctx),
    );
    if (options.json) printJson(result);
    else printLines([...result.keys.map((k) => `exported ${k.keyId} (${k.endpoint}) → ${k.file}`), `${result.keys.length} key(s) exported, encrypted with the key-custody passphrase.`]);
    process.exitCode = EXIT.ok;
  });
}
