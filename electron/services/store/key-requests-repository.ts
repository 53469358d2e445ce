/**
 * SQL for key custody: certificate requests and the encrypted key file each one's private key lives in.
 *
 * A row is the link between a CSR the operator sent to a CA and the key that must later be paired with
 * the issued certificate; the link is the SHA-256 of the public key, which the certificate carries too.
 */
import type Database from 'better-sqlite3';
import type { IdentitySystem } from '../../../shared/endpoints/catalog';
import { AppError } from '../errors';

/** One stored request (never the private key, never the passphrase). */
export interface KeyRequest {
  /** Short stable id, shown to operators and used in key file names. */
  keyId: string;
  /** Endpoint name, or `All endpoints` for a single request with every SAN. */
  endpoint: string;
  /** The endpoint names the request covers. */
  endpoints: string[];
  dnsNames: string[];
  subject: string;
  region: string;
  fqdn: string;
  identity: IdentitySystem;
  keyBits: number;
  signatureHash: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex. */
  publicKeySha256: string;
  /** Key file relative to the data folder, `/`-separated. */
  keyFile: string;
  /** Where the `.req` was written. */
  requestFile: string;
  createdAt: string;
  assembledAt: string | null;
  certificateThumbprint: string | null;
}

interface KeyRequestRow {
  key_id: string;
  endpoint: string;
  endpoints: string;
  dns_names: string;
  subject: string;
  region: string;
  fqdn: string;
  identity: IdentitySystem;
  key_bits: number;
  signature_hash: string;
  public_key_sha256: string;
  key_file: string;
  request_file: string;
  created_at: string;
  assembled_at: string | null;
  certificate_thumbprint: string | null;
}

function toRequest(row: KeyRequestRow): KeyRequest {
  return {
    keyId: row.key_id,
    endpoint: row.endpoint,
    endpoints: JSON.parse(row.endpoints) as string[],
    dnsNames: JSON.parse(row.dns_names) as string[],
    subject: row.subject,
    region: row.region,
    fqdn: row.fqdn,
    identity: row.identity,
    keyBits: row.key_bits,
    signatureHash: row.signature_hash,
    publicKeySha256: row.public_key_sha256,
    keyFile: row.key_file,
    requestFile: row.request_file,
    createdAt: row.created_at,
    assembledAt: row.assembled_at,
    certificateThumbprint: row.certificate_thumbprint,
  };
}

/** Typed access to `key_requests`. */
export interface KeyRequestsRepository {
  /** Stores a new request; throws `conflict` when the key id or public key is already known. */
  add(request: Omit<KeyRequest, 'assembledAt' | 'certificateThumbprint'>): KeyRequest;
  /** One request by key id, or null. */
  get(keyId: string): KeyRequest | null;
  /** The request whose public key has this SHA-256 (hex, any case), or null. */
  findByPublicKey(publicKeySha256: string): KeyRequest | null;
  /** Every request, newest first (at most `limit`, default 500). */
  list(options?: { limit?: number }): KeyRequest[];
  /** Records that the request's certificate was assembled into a PFX. */
  markAssembled(keyId: string, thumbprint: string, at: string): void;
}

/**
 * Builds the key-requests repository on an open, migrated database.
 *
 * Statements are prepared once; JSON lists are written and read whole.
 */
export function createKeyRequestsRepository(db: Database.Database): KeyRequestsRepository {
  const insertStmt = db.prepare(`
    INSERT INTO key_requests (key_id, endpoint, endpoints, dns_names, subject, region, fqdn, identity, key_bits,
                              signature_hash, public_key_sha256, key_file, request_file, created_at)
    VALUES (@keyId, @endpoint, @endpoints, @dnsNames, @subject, @region, @fqdn, @identity, @keyBits,
            @signatureHash, @publicKeySha256, @keyFile, @requestFile, @createdAt)`);
  const getStmt = db.prepare<[string], KeyRequestRow>('SELECT * FROM key_requests WHERE key_id = ?');
  const byKeyStmt = db.prepare<[string], KeyRequestRow>('SELECT * FROM key_requests WHERE public_key_sha256 = ?');
  const listStmt = db.prepare<[number], KeyRequestRow>('SELECT * FROM key_requests ORDER BY created_at DESC, key_id LIMIT ?');
  const assembledStmt = db.prepare<[string, string, string]>(
    'UPDATE key_requests SET assembled_at = ?, certificate_thumbprint = ? WHERE key_id = ?',
  );

  return {
    add(request) {
      try {
        insertStmt.run({
          ...request,
          endpoints: JSON.stringify(request.endpoints),
          dnsNames: JSON.stringify(request.dnsNames),
          publicKeySha256: request.publicKeySha256.toLowerCase(),
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new AppError('conflict', `A request with key ${request.keyId} is already stored.`, 'Generate the request again; a new key gets a new id.', { cause: error });
        }
        throw error;
      }
      return { ...request, assembledAt: null, certificateThumbprint: null };
    },
    get(keyId) {
      const row = getStmt.get(keyId);
      return row ? toRequest(row) : null;
    },
    findByPublicKey(publicKeySha256) {
      const row = byKeyStmt.get(publicKeySha256.toLowerCase());
      return row ? toRequest(row) : null;
    },
    list(options = {}) {
      return listStmt.all(options.limit ?? 500).map(toRequest);
    },
    markAssembled(keyId, thumbprint, at) {
      assembledStmt.run(at, thumbprint, keyId);
    },
  };
}
