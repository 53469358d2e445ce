/**
 * `azs-rotate pfx repackage`: rewrites a PFX the way the rotation wants it.
 *
 * Re-encrypts with the chosen profile (TripleDES-SHA1 by default), orders the chain leaf → root, drops
 * certificates that are neither the leaf nor in its chain, and adds the local-machine-keyset attribute.
 * The input is only read; the output is written through a temporary file, read back, and validated by the
 * engine: against the endpoint named, else against the endpoints its SANs serve (region and domain given,
 * or read from the SANs themselves), else with the checks that need no endpoint.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CertificateStatus } from '../../../shared/certificates/report';
import { worstStatus } from '../../../shared/certificates/report';
import type { EndpointDefinition } from '../../../shared/endpoints/catalog';
import { findEndpoint } from '../../../shared/endpoints/catalog';
import type { CaKind } from '../../../shared/stamps/stamp';
import type { PfxFacts } from '../../../shared/certificates/facts';
import { readPfxFacts } from '../certificates/pfx-facts';
import { Pkcs12Error, readPkcs12 } from '../certificates/pkcs12-reader';
import { AppError } from '../errors';
import type { PrepContext } from './context';
import { audit } from './context';
import { nameLine, orderChain } from './certificate-files';
import type { OutputTarget, OutputVerdict } from './output-validation';
import { endpointsForSans, judgeOutput, stampBaseFromSans } from './output-validation';
import type { PfxProfile } from './pkcs12-writer';
import { writePfx } from './pkcs12-writer';
import { fileError, writeFileAtomic } from './safe-files';

/** Inputs of {@link repackagePfx}. */
export interface RepackageOptions {
  readonly input: string;
  readonly output: string;
  /** Password of the input; used in memory only. */
  readonly password: string;
  /** Password of the output (default: the input's). */
  readonly newPassword?: string | null;
  readonly profile?: PfxProfile;
  /** The endpoint (name or folder) the output is for; default: the endpoints its SANs serve. */
  readonly endpoint?: string | null;
  /** Region and external domain of the stamp, for the SANs; default: read from the SANs. */
  readonly region?: string | null;
  readonly fqdn?: string | null;
  /** Current CA kind and version of the stamp, for the `ca-transition` check. */
  readonly currentCa?: CaKind | null;
  readonly stampVersion?: string | null;
}

/** How the endpoints the output was validated against were chosen. */
export type RepackageValidationBasis = 'endpoint' | 'sans' | 'none';

/** The validation of the output against one endpoint, or against none (`endpoint` null). */
export interface RepackageVerdict extends OutputVerdict {
  readonly endpoint: string | null;
}

/** The engine's verdict on the repackaged file. */
export interface RepackageValidation {
  /** `endpoint`: the one asked for; `sans`: those its SANs serve; `none`: the endpoint-independent checks. */
  readonly basis: RepackageValidationBasis;
  readonly region: string | null;
  readonly fqdn: string | null;
  /** Worst status over the results. */
  readonly status: CertificateStatus;
  /** What it was validated against, in a sentence. */
  readonly note: string;
  readonly results: RepackageVerdict[];
}

/** One certificate of the output (or dropped from it). */
export interface RepackagedCertificate {
  readonly subject: string;
  readonly thumbprint: string;
}

/** The `pfx repackage --json` document (schemaVersion 1). */
export interface RepackageResult {
  readonly schemaVersion: 1;
  readonly input: string;
  readonly output: string;
  readonly profile: PfxProfile;
  /** Leaf first, then its issuers, as written. */
  readonly chain: RepackagedCertificate[];
  readonly chainComplete: boolean;
  /** The issuer missing above the last certificate, when the chain stops short of a root. */
  readonly missingIssuer: string | null;
  readonly dropped: RepackagedCertificate[];
  readonly reordered: boolean;
  readonly machineKeySetAdded: boolean;
  readonly passwordChanged: boolean;
  /** How the output reads back: key and certificate protection, MAC, machine keyset. */
  readonly written: { readonly keyEncryption: string | null; readonly certificateEncryption: string | null; readonly mac: string | null; readonly machineKeySet: boolean };
  /** The validation of the output, right after it was written. */
  readonly validation: RepackageValidation;
}

