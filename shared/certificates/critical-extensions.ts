/**
 * The critical extensions Windows' chain engine processes, and how to name any extension in a message.
 *
 * A critical extension the relying party does not process makes the certificate unusable (RFC 5280 4.2);
 * CryptoAPI marks it `CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT` and the chain is not trusted, so Azure Stack
 * Hub would refuse the certificate at rotation although OpenSSL might accept it. The set below is what CryptoAPI
 * decodes and enforces during chain building: the RFC 5280 path-validation extensions and Microsoft's
 * application-policy equivalents. Anything else marked critical (a CT precertificate's poison, a private
 * extension of an enterprise CA) is reported.
 */

/** OIDs of the extensions Windows processes when marked critical, with their names. */
export const WINDOWS_PROCESSED_CRITICAL_EXTENSIONS: Readonly<Record<string, string>> = {
  '2.5.29.7': 'subject alternative name (old form)',
  '2.5.29.10': 'basic constraints (old form)',
  '2.5.29.15': 'key usage',
  '2.5.29.17': 'subject alternative name',
  '2.5.29.19': 'basic constraints',
  '2.5.29.30': 'name constraints',
  '2.5.29.32': 'certificate policies',
  '2.5.29.33': 'policy mappings',
  '2.5.29.36': 'policy constraints',
  '2.5.29.37': 'extended key usage',
  '2.5.29.54': 'inhibit any policy',
  '1.3.6.1.4.1.311.21.10': 'application policies',
  '1.3.6.1.4.1.311.21.11': 'application policy mappings',
  '1.3.6.1.4.1.311.21.12': 'application policy constraints',
};

/** Names of other extensions seen in certificates (Windows does not process them when critical). */
const OTHER_EXTENSION_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.14': 'subject key identifier',
  '2.5.29.18': 'issuer alternative name',
  '2.5.29.31': 'CRL distribution points',
  '2.5.29.35': 'authority key identifier',
  '2.5.29.46': 'freshest CRL',
  '1.3.6.1.5.5.7.1.1': 'authority information access',
  '1.3.6.1.5.5.7.1.24': 'TLS feature (OCSP must-staple)',
  '1.3.6.1.4.1.11129.2.4.2': 'certificate transparency SCT list',
  '1.3.6.1.4.1.11129.2.4.3': 'certificate transparency precertificate poison',
  '1.3.6.1.4.1.311.20.2': 'certificate template name',
  '1.3.6.1.4.1.311.21.1': 'CA version',
  '1.3.6.1.4.1.311.21.7': 'certificate template information',
};

/** True when Windows processes the extension `oid` if it is marked critical. */
export function windowsProcessesCritical(oid: string): boolean {
  return Object.hasOwn(WINDOWS_PROCESSED_CRITICAL_EXTENSIONS, oid);
}

/** An extension as messages name it: `key usage extension (2.5.29.15)`, or `extension 1.2.3.4` when unknown. */
export function extensionName(oid: string): string {
  const name = WINDOWS_PROCESSED_CRITICAL_EXTENSIONS[oid] ?? OTHER_EXTENSION_NAMES[oid];
  return name ? `${name} extension (${oid})` : `extension ${oid}`;
}
