/**
 * Schema 4: key custody for certificate requests, and the record of files the app placed in a share.
 *
 * `key_requests` ties each CSR to its private key file in `<data-dir>/keys/`. The key itself is in that
 * file, encrypted with a key derived from the operator's passphrase; this table holds only facts about
 * it (public key fingerprint, file name), never the key in clear and never the passphrase.
 * `placed_files` lists every PFX the app copied into a share (placement, restore), so cleaning a share
 * after a rotation removes only what the app put there.
 */
import type { Migration } from './migration';

/** Creates `key_requests` and `placed_files`. */
export const migration0004: Migration = {
  version: 4,
  name: 'key-custody',
  up(db) {
    db.exec(`
      CREATE TABLE key_requests (
        key_id TEXT PRIMARY KEY,
        -- The endpoint name, or 'All endpoints' for one request carrying every SAN (csr --single).
        endpoint TEXT NOT NULL,
        endpoints TEXT NOT NULL CHECK (json_valid(endpoints)),
        dns_names TEXT NOT NULL CHECK (json_valid(dns_names)),
        subject TEXT NOT NULL,
        region TEXT NOT NULL,
        fqdn TEXT NOT NULL,
        identity TEXT NOT NULL CHECK (identity IN ('aad', 'adfs')),
        key_bits INTEGER NOT NULL,
        signature_hash TEXT NOT NULL,
        -- SHA-256 of the DER SubjectPublicKeyInfo: how an issued certificate finds its key.
        public_key_sha256 TEXT NOT NULL UNIQUE,
        -- Relative to the data folder, e.g. keys/<key_id>.key.
        key_file TEXT NOT NULL,
        request_file TEXT NOT NULL,
        created_at TEXT NOT NULL,
        assembled_at TEXT,
        certificate_thumbprint TEXT
      ) STRICT;
      CREATE INDEX key_requests_created ON key_requests (created_at);

      CREATE TABLE placed_files (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('place', 'restore')),
        origin TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        removed_at TEXT
      ) STRICT;
      CREATE INDEX placed_files_path ON placed_files (path);
    `);
  },
};