const describe = (x509: X509Certificate): RepackagedCertificate => ({ subject: nameLine(x509.subject), thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase() });

interface ValidateOutputOptions {
  readonly password: string;
  readonly profile: PfxProfile;
  readonly region?: string | null;
  readonly fqdn?: string | null;
  readonly currentCa?: CaKind | null;
  readonly stampVersion?: string | null;
  readonly now?: Date;
}

/** Picks what to validate the output against (see the module comment) and judges it. */
function validateOutput(facts: PfxFacts, sans: readonly string[], endpoint: EndpointDefinition | null, options: ValidateOutputOptions): RepackageValidation {
  const given = options.region?.trim() && options.fqdn?.trim() ? { region: options.region.trim(), fqdn: options.fqdn.trim().replace(/\.$/, '') } : null;
  const base = given ?? stampBaseFromSans(sans);
  const judge = { password: options.password, profile: options.profile, currentCa: options.currentCa ?? null, stampVersion: options.stampVersion ?? null, now: options.now };
  const from = given ? `${base!.region}.${base!.fqdn}` : base ? `${base.region}.${base.fqdn} (read from the SANs)` : '';
  let basis: RepackageValidationBasis;
  let targets: OutputTarget[];
  let note: string;
  if (endpoint) {
    if (!base) {
      throw new AppError('invalid-request', `To validate against ${endpoint.name}, the region and external domain are needed; the SANs (${sans.join(', ') || 'none'}) do not tell them.`, 'Give --region and --fqdn with --endpoint.');
    }
    basis = 'endpoint';
    targets = [{ endpoint, ...base }];
    note = `Validated against ${endpoint.name} of ${from}.`;
  } else {
    const matched = base ? endpointsForSans(sans, base.region, base.fqdn) : [];
    if (base && matched.length > 0) {
      basis = 'sans';
      targets = matched.map((e) => ({ endpoint: e, ...base }));
      note = `Validated against ${matched.map((e) => e.name).join(', ')} of ${from}: the endpoint${matched.length === 1 ? '' : 's'} its SANs serve.`;
    } else {
      basis = 'none';
      targets = [];
      note = base
        ? `Its SANs (${sans.join(', ') || 'none'}) serve no endpoint of ${from}: validated with the checks that need no endpoint.`
        : `No endpoint could be told from its SANs (${sans.join(', ') || 'none'}): validated with the checks that need no endpoint; give the endpoint, region and domain to check the SANs too.`;
    }
  }
  const results: RepackageVerdict[] = targets.length > 0 ? targets.map((t) => ({ endpoint: t.endpoint.name, ...judgeOutput(facts, t, judge) })) : [{ endpoint: null, ...judgeOutput(facts, null, judge) }];
  return { basis, region: base?.region ?? null, fqdn: base?.fqdn ?? null, status: worstStatus(results.map((r) => r.status)), note, results };
}

/**
 * Repackages one PFX.
 *
 * Throws `invalid-request` when the input does not open (wrong password, not a PFX), has no private key or
 * no certificate for it, or when the output would overwrite the input; `io-error` on file errors.
 */
