/**
 * Stamp profiles: the facts of one Azure Stack Hub deployment the operator works on.
 *
 * Field rules live here (pure, no zod: the CLI loads this at start-up) so the renderer's inline
 * validation, the IPC schema checked in main (`stamp-schema.ts`) and the CLI all judge a value the same
 * way and give the same message.
 */
import type { PaasProvider } from '../endpoints/catalog';

/** CA kinds of the transition matrix (`validation-rules.md`); `unknown` when the operator does not know. */
export const CA_KINDS = ['self-signed', 'enterprise', 'public'] as const;
/** A CA kind. */
export type CaKind = (typeof CA_KINDS)[number];

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** Checks a DNS label (the region); returns a message naming the problem, or null when valid. */
export function regionProblem(value: string): string | null {
  if (!value) return 'Enter the region, for example "east".';
  if (!DNS_LABEL.test(value)) return `"${value}" is not a DNS label: use letters, digits and inner hyphens only.`;
  return null;
}

/** Checks an external FQDN such as `azurestack.contoso.com`; returns a message or null. */
export function fqdnProblem(value: string): string | null {
  if (!value) return 'Enter the external domain, for example "azurestack.contoso.com".';
  const trimmed = value.replace(/\.$/, '');
  if (trimmed.length > 253) return `"${value}" is longer than 253 characters.`;
  const labels = trimmed.split('.');
  if (labels.length < 2) return `"${value}" needs at least two labels, for example "azurestack.contoso.com".`;
  const bad = labels.find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) return `"${value}" has an invalid label "${bad}": use letters, digits and inner hyphens.`;
  return null;
}

