/**
 * Certificate expiry as the portal judges it, and the `probe --json` document (schemaVersion 1).
 *
 * Shared by the probe service, the CLI and the dashboard so a colour, a word and an exit code always agree.
 */

/** Days-left thresholds of the portal's expiry alerts. */
export const EXPIRY_THRESHOLDS = { warning: 90, critical: 30 } as const;

/** How close a certificate is to expiry. */
export type ExpiryStatus = 'ok' | 'warning' | 'critical' | 'expired';

/** A probed endpoint's status: an expiry status, or `error` when no chain could be judged. */
export type ProbeStatus = ExpiryStatus | 'error';

/** Why a probe of one name failed. */
export type ProbeErrorReason = 'refused' | 'timeout' | 'name mismatch' | 'handshake' | 'dns';

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter` (negative once past; −1 from the first day after expiry). */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/** The portal's verdict on days left: expired below 0, critical below 30, warning below 90. */
export function expiryStatus(days: number): ExpiryStatus {
  if (days < 0) return 'expired';
  if (days < EXPIRY_THRESHOLDS.critical) return 'critical';
  if (days < EXPIRY_THRESHOLDS.warning) return 'warning';
  return 'ok';
}

/** One certificate of a served chain, leaf first. */
export interface ProbeChainElement {
  subject: string;
  issuer: string;
  notAfter: string;
  daysLeft: number;
}

/** The result for one name of one endpoint. */
export interface ProbeEndpointResult {
  /** Endpoint name from the catalog, e.g. `ACSBlob`. */
  endpoint: string;
  /** The name connected to and sent as SNI, e.g. `azsprobe.blob.east.azurestack.contoso.com`. */
  name: string;
  status: ProbeStatus;
  /** Days left of the element expiring first, or null when nothing was read. */
  daysLeft: number | null;
  /** Why the probe failed (the contract's reason word), or null; a name mismatch still carries the served chain. */
  error: ProbeErrorReason | null;
  /** The failure in a sentence for people, or null. */
  message: string | null;
  chain: ProbeChainElement[];
}

/** The whole probe of a stamp. */
export interface ProbeReport {
  schemaVersion: 1;
  stamp: string;
  probedAt: string;
  /** The `--connect` override used, or null when names were resolved through DNS. */
  connect: string | null;
  endpoints: ProbeEndpointResult[];
}

/** The name to connect to for a required name: a wildcard is probed as `azsprobe.<rest>`. */
export function probeName(requiredName: string): string {
  return requiredName.startsWith('*.') ? `azsprobe.${requiredName.slice(2)}` : requiredName;
}

/** The worst status of a report's endpoints, for exit codes and summaries (`error` counts as worst). */
export function worstStatus(statuses: readonly ProbeStatus[]): ProbeStatus | null {
  const order: ProbeStatus[] = ['error', 'expired', 'critical', 'warning', 'ok'];
  return order.find((s) => statuses.includes(s)) ?? null;
}
