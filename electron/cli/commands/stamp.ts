/**
 * `azs-rotate stamp add|list|show|remove`: stamp profiles in the app's database (`--data-dir`).
 *
 * Field rules are the same as the desktop app's (shared/stamps/stamp.ts); `show` also answers whether a
 * rotation already ran on the stamp, when, and how it ended.
 */
import { Option, type Command } from 'commander';
import { parsePaasList } from '../../../shared/endpoints/catalog';
import type { CaKind, Stamp, StampInput } from '../../../shared/stamps/stamp';
import { CA_KINDS, stampInputProblems } from '../../../shared/stamps/stamp';
import type { Store } from '../../services/store';
import { cliActor } from '../actor';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';


/** Runs `work` on the app's store and closes it afterwards; the store is loaded on demand. */
export async function withStore<T>(command: Command, work: (store: Store) => Promise<T> | T): Promise<T> {
  const { openStore } = await import('../data-store');
  const store = openStore(command);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** The stamp with this name, or a usage error naming the data folder. */
export function requireStamp(store: Store, name: string): Stamp {
  const stamp = store.stamps.findByName(name);
  if (!stamp) throw new UsageError(`No stamp profile named "${name}" in ${store.dataDir} (list them with azs-rotate stamp list).`);
  return stamp;
}

/**
 * Renames `--version` after `stamp add` to `--stamp-version` before commander sees the arguments.
 *
 * The contract spells the stamp's version `stamp add … --version YYMM`, but commander reads the program's
 * own `--version` anywhere on the line and would print the app's version instead.
 */
export function rewriteStampVersionFlag(argv: readonly string[]): string[] {
  const stampAt = argv.indexOf('stamp');
  if (stampAt === -1 || argv[stampAt + 1] !== 'add') return [...argv];
  const bareAt = argv.indexOf('--version', stampAt + 2);
  // Commander would name the renamed flag; the operator typed --version.
  if (bareAt !== -1 && (bareAt === argv.length - 1 || argv[bareAt + 1]!.startsWith('-'))) {
    throw new UsageError("option '--version <YYMM>' argument missing (the stamp's Azure Stack Hub version, e.g. 2108)");
  }
  return argv.map((arg, i) => (i <= stampAt + 1 ? arg : arg === '--version' ? '--stamp-version' : arg.startsWith('--version=') ? `--stamp-version=${arg.slice(10)}` : arg));
}

function wantsJson(command: Command): boolean {
  return command.optsWithGlobals().json === true;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

interface AddOptions {
  region?: string;
  fqdn?: string;
  identity?: string;
  version?: string;
  stampVersion?: string;
  ercs?: string;
  currentCa?: string;
  paas?: string;
  rehearsal?: boolean;
}

function stampInput(name: string, o: AddOptions): StampInput {
  const missing = [
    ['--region', o.region, 'east'],
    ['--fqdn', o.fqdn, 'azurestack.contoso.com'],
    ['--identity', o.identity, 'adfs'],
    ['--version', o.version ?? o.stampVersion, '2108'],
    ['--ercs', o.ercs, '10.0.0.1,10.0.0.2,10.0.0.3'],
  ].find(([, v]) => !v);
  if (missing) throw new UsageError(`Missing ${missing[0]} (for example ${missing[0]} ${missing[2]}).`);
  if (o.identity !== 'aad' && o.identity !== 'adfs') throw new UsageError(`--identity: "${o.identity}" is not aad or adfs.`);
  const currentCa = o.currentCa ?? 'unknown';
  if (currentCa !== 'unknown' && !(CA_KINDS as readonly string[]).includes(currentCa)) {
    throw new UsageError(`--current-ca: "${currentCa}" is not one of ${CA_KINDS.join(', ')} (or unknown).`);
  }
  const paas = o.paas ? parsePaasList(o.paas) : { providers: [], unknown: [] };
  if (paas.unknown.length > 0) throw new UsageError(`--paas: unknown provider(s) ${paas.unknown.join(', ')}; use appservices, dbadapter, eventhubs, iothub, acr.`);
  const input: StampInput = {
    name: name.trim(),
    region: o.region!.trim(),
    externalFqdn: o.fqdn!.trim().replace(/\.$/, ''),
    identity: o.identity,
    version: (o.version ?? o.stampVersion)!.trim(),
    ercsIps: o.ercs!.split(',').map((s) => s.trim()).filter(Boolean),
    currentCaKind: currentCa as CaKind | 'unknown',
    resourceProviders: paas.providers,
    rehearsal: o.rehearsal === true,
  };
  const problems = stampInputProblems(input);
  const flag: Record<string, string> = { name: 'NAME', region: '--region', externalFqdn: '--fqdn', version: '--version', ercsIps: '--ercs' };
  const first = Object.entries(problems)[0];
  if (first) throw new UsageError(`${flag[first[0]] ?? first[0]}: ${first[1]}`);
  return input;
}

function stampRows(stamps: readonly Stamp[]): string[][] {
  return stamps.map((s) => [s.name, s.region, s.externalFqdn, s.identity.toUpperCase(), s.version, s.ercsIps.join(','), s.currentCaKind, s.rehearsal ? 'yes' : '-']);
}

const STAMP_HEAD = ['Name', 'Region', 'External FQDN', 'Identity', 'Version', 'ERCS', 'Current CA', 'Rehearsal'];

/** Registers `stamp` and its subcommands. */
export function registerStamp(program: Command): void {
  const stamp = program
    .command('stamp')
    .summary('add, list, show and remove stamp profiles')
    .description('Stamp profiles in the app\'s database (--data-dir): the facts of one Azure Stack Hub deployment that validation and rotation runs use.')
    .addHelpText('after', '\nExamples:\n  azs-rotate stamp add Lab --region east --fqdn azurestack.contoso.com --identity adfs --version 2108 --ercs 10.0.0.1,10.0.0.2,10.0.0.3\n  azs-rotate stamp list');

  stamp
    .command('add')
    .summary('add a stamp profile')
    .description('Adds a stamp profile. Exit code 0 when added, 2 when a field is invalid or the name is taken.')
    .argument('<name>', 'name of the profile (letters, digits, spaces, dots, hyphens, underscores)')
    .option('--region <region>', 'region of the stamp, e.g. east')
    .option('--fqdn <fqdn>', 'external domain, e.g. azurestack.contoso.com')
    .option('--identity <aad|adfs>', 'identity system of the stamp')
    .option('--version <YYMM>', 'Azure Stack Hub version, e.g. 2108')
    .addOption(new Option('--stamp-version <YYMM>').hideHelp())
    .option('--ercs <list>', 'ERCS VMs (the PEP): IP addresses or host names such as AZS-ERCS01, comma separated, tried in this order')
    .option('--current-ca <kind>', `kind of CA of the current certificates: ${CA_KINDS.join(', ')} (default unknown)`)
    .option('--paas <list>', 'resource providers installed: comma list of appservices,dbadapter,eventhubs,iothub,acr')
    .option('--rehearsal', 'a simulated stamp: rotations run against the PEP simulator')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate stamp add Lab --region east --fqdn azurestack.contoso.com --identity adfs --version 2108 --ercs 10.0.0.1,10.0.0.2,10.0.0.3 --current-ca enterprise')
    .action(async (name: string, options: AddOptions, self: Command) => {
      const input = stampInput(name, options);
      const created = await withStore(self, (store) => {
        if (store.stamps.findByName(input.name)) throw new UsageError(`A stamp named "${input.name}" already exists in ${store.dataDir}.`);
        return store.transaction(() => {
          const s = store.stamps.create(input, new Date().toISOString());
          store.audit.append({ actor: cliActor(), action: 'stamp.create', subject: `stamp:${s.id}`, detail: { name: s.name, region: s.region, fqdn: s.externalFqdn } });
          return s;
        });
      });
      if (wantsJson(self)) print({ schemaVersion: 1, stamp: created });
      else process.stdout.write(`Added stamp ${created.name}: ${created.region}.${created.externalFqdn}, ${created.identity.toUpperCase()}, version ${created.version}, ERCS ${created.ercsIps.join(', ')}${created.rehearsal ? ' (rehearsal: runs go to the PEP simulator)' : ''}.\n`);
      process.exitCode = EXIT.ok;
    });

  stamp
    .command('list')
    .summary('list stamp profiles')
    .description('Lists the stamp profiles in the app\'s database.')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate stamp list --json')
    .action(async (_options: unknown, self: Command) => {
      const stamps = await withStore(self, (store) => store.stamps.list());
      if (wantsJson(self)) print({ schemaVersion: 1, stamps });
      else if (stamps.length === 0) process.stdout.write('No stamp profiles yet. Add one with azs-rotate stamp add.\n');
      else process.stdout.write(`${table(STAMP_HEAD, stampRows(stamps), !!process.stdout.isTTY)}\n${stamps.length} stamp(s).\n`);
      process.exitCode = EXIT.ok;
    });

  stamp
    .command('show')
    .summary('show one stamp profile and its rotation history')
    .description('Shows a stamp profile and, per procedure, the last rotation run recorded for it: whether a rotation already ran, when, and how it ended.')
    .argument('<name>', 'name of the profile')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate stamp show Lab')
    .action(async (name: string, _options: unknown, self: Command) => {
      const { runSummaryJson, reconcileInterrupted, lastRotationRuns } = await import('../../services/rotation');
      const { s, last } = await withStore(self, (store) => {
        const found = requireStamp(store, name);
        reconcileInterrupted(store);
        // A run that ended without reaching the PEP (refused by pre-flight) must not hide an earlier outcome.
        return { s: found, last: lastRotationRuns(store, found.name) };
      });
      if (wantsJson(self)) {
        print({ schemaVersion: 1, stamp: s, lastRuns: Object.fromEntries(Object.entries(last).map(([k, r]) => [k, r ? runSummaryJson(r) : null])) });
      } else {
        const c = colorsFor(process.stdout);
        const lines = [
          c.bold(s.name) + (s.rehearsal ? c.yellow(' (rehearsal stamp: runs go to the PEP simulator)') : ''),
          `  Region           ${s.region}`,
          `  External FQDN    ${s.externalFqdn}`,
          `  Identity         ${s.identity.toUpperCase()}`,
          `  Version          ${s.version}`,
          `  ERCS VMs         ${s.ercsIps.join(', ')}`,
          `  Current CA       ${s.currentCaKind}`,
          `  PaaS providers   ${s.resourceProviders.join(', ') || '-'}`,
          '',
          c.bold('Last rotation runs'),
          ...Object.entries(last).map(([k, r]) => `  ${k.padEnd(9)} ${r ? `run ${r.id}, ${r.startedAt.slice(0, 16).replace('T', ' ')}, ${r.state}${r.rehearsal ? ' (rehearsal)' : ''}${r.outcome ? ` — ${r.outcome}` : ''}` : 'never run here'}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.exitCode = EXIT.ok;
    });

  stamp
    .command('remove')
    .summary('remove a stamp profile (its run history stays)')
    .description('Removes a stamp profile. Validation and rotation runs of the stamp stay in history under its name.')
    .argument('<name>', 'name of the profile')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate stamp remove Lab')
    .action(async (name: string, _options: unknown, self: Command) => {
      const removed = await withStore(self, (store) => {
        const found = requireStamp(store, name);
        return store.transaction(() => {
          store.stamps.remove(found.id);
          store.audit.append({ actor: cliActor(), action: 'stamp.remove', subject: `stamp:${found.id}`, detail: { name: found.name } });
          return found;
        });
      });
      if (wantsJson(self)) print({ schemaVersion: 1, removed: removed.name });
      else process.stdout.write(`Removed stamp ${removed.name}; its runs stay in history.\n`);
      process.exitCode = EXIT.ok;
    });

  for (const sub of stamp.commands) sub.exitOverride();
}
