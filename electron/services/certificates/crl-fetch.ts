/**
 * Fetches a leaf's HTTP CRL for `validate --check-crl`: the only network access validation makes.
 *
 * Only http:// URLs taken from the certificate are fetched, with a timeout and a size cap, and the body
 * must be a DER CertificateList. Results are cached per URL for one validation run.
 */
import forge from './forge-lite';
import { children, decodeAsn1 } from './asn1';

const TIMEOUT_MS = 10_000;
const MAX_CRL_BYTES = 20 * 1024 * 1024;

/** Outcome of one CRL fetch. */
export interface CrlOutcome {
  readonly url: string;
  readonly ok: boolean;
  readonly message: string;
}

function parseTime(node: forge.asn1.Asn1 | undefined): Date | null {
  if (!node || typeof node.value !== 'string') return null;
  if (node.type === forge.asn1.Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
  if (node.type === forge.asn1.Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  return null;
}

/** Checks that bytes are a CRL and whether its nextUpdate has passed. */
export function judgeCrlBytes(bytes: Uint8Array, now: Date): { ok: boolean; message: string } {
  try {
    const [tbs] = children(decodeAsn1(bytes), 'CertificateList', 3);
    const fields = children(tbs, 'tbsCertList', 3);
    // tbsCertList: [version] signature issuer thisUpdate [nextUpdate] …
    const offset = fields[0]!.type === forge.asn1.Type.INTEGER ? 1 : 0;
    const nextUpdate = parseTime(fields[offset + 3]);
    if (nextUpdate && nextUpdate.getTime() < now.getTime()) {
      return { ok: false, message: `the CRL is stale (next update was due ${nextUpdate.toISOString()})` };
    }
    return { ok: true, message: nextUpdate ? `a valid CRL, next update ${nextUpdate.toISOString()}` : 'a valid CRL' };
  } catch {
    return { ok: false, message: 'the response is not a DER-encoded CRL' };
  }
}

/** Fetches and judges CRLs, one request per distinct URL. */
export class CrlFetcher {
  private readonly cache = new Map<string, Promise<CrlOutcome>>();

  constructor(private readonly now: Date) {}

  /** Fetches `url` once and judges the body. */
  fetch(url: string): Promise<CrlOutcome> {
    let pending = this.cache.get(url);
    if (!pending) {
      pending = this.load(url);
      this.cache.set(url, pending);
    }
    return pending;
  }

  private async load(url: string): Promise<CrlOutcome> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
      if (!response.ok) return { url, ok: false, message: `the server answered HTTP ${response.status}` };
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.length > MAX_CRL_BYTES) return { url, ok: false, message: 'the CRL is larger than 20 MB' };
      return { url, ...judgeCrlBytes(body, this.now) };
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `cannot fetch it (${(error as Error).message})`;
      return { url, ok: false, message: reason };
    }
  }
}
