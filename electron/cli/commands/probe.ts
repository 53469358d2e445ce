/**
 * `azs-rotate probe`: reads the chain each endpoint of a stamp serves and reports days left per element
 * and the kind of CA the chains come from.
 */
import type { Command } from 'commander';
import { stampSubject } from '../../../shared/audit/subjects';
import { caKindFinding, worstStatus, type ProbeEndpointResult, type ProbeReport } from '../../../shared/probe/probe-result';
import type { CaKind } from '../../../shared/stamps/stamp';
import { recordCliAudit } from '../actor';
import { colorsFor, table } from '../terminal';
import { EXIT, UsageError } from '../usage-error';

interface ProbeOptions {
  stamp?: string;
  connect?: string;
  timeoutMs?: string;
  json?: boolean;
}

function printReport(report: ProbeReport, recordedCaKind: CaKind | 'unknown'): void {
  const c = colorsFor(process.stdout);
  const tone = (e: ProbeEndpointResult) =>
    e.status === 'ok' ? c.green('ok') : e.status === 'warning' ? c.yellow('warning') : e.status === 'critical' ? c.red('critical') : e.status === 'expired' ? c.red('EXPIRED') : c.red('error');
  const rows = report.endpoints.map((e) => [
    e.endpoint,
    e.name,
    tone(e),
    e.daysLeft === null ? '-' : String(e.daysLeft),
    e.chain[0]?.notAfter.slice(0, 10) ?? '-',
    e.caKind ?? '-',
    e.error ? `${e.error}: ${e.message ?? ''}` : e.chain.map((x) => `${x.daysLeft}d`).join(' → '),
  ]);
  const lines = [
    c.bold(`Probe of ${report.stamp}`) + (report.connect ? ` (every connection to ${report.connect})` : ' (names resolved through DNS)'),
    '',
    table(['Endpoint', 'Name', 'Status', 'Days', 'Leaf expires', 'CA', 'Chain (days left, leaf → root) / error'], rows, !!process.stdout.isTTY),
  ];
  const count = (s: string) => report.endpoints.filter((e) => e.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warning')} warning (< 90 days), ${count('critical')} critical (< 30 days), ${count('expired')} expired, ${count('error')} error.`);
  const finding = caKindFinding(report.servedCaKind, recordedCaKind);
  const settle = finding.suggested ? ' In the app: Record it from the Dashboard, or edit the profile in Stamps.' : '';
  lines.push(`Served CA kind: ${report.servedCaKind ?? 'not known'}. ${finding.state === 'match' ? finding.message : c.yellow(finding.message + settle)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Registers `probe`. */
export function registerProbe(program: Command): void {
  program
    .command('probe')
    .summary("read the certificate chain each endpoint of a stamp serves")
    .description(
      'Opens a TLS connection to each endpoint name of the stamp (SNI = the name; a wildcard endpoint is probed as azsprobe.<rest>), reads the served chain and reports days left per element: ok, warning (< 90 days), critical (< 30), expired, or error (refused, timeout, name mismatch, handshake, dns). It also reports the kind of CA each chain comes from (self-signed, enterprise, public) and the stamp\'s served CA kind, the "from" kind of the CA transition, against the stamp profile\'s current CA kind. Only the stamp\'s own names are probed. Exit 1 when any endpoint is critical, expired or in error.',
    )
    .option('--stamp <name>', 'stamp profile whose endpoints are probed')
    .option('--connect <host[:port]>', 'send every connection to this address instead of DNS (test benches, DNS not set up yet)')
    .option('--timeout-ms <n>', 'timeout per connection in milliseconds', '5000')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addHelpText('after', '\nExample:\n  azs-rotate probe --stamp "Contoso East" --connect 10.0.0.50:443 --json')
    .action(async (options: ProbeOptions, self: Command) => {
      if (!options.stamp) throw new UsageError('Missing --stamp NAME (see `azs-rotate stamp list`).');
      const timeoutMs = Number(options.timeoutMs);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
        throw new UsageError(`--timeout-ms: "${options.timeoutMs}" is not a whole number of milliseconds between 100 and 120000.`);
      }
      const { parseConnect, probeStamp } = await import('../../services/probe/index');
      const connect = options.connect === undefined ? null : parseConnect(options.connect);
      if (options.connect !== undefined && !connect) {
        throw new UsageError(`--connect: "${options.connect}" is not HOST[:PORT] (for example 10.0.0.50:443 or [fd00::5]:8443).`);
      }
      // The store (native SQLite) loads only when a command needs it, keeping `--help` and start-up fast.
      const { openStore } = await import('../data-store');
      const store = openStore(self);
      try {
        const stamp = store.stamps.findByName(options.stamp);
        if (!stamp) throw new UsageError(`No stamp named "${options.stamp}" (see \`azs-rotate stamp list\`).`);
        const report = await probeStamp(stamp, { connect, timeoutMs });
        store.procedures.saveProbe(stamp.id, report);
        // As the app's Probe endpoints records it.
        recordCliAudit(store, 'probe.run', stampSubject(stamp.id), { connect: report.connect, endpoints: report.endpoints.length });
        if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else printReport(report, stamp.currentCaKind);
        const worst = worstStatus(report.endpoints.map((e) => e.status));
        process.exitCode = worst === 'ok' || worst === 'warning' || worst === null ? EXIT.ok : EXIT.failures;
      } finally {
        store.close();
      }
    });
}
