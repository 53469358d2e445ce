/**
 * SQL for stamp profiles.
 *
 * Lists (ERCS addresses, resource providers) are stored as JSON text: they are always read and written
 * whole with their stamp, never queried one by one.
 */
import type Database from 'better-sqlite3';
import type { Stamp, StampInput } from '../../../shared/stamps/stamp';
import type { PaasProvider } from '../../../shared/endpoints/catalog';
import { AppError } from '../errors';

interface StampRow {
  id: number;
  name: string;
  region: string;
  external_fqdn: string;
  identity: 'aad' | 'adfs';
  version: string;
  ercs_ips: string;
  current_ca_kind: Stamp['currentCaKind'];
  resource_providers: string;
  rehearsal: number;
  created_at: string;
  updated_at: string;
}

function toStamp(row: StampRow): Stamp {
  return {
    id: row.id,
    name: row.name,
    region: row.region,
    externalFqdn: row.external_fqdn,
    identity: row.identity,
    version: row.version,
    ercsIps: JSON.parse(row.ercs_ips) as string[],
    currentCaKind: row.current_ca_kind,
    resourceProviders: JSON.parse(row.resource_providers) as PaasProvider[],
    rehearsal: row.rehearsal === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toParams(input: StampInput) {
  return {
    name: input.name.trim(),
    region: input.region,
    external_fqdn: input.externalFqdn,
    identity: input.identity,
    version: input.version,
    ercs_ips: JSON.stringify(input.ercsIps),
    current_ca_kind: input.currentCaKind,
    resource_providers: JSON.stringify(input.resourceProviders),
    rehearsal: input.rehearsal ? 1 : 0,
  };
}

function duplicateName(name: string, cause?: unknown): AppError {
  return new AppError(
    'conflict',
    `A stamp named "${name}" already exists.`,
    'Choose another name, or edit the existing stamp.',
    { cause },
  );
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Typed access to the `stamps` table. */
export interface StampsRepository {
  /** Every stamp, by name. */
  list(): Stamp[];
  /** One stamp, or null. */
  get(id: number): Stamp | null;
  /** The stamp with this name (case-insensitive), or null. */
  findByName(name: string): Stamp | null;
  /** Adds a stamp; throws `conflict` when the name is taken. */
  create(input: StampInput, now: string): Stamp;
  /** Replaces a stamp's fields; throws `not-found` or `conflict`. */
  update(id: number, input: StampInput, now: string): Stamp;
  /** Deletes a stamp (its validation runs stay, detached); false when it did not exist. */
  remove(id: number): boolean;
}

/**
 * Builds the stamps repository on an open, migrated database.
 *
 * Statements are prepared once here; better-sqlite3 statements are reusable and cheap to run.
 */
export function createStampsRepository(db: Database.Database): StampsRepository {
  const listStmt = db.prepare<[], StampRow>('SELECT * FROM stamps ORDER BY name COLLATE NOCASE, id');
  const getStmt = db.prepare<[number], StampRow>('SELECT * FROM stamps WHERE id = ?');
  const byNameStmt = db.prepare<[string], StampRow>('SELECT * FROM stamps WHERE name = ? COLLATE NOCASE');
  const insertStmt = db.prepare(`
    INSERT INTO stamps (name, region, external_fqdn, identity, version, ercs_ips, current_ca_kind,
                        resource_providers, rehearsal, created_at, updated_at)
    VALUES (@name, @region, @external_fqdn, @identity, @version, @ercs_ips, @current_ca_kind,
            @resource_providers, @rehearsal, @now, @now)`);
  const updateStmt = db.prepare(`
    UPDATE stamps SET name = @name, region = @region, external_fqdn = @external_fqdn, identity = @identity,
      version = @version, ercs_ips = @ercs_ips, current_ca_kind = @current_ca_kind,
      resource_providers = @resource_providers, rehearsal = @rehearsal, updated_at = @now
    WHERE id = @id`);
  const deleteStmt = db.prepare<[number]>('DELETE FROM stamps WHERE id = ?');

  const get = (id: number): Stamp | null => {
    const row = getStmt.get(id);
    return row ? toStamp(row) : null;
  };

  return {
    list: () => listStmt.all().map(toStamp),
    get,
    findByName(name) {
      const row = byNameStmt.get(name.trim());
      return row ? toStamp(row) : null;
    },
    create(input, now) {
      try {
        const result = insertStmt.run({ ...toParams(input), now });
        return get(Number(result.lastInsertRowid)) as Stamp;
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicateName(input.name.trim(), error);
        throw error;
      }
    },
    update(id, input, now) {
      let changes: number;
      try {
        changes = updateStmt.run({ ...toParams(input), now, id }).changes;
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicateName(input.name.trim(), error);
        throw error;
      }
      if (changes === 0) {
        throw new AppError('not-found', `Stamp ${id} does not exist.`, 'It may have been deleted; reload the stamp list.');
      }
      return get(id) as Stamp;
    },
    remove: (id) => deleteStmt.run(id).changes > 0,
  };
}
