/**
 * Facts read from a PFX file, as plain data: the input of the validation rules.
 *
 * The certificate service extracts them with node-forge and Node's crypto; the rules in `rules.ts`
 * judge them without any I/O, so each rule is testable on hand-made facts.
 */
import type { CaKind } from '../stamps/stamp';
import type { PfxBag, PfxMac } from './pfx-contents';

/** One X.509 certificate. */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
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
  readonly publicKey: { readonly type: string; readonly bits: number | null; readonly curve: string | null };
  readonly keyUsage: { readonly present: boolean; readonly digitalSignature: boolean; readonly keyEncipherment: boolean };
  /** Extended key usage OIDs; null when the extension is absent. */
  readonly extendedKeyUsage: string[] | null;
  /** Every URI of the CRL distribution points extension. */
  readonly crlUrls: string[];
  readonly isCa: boolean;
  /** Subject equals issuer. */
  readonly selfIssued: boolean;
  /** Self-issued and its signature verifies with its own key. */
  readonly selfSigned: boolean;
}

/** The chain built from the certificates in the PFX, by verified signatures. */
export interface ChainFacts {
  /** Index (into `certificates`) of the leaf, or null when there is no certificate. */
  readonly leafIndex: number | null;
  /** How the leaf was chosen: the certificate of the private key, else the only non-CA one, else the first. */
  readonly leafBy: 'private-key' | 'not-ca' | 'first' | null;
  /** Indexes from the leaf upwards, each signed by the next. */
  readonly path: number[];
  /** Where the walk stopped before reaching a self-signed root. */
  readonly stop:
    | { readonly kind: 'root' }
    | { readonly kind: 'issuer-missing'; readonly index: number; readonly issuer: string }
    | { readonly kind: 'signature-invalid'; readonly index: number; readonly issuer: string }
    | { readonly kind: 'none' };
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
