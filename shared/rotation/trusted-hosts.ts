/**
 * WinRM TrustedHosts: does this machine's WinRM client let a PEP session reach each ERCS VM?
 *
 * The jump host is not in the stamp's domain, so WinRM authenticates to the ERCS VMs without Kerberos and
 * refuses every computer its client `TrustedHosts` list does not cover (the Microsoft procedure sets it with
 * `winrm s winrm/config/client '@{TrustedHosts="<ERCS>"}'`). The list is matched against the name exactly as
 * it is given to `New-PSSession -ComputerName`: an IP address is covered only by an address entry, a host name
 * only by a name entry. Pure: the service reads the list (Windows only), this module judges it, so the rules
 * are tested without Windows.
 */
import { isIpAddress } from '../stamps/stamp';

/** What the service could read of the client's TrustedHosts setting. */
export type TrustedHostsReading =
  /** The setting's value as WinRM stores it: entries separated by commas, possibly empty. */
  | { kind: 'value'; value: string }
  /** There is no such setting here (not Windows); `reason` says why in a sentence. */
  | { kind: 'not-applicable'; reason: string }
  /** Windows, but the value could not be read (WinRM service stopped, not elevated…); `reason` says what happened. */
  | { kind: 'unreadable'; reason: string };

/** How one ERCS VM fares against the list. */
export interface TrustedHostCoverage {
  /** The ERCS VM as the stamp profile names it. */
  host: string;
  /** The entry that covers it (`*`, `10.0.0.*`, `*.contoso.com`, the name itself), or null. */
  coveredBy: string | null;
  /** True for an IP address, false for a host name (only a name can fall back to Kerberos). */
  isAddress: boolean;
}

/** A verdict as pre-flight reports it. */
export interface TrustedHostsVerdict {
  status: 'ok' | 'warning' | 'fail';
  message: string;
  /** What to do; null when nothing is. */
  hint: string | null;
}

/** The entries of a TrustedHosts value: comma separated, surrounding white space ignored, empty ones dropped. */
export function parseTrustedHosts(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
}

/** An IPv6 address may be written in brackets in the list or on the command line; compare it without them. */
function bare(value: string): string {
  const trimmed = value.trim().toLowerCase();
  return /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/**
 * True when one TrustedHosts entry covers a host: `*` covers everything, an entry with `*` is a wildcard
 * (`*.contoso.com`, `10.0.0.*`, `AZS-ERCS*`) in which `*` stands for any run of characters, anything else must
 * equal the host. Case does not matter, as in WinRM.
 */
export function trustedHostEntryCovers(entry: string, host: string): boolean {
  const pattern = bare(entry);
  const target = bare(host);
  if (!pattern || !target) return false;
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === target;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(target);
}

/** Each ERCS VM with the first entry of the list that covers it. */
export function trustedHostsCoverage(value: string, hosts: readonly string[]): TrustedHostCoverage[] {
  const entries = parseTrustedHosts(value);
  return hosts.map((host) => ({ host, coveredBy: entries.find((e) => trustedHostEntryCovers(e, host)) ?? null, isAddress: isIpAddress(host) }));
}

/**
 * The command that adds the missing ERCS VMs to the list without dropping its other entries.
 *
 * `winrm s winrm/config/client '@{TrustedHosts="…"}'`, the Microsoft procedure's form, replaces the whole list;
 * `-Concatenate` appends. Both need an elevated PowerShell.
 */
export function addTrustedHostsCommand(hosts: readonly string[]): string {
  return `Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '${hosts.join(',')}' -Concatenate -Force`;
}

function listed(coverage: readonly TrustedHostCoverage[]): string {
  return coverage.map((c) => (c.coveredBy && c.coveredBy.toLowerCase() !== c.host.toLowerCase() ? `${c.host} (by ${c.coveredBy})` : c.host)).join(', ');
}

/**
 * Judges a TrustedHosts value against the stamp's ERCS VMs.
 *
 * Every VM covered: ok. Some missing: the run can still reach the covered ones (it falls back in order),
 * and a host name may still connect without an entry from a machine in a domain the stamp trusts, so that is a
 * warning. Nothing covered and only addresses: no PEP session can open, so pre-flight refuses the run.
 */
export function judgeTrustedHosts(value: string, hosts: readonly string[]): TrustedHostsVerdict {
  const coverage = trustedHostsCoverage(value, hosts);
  const missing = coverage.filter((c) => c.coveredBy === null);
  const covered = coverage.filter((c) => c.coveredBy !== null);
  if (missing.length === 0) {
    const everyone = covered.some((c) => c.coveredBy === '*') ? " ('*' trusts every computer; listing only the ERCS VMs is safer)" : '';
    return { status: 'ok', message: `WinRM TrustedHosts on this machine covers every ERCS VM: ${listed(covered)}${everyone}.`, hint: null };
  }
  const names = missing.filter((c) => !c.isAddress);
  const domainNote =
    names.length > 0
      ? ` A host name (${names.map((c) => c.host).join(', ')}) connects without the entry only when this machine is joined to a domain the stamp's domain trusts (Kerberos); a jump host outside it needs the entry.`
      : '';
  const current = parseTrustedHosts(value);
  const found = current.length > 0 ? `it lists ${current.join(', ')}` : 'it is empty';
  const refuse = covered.length === 0 && names.length === 0;
  const reach = covered.length > 0 ? ` The run can still open its session on ${listed(covered)}, without a fallback to the others.` : '';
  return {
    status: refuse ? 'fail' : 'warning',
    message: `WinRM TrustedHosts on this machine does not cover ${missing.map((c) => c.host).join(', ')} (${found}): WinRM refuses a PEP session to a computer outside the list.${reach}${domainNote}`,
    hint: `In an elevated PowerShell on this machine: ${addTrustedHostsCommand(missing.map((c) => c.host))} (or the procedure's winrm s winrm/config/client '@{TrustedHosts="…"}', which replaces the list).`,
  };
}

/** The pre-flight verdict for whatever the service could read. */
export function trustedHostsVerdict(reading: TrustedHostsReading, hosts: readonly string[]): TrustedHostsVerdict {
  switch (reading.kind) {
    case 'value':
      return judgeTrustedHosts(reading.value, hosts);
    case 'not-applicable':
      return { status: 'ok', message: `WinRM TrustedHosts check not applicable: ${reading.reason}`, hint: null };
    case 'unreadable':
      return {
        status: 'warning',
        message: `WinRM TrustedHosts could not be read on this machine: ${reading.reason}`,
        hint: `Check it in an elevated PowerShell with (Get-Item WSMan:\\localhost\\Client\\TrustedHosts).Value; it must cover ${hosts.join(', ')}. Add them with ${addTrustedHostsCommand(hosts)}.`,
      };
  }
}
