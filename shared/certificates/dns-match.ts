/**
 * DNS name matching for certificate SANs per RFC 6125 §6.4.
 *
 * A wildcard is only valid as the whole left-most label (`*.example.com`), covers exactly one label, never
 * a partial label (`f*.example.com`) and never more than one (`*.*.example.com`); comparison is
 * case-insensitive and ignores a trailing dot.
 */

/** Normalizes a DNS name for comparison (lower case, no trailing dot). */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** True when `pattern` is a well-formed wildcard name: `*` as the whole left-most label, nowhere else. */
export function isValidWildcard(pattern: string): boolean {
  const labels = normalizeDnsName(pattern).split('.');
  return labels[0] === '*' && labels.length >= 3 && labels.slice(1).every((l) => l.length > 0 && !l.includes('*'));
}

/** True when a name contains `*` anywhere (valid wildcard or not). */
export function hasWildcard(name: string): boolean {
  return name.includes('*');
}

/**
 * True when the SAN entry `presented` covers the concrete host name `host`.
 *
 * Exact match, or a valid wildcard whose `*` stands for exactly the host's first label.
 */
export function sanCoversHost(presented: string, host: string): boolean {
  const p = normalizeDnsName(presented);
  const h = normalizeDnsName(host);
  if (!p.includes('*')) return p === h;
  if (!isValidWildcard(p)) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  const firstLabel = h.slice(0, dot);
  return firstLabel !== '*' && h.slice(dot) === p.slice(1);
}

/** How a SAN list satisfies one required name. */
export type NameCoverage = 'exact' | 'wildcard' | 'missing';

/**
 * Judges a required name against a SAN list.
 *
 * A wildcard requirement (`*.blob.…`) is met only by that wildcard itself; a concrete requirement by
 * the name itself (`exact`) or by a valid wildcard covering it (`wildcard`).
 */
export function coverage(required: string, sans: readonly string[]): NameCoverage {
  const wanted = normalizeDnsName(required);
  if (sans.some((s) => normalizeDnsName(s) === wanted)) return 'exact';
  if (wanted.startsWith('*.')) return 'missing';
  return sans.some((s) => sanCoversHost(s, wanted)) ? 'wildcard' : 'missing';
}