export async function repackagePfx(options: RepackageOptions, ctx?: PrepContext): Promise<RepackageResult> {
  const profile = options.profile ?? 'azure-stack';
  const input = path.resolve(options.input);
  const output = path.resolve(options.output);
  if (input === output) {
    throw new AppError('invalid-request', 'The output would overwrite the input PFX.', 'Write to another file (--out); keep the original until the new one validates.');
  }
  const endpoint = options.endpoint ? findEndpoint(options.endpoint.trim()) : null;
  if (options.endpoint && !endpoint) {
    throw new AppError('invalid-request', `"${options.endpoint}" is not an endpoint.`, 'Use an endpoint folder name such as "Public Portal", ACSBlob or EventHubs.');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(input);
  } catch (error) {
    throw fileError('read', input, error);
  }
  let contents;
  try {
    contents = readPkcs12(bytes, options.password);
  } catch (error) {
    if (error instanceof Pkcs12Error) {
      throw new AppError('invalid-request', `Cannot open ${input}: ${error.message}.`, error.code === 'wrong-password' ? 'Give the password of this PFX with --password-file (or AZS_PFX_PASSWORD).' : 'Repackage needs a readable PFX.');
    }
    throw error;
  }
  const certificates = contents.certificates.map((c) => ({ der: c.der, x509: new X509Certificate(c.der), bagIndex: c.bagIndex }));
  const keyEntry = contents.keys
    .map((k) => {
      const privateKey = createPrivateKey({ key: k.pkcs8, format: 'der', type: 'pkcs8' });
      const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
      const leaf = certificates.find((c) => c.x509.publicKey.export({ type: 'spki', format: 'der' }).equals(spki));
      return { privateKey, leaf, bag: contents.bags[k.bagIndex] };
    })
    .find((k) => k.leaf);
  if (contents.keys.length === 0) throw new AppError('invalid-request', `${input} holds no private key.`, 'Export the certificate again with its private key ("Yes, export the private key").');
  if (!keyEntry?.leaf) throw new AppError('invalid-request', `The private key in ${input} matches none of its certificates.`, 'Export the certificate again from the machine where its key is.');
  const ordered = orderChain(keyEntry.leaf, certificates);
  const kept = new Set(ordered.chain.map((c) => c.x509.fingerprint256));
  const dropped = certificates.filter((c) => !kept.has(c.x509.fingerprint256)).map((c) => describe(c.x509));
  const originalOrder = certificates.filter((c) => kept.has(c.x509.fingerprint256)).map((c) => c.x509.fingerprint256);
  const reordered = originalOrder.join() !== ordered.chain.map((c) => c.x509.fingerprint256).join();
  const leafBag = contents.bags[keyEntry.leaf.bagIndex];
  const newPassword = options.newPassword ?? options.password;
  const pfx = writePfx({
    certificates: ordered.chain.map((c) => c.der),
    privateKey: keyEntry.privateKey,
    password: newPassword,
    profile,
    friendlyName: leafBag?.friendlyName ?? keyEntry.bag?.friendlyName ?? null,
  });
  try {
    await writeFileAtomic(output, pfx);
  } catch (error) {
    throw fileError('write', output, error);
  }
  const check = readPfxFacts(output, newPassword);
  if (check.openError) {
    throw new AppError('internal', `The repackaged file ${output} does not read back (${check.openError.message}).`, 'Report this with the inspect output of the input file.');
  }
  const leafSans = check.chain.leafIndex === null ? [] : (check.certificates[check.chain.leafIndex]?.dnsNames ?? []);
  const validation = validateOutput(check, leafSans, endpoint ?? null, { ...options, profile, password: newPassword, now: ctx?.now?.() });
  const keyBag = check.bags.find((b) => b.type === 'shrouded-private-key');
  const certBag = check.bags.find((b) => b.type === 'certificate');
  const result: RepackageResult = {
    schemaVersion: 1,
    input,
    output,
    profile,
    chain: ordered.chain.map((c) => describe(c.x509)),
    chainComplete: ordered.complete,
    missingIssuer: ordered.missingIssuer,
    dropped,
    reordered,
    machineKeySetAdded: !(keyEntry.bag?.machineKeySet ?? false),
    passwordChanged: options.newPassword != null && options.newPassword !== options.password,
    written: {
      keyEncryption: keyBag?.encryption?.name ?? null,
      certificateEncryption: certBag?.encryption?.name ?? null,
      mac: check.mac ? check.mac.digest : null,
      machineKeySet: keyBag?.machineKeySet ?? false,
    },
    validation,
  };
  if (ctx) {
    audit(ctx, 'pfx.repackage', null, {
      input,
      output,
      profile,
      dropped: dropped.map((d) => d.thumbprint),
      reordered,
      machineKeySetAdded: result.machineKeySetAdded,
      // Not named after the password: the audit log redacts such keys, and this is only a yes/no.
      rekeyed: result.passwordChanged,
      validation: { basis: validation.basis, status: validation.status, endpoints: validation.results.map((r) => r.endpoint) },
    });
  }
  return result;
}