/** Checks an Azure Stack Hub version in `YYMM` form (1803 … 2xxx); returns a message or null. */
export function versionProblem(value: string): string | null {
  if (!/^\d{4}$/.test(value)) return `"${value}" is not a version in YYMM form, for example 2108.`;
  const year = Number(value.slice(0, 2));
  const month = Number(value.slice(2));
  if (month < 1 || month > 12) return `"${value}" has month ${value.slice(2)}: use 01 to 12.`;
  if (year < 18) return `"${value}" is older than 1803, the first version with secret rotation.`;
  if (year === 18 && month < 3) return `"${value}" is older than 1803, the first version with secret rotation.`;
  return null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for an IPv6 address in text form (RFC 4291 §2.2: hex groups, at most one `::`, optional IPv4 tail). */
export function isIPv6(value: string): boolean {
  let text = value;
  const tailStart = text.lastIndexOf(':') + 1;
  if (tailStart > 0 && text.slice(tailStart).includes('.')) {
    // An embedded IPv4 address stands for the last two groups.
    if (!IPV4.test(text.slice(tailStart))) return false;
    text = `${text.slice(0, tailStart)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** Checks one ERCS address (IPv4 or IPv6); returns a message or null. */
export function ipProblem(value: string): string | null {
  if (IPV4.test(value)) return null;
  if (isIPv6(value)) return null;
  return `"${value}" is not an IPv4 or IPv6 address.`;
}

/**
 * Checks a machine name as `New-PSSession -ComputerName` takes it: a NetBIOS or DNS host name such as
 * `AZS-ERCS01` or `azs-ercs01.azurestack.local`; returns a message or null.
 *
 * DNS label rules (letters, digits, inner hyphens, 63 characters a label, 253 in all), which every NetBIOS
 * name WinRM can reach also follows; underscores and spaces are refused because WinRM cannot resolve them.
 */
export function hostNameProblem(value: string): string | null {
  if (!value) return 'Enter the host name.';
  if (value.length > 253) return `"${value}" is longer than 253 characters.`;
  // No trailing root dot: WinRM's TrustedHosts compares the name as typed, and "AZS-ERCS01." would miss it.
  const bad = value.split('.').find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) return `"${value}" is not a host name: "${bad}" may hold letters, digits and inner hyphens only.`;
  return null;
}

/**
 * Checks one ERCS VM as the PEP session reaches it: an IPv4 or IPv6 address, or a host name such as
 * `AZS-ERCS01` (the Microsoft procedure allows the machine name instead of the address); returns a
 * message or null.
 *
 * Text made only of digits and dots, or holding a colon, is an address attempt and is judged as one, so
 * `10.0.0.300` reads as a bad address rather than an odd host name.
 */
export function ercsAddressProblem(value: string): string | null {
  if (/^[\d.]+$/.test(value) || value.includes(':')) return ipProblem(value);
  if (hostNameProblem(value) === null) return null;
  return `"${value}" is not an IPv4 or IPv6 address or a host name (letters, digits and inner hyphens, e.g. AZS-ERCS01 or azs-ercs01.azurestack.local).`;
}

/** True when an ERCS entry is an IP address rather than a host name (WinRM TrustedHosts matches them apart). */
export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || isIPv6(value);
}

/**
 * Checks the ERCS list: one to three addresses or host names, no duplicates; returns a message or null.
 *
 * Duplicates compare case-insensitively: `AZS-ERCS01` and `azs-ercs01` are one machine, as are two
 * spellings of one IPv6 address in different case.
 */
export function ercsProblem(values: readonly string[]): string | null {
  if (values.length === 0) return 'Enter at least one ERCS VM address or host name (the PEP runs there).';
  if (values.length > 3) return `${values.length} ERCS VMs given: a stamp has three ERCS VMs at most.`;
  for (const v of values) {
    const p = ercsAddressProblem(v);
    if (p) return p;
  }
  const lower = values.map((v) => v.toLowerCase());
  const dup = values.find((_v, i) => lower.indexOf(lower[i]!) !== i);
  if (dup) return `"${dup}" is listed twice.`;
  return null;
}

/** Checks a stamp name; returns a message or null. */
export function stampNameProblem(value: string): string | null {
  if (!value.trim()) return 'Enter a name for the stamp.';
  if (value.length > 64) return 'Use at most 64 characters for the name.';
  if (!/^[\w .-]+$/u.test(value)) return `"${value}" may hold letters, digits, spaces, dots, hyphens and underscores only.`;
  return null;
}

/** What the operator enters for a stamp (create and edit). */
export interface StampInput {
  name: string;
  region: string;
  externalFqdn: string;
  identity: 'aad' | 'adfs';
  /** Azure Stack Hub version, YYMM. */
  version: string;
  /** ERCS VMs (IP addresses or host names), tried in order for the PEP session. */
  ercsIps: string[];
  currentCaKind: CaKind | 'unknown';
  resourceProviders: PaasProvider[];
  /** A simulated stamp for rehearsals. */
  rehearsal: boolean;
}

/** A stored stamp profile. */
export interface Stamp extends StampInput {
  id: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The editable fields of a stored profile, as `stamps.update` takes them.
 *
 * The update schema is strict (no id or timestamps) and replaces the whole profile, so changing one field
 * starts from this copy of the stored values.
 */
export function stampInputOf(stamp: Stamp): StampInput {
  return {
    name: stamp.name,
    region: stamp.region,
    externalFqdn: stamp.externalFqdn,
    identity: stamp.identity,
    version: stamp.version,
    ercsIps: [...stamp.ercsIps],
    currentCaKind: stamp.currentCaKind,
    resourceProviders: [...stamp.resourceProviders],
    rehearsal: stamp.rehearsal,
  };
}

/** Per-field problems of a stamp input, for inline form messages (empty object when all valid). */
export function stampInputProblems(input: Partial<StampInput>): Partial<Record<keyof StampInput, string>> {
  const problems: Partial<Record<keyof StampInput, string>> = {};
  const set = (key: keyof StampInput, p: string | null) => {
    if (p) problems[key] = p;
  };
  set('name', stampNameProblem(input.name ?? ''));
  set('region', regionProblem(input.region ?? ''));
  set('externalFqdn', fqdnProblem(input.externalFqdn ?? ''));
  set('version', versionProblem(input.version ?? ''));
  set('ercsIps', ercsProblem(input.ercsIps ?? []));
  return problems;
}
