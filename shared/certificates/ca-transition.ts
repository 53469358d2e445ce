/**
 * The CA-kind transition matrix by stamp version (`validation-rules.md`).
 *
 * Moving from the CA that issued the current external certificates to the CA of the new ones is only
 * supported from certain Azure Stack Hub versions; a move to the self-signed deployment CA never is.
 */
import type { CaKind } from '../stamps/stamp';

/** Verdict on one transition. */
export interface TransitionVerdict {
  readonly status: 'ok' | 'warning' | 'fail';
  readonly message: string;
}

const MINIMUM: Record<CaKind, Record<CaKind, number | null>> = {
  'self-signed': { enterprise: 1903, 'self-signed': null, public: 1803 },
  enterprise: { enterprise: 1803, 'self-signed': null, public: 1803 },
  public: { enterprise: 1903, 'self-signed': null, public: 1803 },
};

/** Smallest version (YYMM as a number) that supports `from` → `to`, or null when never supported. */
export function minimumVersionFor(from: CaKind, to: CaKind): number | null {
  return MINIMUM[from][to];
}

/**
 * Judges a transition for a stamp version.
 *
 * Unknown current kind → warning; unknown version → ok only when every rotating version supports it.
 */
export function judgeTransition(from: CaKind | 'unknown' | null, to: CaKind, version: string | null): TransitionVerdict {
  if (to === 'self-signed') {
    return { status: 'fail', message: 'The new certificates are issued by a self-signed (deployment) CA: rotating to a self-signed CA is never supported.' };
  }
  if (!from || from === 'unknown') {
    return { status: 'warning', message: `Current CA kind unknown: cannot check the move to ${to === "enterprise" ? "an" : "a"} ${to} CA (give the current CA kind).` };
  }
  const minimum = MINIMUM[from][to]!;
  const label = `${from} → ${to}`;
  if (!version) {
    return minimum <= 1803
      ? { status: 'ok', message: `${label} is supported on every version with secret rotation (1803 and later).` }
      : { status: 'warning', message: `${label} needs version ${minimum} or later; the stamp version is unknown (give it).` };
  }
  const numeric = Number(version);
  if (numeric < minimum) {
    return { status: 'fail', message: `${label} is not supported on version ${version}: it needs ${minimum} or later.` };
  }
  if (from === 'enterprise' && to === 'enterprise' && numeric <= 1903) {
    return { status: 'warning', message: `${label} on version ${version} works only with the same enterprise CA that was used at deployment.` };
  }
  return { status: 'ok', message: `${label} is supported on version ${version}.` };
}
