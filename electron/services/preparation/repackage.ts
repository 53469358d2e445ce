/**
 * `azs-rotate pfx repackage`: rewrites a PFX the way the rotation wants it.
 *
 * Re-encrypts with the chosen profile (TripleDES-SHA1 by default), orders the chain leaf → root, drops
 * certificates that are neither the leaf nor in its chain, and adds the local-machine-keyset attribute.
 * The input is only read; the output is written through a temporary file and read back to confirm.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPfxFacts } from '../certificates/pfx-facts';
import { Pkcs12Error, readPkcs12 } from '../certificates/pkcs12-reader';
import { AppError } from '../errors';
import type { PrepContext } from './context';
import { audit } from './context';
import { nameLine, orderChain } from './certificate-files';
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
}

const describe = (x509: X509Certificate): RepackagedCertificate => ({ subject: nameLine(x509.subject), thumbprint: x509.fingerprint.replace(/:/g, '').toUpperCase() });

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
    });
  }
  return result;
}
