/**
 * Facts read from a PFX file, as plain data: the input of the validation rules.
 *
 * The certificate service extracts them with node-forge and Node's crypto; the rules in `rules.ts`
 * judge them without any I/O, so each rule is testable on hand-made facts.
 */
import type { CaKind } from '../stamps/stamp';
import type { PfxBag, PfxMac } from './pfx-contents';

/**
 * Something in a certificate that could not be read, or that breaks the X.509 profile.
 *
 * Recorded instead of throwing, so one malformed certificate (an extension value that is not DER, a
 * public key OpenSSL cannot decode, an empty issuer name) becomes a finding of its own file while the
 * rest of the share is still validated.
 */
export interface CertificateDefect {
  /** Which part of the certificate is at fault. */
  readonly part: 'structure' | 'subject' | 'issuer' | 'public-key' | 'signature-algorithm' | 'extension';
  /** The extension's (or key algorithm's) OID, when the part has one. */
  readonly oid: string | null;
  /** What is wrong, as a clause that follows the certificate's name ("its key usage extension … is not DER"). */
  readonly message: string;
}

/** One X.509 certificate. */
export interface CertificateFacts {
  /** Display form of the subject name; empty when the name is empty. */
  readonly subject: string;
  /** Display form of the issuer name; empty when the name is empty. */
  readonly issuer: string;
  /**
   * The subject and issuer names as DER, hex: what chain building compares, byte for byte as Windows does
   * (two names that print alike may still differ). Empty strings when the names could not be read.
   */
  readonly subjectDer: string;
  readonly issuerDer: string;
  /** X.509 version: 1, 2 or 3. */
  readonly version: number;
  readonly subjectCn: string | null;
  /** dNSName entries of the subjectAltName extension, as written. */
  readonly dnsNames: string[];
  readonly hasSanExtension: boolean;
  readonly notBefore: string;
  readonly notAfter: string;
  /** SHA-1 fingerprint, upper-case hex without separators (what Windows calls the thumbprint). */
  readonly thumbprint: string;
  readonly serialNumber: string;
  readonly signature: { readonly oid: string; readonly name: string; readonly hash: string | null };
  /** `readable` is false when OpenSSL cannot decode the key (`type` is then named from its algorithm OID). */
  readonly publicKey: { readonly type: string; readonly bits: number | null; readonly curve: string | null; readonly readable: boolean };
  readonly keyUsage: {
    readonly present: boolean;
    readonly digitalSignature: boolean;
    readonly keyEncipherment: boolean;
    /** Certificate Signing (keyCertSign): only a CA may have it. */
    readonly keyCertSign: boolean;
  };
  /** The basic constraints extension; `present: false` when the certificate has none. */
  readonly basicConstraints: { readonly present: boolean; readonly ca: boolean; readonly pathLength: number | null };
  /** Subject key identifier and the authority key identifier's keyIdentifier, hex; null when absent. */
  readonly subjectKeyId: string | null;
  readonly authorityKeyId: string | null;
  /**
   * OIDs of the extensions marked critical that Windows' chain engine does not process
   * (`critical-extensions.ts`): Windows rejects the certificate for any of them.
   */
  readonly unsupportedCriticalExtensions: readonly string[];
  /** Extended key usage OIDs; null when the extension is absent. */
  readonly extendedKeyUsage: string[] | null;
  /** Every URI of the CRL distribution points extension. */
  readonly crlUrls: string[];
  readonly isCa: boolean;
  /** Subject equals issuer (byte for byte, and not empty). */
  readonly selfIssued: boolean;
  /**
   * Self-issued and its signature verifies with its own key: a root. A self-issued certificate signed by
   * another key (a CA's key-rollover certificate) is not.
   */
  readonly selfSigned: boolean;
  /** What could not be read or breaks the profile; empty for a well-formed certificate. */
  readonly defects: readonly CertificateDefect[];
}

/**
 * Why a certificate cannot hold its place in the chain, as Windows chain building judges CA roles.
 *
 * `leaf-is-ca`: the leaf has basic constraints cA=TRUE; `leaf-signs-certificates`: the leaf's key usage
 * has Certificate Signing; `not-ca`: an issuer's basic constraints say cA=FALSE; `no-basic-constraints`:
 * an issuer (the root included, unless it is a v1/v2 certificate) has no basic constraints;
 * `no-certificate-signing`: an issuer's key usage lacks Certificate Signing; `path-length`: more CA
 * certificates below an issuer than its pathLenConstraint allows.
 */
export interface ChainProblem {
  readonly code: 'leaf-is-ca' | 'leaf-signs-certificates' | 'not-ca' | 'no-basic-constraints' | 'no-certificate-signing' | 'path-length';
  /** Index (into `certificates`) of the certificate at fault. */
  readonly index: number;
  readonly message: string;
}

/**
 * The chain built from the certificates in the PFX, by verified signatures.
 *
 * Every candidate path is considered (bounded) and the best one kept, ranked as Windows ranks paths:
 * signatures valid, then complete to a self-signed root, then time-valid, then CA roles valid.
 */
export interface ChainFacts {
  /** Index (into `certificates`) of the leaf, or null when there is no certificate. */
  readonly leafIndex: number | null;
  /** How the leaf was chosen: the certificate of the private key, else the only non-CA one, else the first. */
  readonly leafBy: 'private-key' | 'not-ca' | 'first' | null;
  /** Indexes from the leaf upwards, each signed by the next. */
  readonly path: number[];
  /**
   * Where the chosen path stopped: at a self-signed root, below an issuer not in the PFX, at a certificate
   * no issuer candidate's signature verifies, or at one whose issuer's public key cannot be read (so its
   * signature cannot be checked; `issuerIndex` names that issuer).
   */
  readonly stop:
    | { readonly kind: 'root' }
    | { readonly kind: 'issuer-missing'; readonly index: number; readonly issuer: string }
    | { readonly kind: 'signature-invalid'; readonly index: number; readonly issuer: string }
    | { readonly kind: 'issuer-key-unreadable'; readonly index: number; readonly issuer: string; readonly issuerIndex: number }
    | { readonly kind: 'none' };
  /** CA-role problems of the chosen path (leaf first); empty when every certificate holds its place. */
  readonly problems: readonly ChainProblem[];
}

/** Private key facts (never the key). */
export interface PrivateKeyFacts {
  readonly count: number;
  readonly type: string | null;
  readonly bits: number | null;
  /** True when the key's public half equals the leaf's public key; null without a leaf or key. */
  readonly matchesLeaf: boolean | null;
  readonly machineKeySet: boolean;
}

/** Everything the rules need about one PFX file. */
export interface PfxFacts {
  readonly file: string;
  readonly sizeBytes: number;
  /** Null when the file opened; otherwise why not, with a specific message. */
  readonly openError: { readonly code: string; readonly message: string } | null;
  readonly mac: PfxMac | null;
  readonly bags: PfxBag[];
  readonly certificates: CertificateFacts[];
  readonly privateKey: PrivateKeyFacts;
  readonly chain: ChainFacts;
  /** CA kind of the chain's root (or top issuer), null when undecidable. */
  readonly caKind: CaKind | null;
  /** SHA-1 thumbprint of the chain's root (in the PFX), for the share-wide same-root rule. */
  readonly rootThumbprint: string | null;
  /** Result of fetching the leaf's CRL when `--check-crl` asked for it. */
  readonly crl: { readonly url: string; readonly ok: boolean; readonly message: string } | null;
}
