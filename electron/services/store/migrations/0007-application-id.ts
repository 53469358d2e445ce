/**
 * Schema 7: the file says it is a Rotation Workbench database (`PRAGMA application_id`).
 *
 * Until now any SQLite file in the data folder, or a 0-byte one, would have been taken for ours and migrated.
 * With the id written, opening tells our database from another program's file (see `database-file.ts`);
 * files of earlier versions are still recognised by their tables and get the id here.
 */
import { APPLICATION_ID } from '../database-file';
import type { Migration } from './migration';

/** Writes `APPLICATION_ID` into the database header. */
export const migration0007: Migration = {
  version: 7,
  name: 'application-id',
  up(db) {
    // The header field is written with the transaction the runner opened, so it lands with user_version 7.
    db.pragma(`application_id = ${APPLICATION_ID}`);
  },
};
