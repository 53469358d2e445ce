/**
 * Deep string mapping for redaction: applies `map` to every string (keys included) of a JSON-like value.
 *
 * Shared by the PEP output scrubber and the support-bundle redaction, which must both reach every string
 * however deeply a value nests it.
 */

/** Returns a copy of `value` with `map` applied to every string, object keys included. */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return map(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [map(k), walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
