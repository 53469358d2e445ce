/**
 * Persistence for the app and the CLI: stamps, validation history, settings and the audit log in SQLite.
 *
 * Everything outside this folder goes through `Store`; SQL stays here.
 */
export { Store, type StoreOptions } from './store';
export { defaultDataDir, DATA_DIR_ENV, PRODUCT_NAME, type DataDirEnvironment } from './data-dir';
export { DATABASE_FILE_NAME } from './open-database';
export { APPLICATION_ID, DatabaseFileError, storageErrorOf, type DatabaseProblem } from './database-file';
export { DatabaseTooNewError, SCHEMA_VERSION } from './migrations/index';
export { DEFAULT_SETTINGS, type SettingsRepository } from './settings-repository';
export type { StampsRepository } from './stamps-repository';
export { reportStatus, type RunInput, type RunOutcome, type RunStatus, type StoredRun, type StoredCheckResult, type ValidationRunsRepository } from './validation-runs-repository';
export type { RotationRunFacts, RotationRunInput, RotationRunsRepository, RotationTransition, StoredRotationRun } from './rotation-runs-repository';
export type { KeyRequest, KeyRequestsRepository } from './key-requests-repository';
export type { PlacedFile, PlacedFilesRepository } from './placed-files-repository';
export { redactSecrets, type AuditEvent, type AuditEventInput, type AuditLog } from './audit-log';
export { MAX_PAGE_SIZE, type ChecklistState, type EventFacets, type EventFilter, type EventInput, type EventPage, type EventsRepository } from './events-repository';
