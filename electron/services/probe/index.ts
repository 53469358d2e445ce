/**
 * The live probe: opens a TLS connection to each endpoint name of a stamp and reads the chain it serves.
 *
 * Only the stamp's own names are probed (from the endpoint catalog), with SNI set to the name; the
 * operator may send every connection to one address instead of DNS (a test bench, DNS not set up yet).
 * Certificates are read, never trusted: the handshake accepts any chain so an expired or misnamed one can
 * still be reported, and nothing is sent after the handshake. The served chain also tells which kind of CA
 * the stamp's certificates come from — the "from" kind of the CA transition matrix.
 */
import type { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { mandatoryEndpoints, paasEndpoints, requiredNames } from '../../../shared/endpoints/catalog';
import {
  daysLeft,
  expiryStatus,
  overallCaKind,
  probeName,
  type ProbeChainElement,
  type ProbeEndpointResult,
  type ProbeErrorReason,
  type ProbeReport,
} from '../../../shared/probe/probe-result';
import type { CaKind, Stamp } from '../../../shared/stamps/stamp';
import { servedChainCaKind } from '../certificates/pfx-facts';

/** One address every connection goes to instead of the name's DNS answer. */
export interface ConnectOverride {
  host: string;
  port: number;
}

/** Options of `probeStamp`. */
export interface ProbeOptions {
  /** Send every connection here instead of resolving the names. */
  connect?: ConnectOverride | null;
  /** Per-connection timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Connections open at once (default 8). */
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  /** Receives the served leaf as soon as the handshake completes (CSR renewal from a live endpoint reads it). */
  onPeerCertificate?: (leaf: X509Certificate) => void;
}

/** The default port of every endpoint. */
export const HTTPS_PORT = 443;
/** Default per-connection timeout. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/**
 * Parses `HOST[:PORT]` (IPv6 as `[addr]:port`); returns null when it is not one.
 *
 * The port defaults to 443 and must be 1–65535.
 */
export function parseConnect(value: string): ConnectOverride | null {
  const text = value.trim();
  if (!text) return null;
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] as string;
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length > 1) {
    // A bare IPv6 address: no port can be told apart from its groups.
    host = text;
  } else {
    const [h, p] = text.split(':');
    host = h ?? '';
    portText = p;
  }
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) return null;
  const port = portText === undefined ? HTTPS_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

/** The names a stamp's probe visits: each endpoint's required names, wildcards as `azsprobe.<rest>`. */
export function probeTargets(stamp: Pick<Stamp, 'region' | 'externalFqdn' | 'identity' | 'resourceProviders'>): { endpoint: string; name: string }[] {
  const endpoints = [...mandatoryEndpoints(stamp.identity), ...paasEndpoints(stamp.resourceProviders)];
  return endpoints.flatMap((e) => requiredNames(e, stamp.region, stamp.externalFqdn).map((n) => ({ endpoint: e.name, name: probeName(n) })));
}

function chainOf(leaf: X509Certificate, now: Date): { chain: ProbeChainElement[]; certs: X509Certificate[] } {
  const certs: X509Certificate[] = [];
  let current: X509Certificate | undefined = leaf;
  // The served chain, leaf first; a self-issued certificate ends it (its issuer is itself).
  while (current && certs.length < 10 && !certs.some((c) => c.fingerprint256 === current?.fingerprint256)) {
    certs.push(current);
    current = current.issuerCertificate;
  }
  const chain = certs.map((c) => {
    const notAfter = new Date(c.validTo).toISOString();
    return { subject: c.subject.replace(/\n/g, ', '), issuer: c.issuer.replace(/\n/g, ', '), notAfter, daysLeft: daysLeft(notAfter, now) };
  });
  return { chain, certs };
}

function failure(endpoint: string, name: string, reason: ProbeErrorReason, message: string, chain: ProbeChainElement[] = [], caKind: CaKind | null = null): ProbeEndpointResult {
  const soonest = chain.length > 0 ? Math.min(...chain.map((c) => c.daysLeft)) : null;
  return { endpoint, name, status: 'error', daysLeft: soonest, error: reason, message, caKind, chain };
}

function reasonOf(error: NodeJS.ErrnoException): { reason: ProbeErrorReason; message: string } {
  switch (error.code) {
    case 'ECONNREFUSED':
      return { reason: 'refused', message: 'Connection refused: nothing listens on that address and port.' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: 'dns', message: 'The name does not resolve: set up DNS or give an address to connect to.' };
    case 'ETIMEDOUT':
      return { reason: 'timeout', message: 'No answer before the timeout.' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { reason: 'handshake', message: 'The server closed the connection during the TLS handshake.' };
    default:
      return { reason: 'handshake', message: `The TLS handshake failed${error.code ? ` (${error.code})` : ''}.` };
  }
}

/**
 * Probes one name: connect, handshake with SNI = name, read the chain, close.
 *
 * Always resolves; every failure becomes an `error` result with its reason.
 */
export function probeOne(endpoint: string, name: string, options: ProbeOptions = {}): Promise<ProbeEndpointResult> {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const host = options.connect?.host ?? name;
  const port = options.connect?.port ?? HTTPS_PORT;
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({ host, port, servername: name, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const finish = (result: ProbeEndpointResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish(failure(endpoint, name, 'timeout', 'The probe was cancelled.'));
    const timer = setTimeout(() => finish(failure(endpoint, name, 'timeout', `No TLS answer within ${timeoutMs} ms.`)), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const leaf = socket.getPeerX509Certificate();
      if (!leaf) return finish(failure(endpoint, name, 'handshake', 'The server sent no certificate.'));
      options.onPeerCertificate?.(leaf);
      const { chain, certs } = chainOf(leaf, now());
      const caKind = servedChainCaKind(certs);
      if (!leaf.checkHost(name)) {
        return finish(failure(endpoint, name, 'name mismatch', `The served certificate (${leaf.subject.replace(/\n/g, ', ')}) does not cover ${name}.`, chain, caKind));
      }
      const soonest = Math.min(...chain.map((c) => c.daysLeft));
      finish({ endpoint, name, status: expiryStatus(soonest), daysLeft: soonest, error: null, message: null, caKind, chain });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const { reason, message } = reasonOf(error);
      finish(failure(endpoint, name, reason, message));
    });
  });
}

/**
 * Probes every endpoint name of a stamp and returns the report in catalog order.
 *
 * Connections run a few at a time so a stamp with PaaS providers is probed in seconds, without opening
 * dozens of sockets at once.
 */
export async function probeStamp(stamp: Stamp, options: ProbeOptions = {}): Promise<ProbeReport> {
  const now = options.now ?? (() => new Date());
  const targets = probeTargets(stamp);
  const results: ProbeEndpointResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index] as { endpoint: string; name: string };
      results[index] = await probeOne(target.endpoint, target.name, options);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, targets.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    schemaVersion: 1,
    stamp: stamp.name,
    probedAt: now().toISOString(),
    connect: options.connect ? `${options.connect.host}:${options.connect.port}` : null,
    servedCaKind: overallCaKind(results),
    endpoints: results,
  };
}
