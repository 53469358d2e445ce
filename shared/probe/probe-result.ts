/**
 * Certificate expiry as the portal judges it, the CA kind endpoints serve, and the `probe --json` document
 * (schemaVersion 1).
 *
 * Shared by the probe service, the CLI and the dashboard so a colour, a word and an exit code always agree.
 */
import type { CaKind } from '../stamps/stamp';

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
  /**
   * The kind of CA that issued the served chain (self-signed, enterprise or public), or null when no chain
   * was read or a signature in it does not verify. Set for a name mismatch too: it judges what was served.
   */
  caKind: CaKind | null;
  chain: ProbeChainElement[];
}

/** The CA kind a stamp serves: one kind, `mixed` when its endpoints disagree, null when none was read. */
export type ServedCaKind = CaKind | 'mixed' | null;

/** The whole probe of a stamp. */
export interface ProbeReport {
  schemaVersion: 1;
  stamp: string;
  probedAt: string;
  /** The `--connect` override used, or null when names were resolved through DNS. */
  connect: string | null;
  /**
   * The CA kind of the stamp's served certificates — the "from" kind of the CA transition matrix — from
   * the endpoints that served their own certificate (a name mismatch does not count).
   */
  servedCaKind: ServedCaKind;
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

/**
 * The CA kind of a whole probe from its endpoints' kinds.
 *
 * Only endpoints that served their own certificate count: a chain served for another name (a default
 * certificate of a load balancer) says nothing about the CA the stamp's certificates come from.
 */
export function overallCaKind(endpoints: readonly Pick<ProbeEndpointResult, 'error' | 'caKind'>[]): ServedCaKind {
  const kinds = new Set(endpoints.filter((e) => e.error === null && e.caKind).map((e) => e.caKind as CaKind));
  if (kinds.size === 0) return null;
  return kinds.size === 1 ? ([...kinds][0] as CaKind) : 'mixed';
}

/** How the served CA kind compares with the current CA kind recorded in the stamp profile. */
export interface CaKindFinding {
  /**
   * `match`; `unrecorded` (the profile says unknown) or `differs`, which the served kind can settle;
   * `mixed` (endpoints disagree); `none` (no chain judged).
   */
  state: 'match' | 'unrecorded' | 'differs' | 'mixed' | 'none';
  /** The kind the profile could be set to from the probe, when there is exactly one. */
  suggested: CaKind | null;
  /** The finding in a sentence, with what to do. */
  message: string;
}

/**
 * Compares the served CA kind with the stamp profile's current CA kind, for the CLI and the dashboard.
 *
 * The profile's kind is what validation judges the CA transition from, so an unknown or stale one turns
 * that check into a warning or a wrong verdict.
 */
export function caKindFinding(served: ServedCaKind, recorded: CaKind | 'unknown'): CaKindFinding {
  if (served === null) {
    return { state: 'none', suggested: null, message: 'No served chain could be judged, so the CA kind the stamp uses is not known from this probe.' };
  }
  if (served === 'mixed') {
    return {
      state: 'mixed',
      suggested: null,
      message: 'The endpoints serve chains from different kinds of CA (a rotation left half done, or certificates replaced by hand): check each endpoint before setting the stamp’s current CA kind.',
    };
  }
  if (recorded === served) return { state: 'match', suggested: null, message: `The endpoints serve ${served} certificates, as the stamp profile records.` };
  if (recorded === 'unknown') {
    return {
      state: 'unrecorded',
      suggested: served,
      message: `The endpoints serve ${served} certificates, but the stamp profile’s current CA kind is unknown: set it to ${served} so validation can judge the CA transition.`,
    };
  }
  return {
    state: 'differs',
    suggested: served,
    message: `The endpoints serve ${served} certificates, but the stamp profile records ${recorded}: set it to ${served}, or validation judges the CA transition from the wrong kind.`,
  };
}
