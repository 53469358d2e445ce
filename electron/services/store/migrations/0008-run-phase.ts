/**
 * Schema 8: how far a rotation run got — the checks on this machine, the PEP session, or the rotation.
 *
 * A run whose process died is `interrupted`, and until now every interrupted run read "outcome unknown".
 * The phase tells a run that died before PowerShell was started (nothing was sent anywhere, nothing changed)
 * from one that died with a PEP session open and one that died while the action plan ran.
 */
import type { Migration } from './migration';

/** Adds `rotation_runs.phase`; runs that already reached the rotation are marked so, the rest stay unknown (NULL). */
export const migration0008: Migration = {
  version: 8,
  name: 'run-phase',
  up(db) {
    db.exec(`
      ALTER TABLE rotation_runs ADD COLUMN phase TEXT CHECK (phase IS NULL OR phase = 'checks' OR phase = 'pep-session' OR phase = 'rotation');
      UPDATE rotation_runs SET phase = 'rotation' WHERE state = 'running' OR pep_started_at IS NOT NULL;
    `);
  },
};
