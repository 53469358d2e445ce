/**
 * Schema 9: an audit entry about `run:<id>` belongs to that validation run, whatever its action.
 *
 * `run:<id>` is the one subject of a validation run (rotation runs are `rotation:<id>`), but the event trigger of
 * schema 6 linked it to a validation run only for `validation.*` actions: the app's `report.export` entry was linked
 * to the *rotation* run with the same number, and shown in that run's history.
 */
import type { Migration } from './migration';

const OLD_LINK = /WHEN new\.subject LIKE 'run:%' AND new\.action LIKE 'validation\.%' THEN 'validation'\s+WHEN new\.subject LIKE 'run:%' OR new\.subject LIKE 'rotation:%' THEN 'rotation'/;
const NEW_LINK = "WHEN new.subject LIKE 'run:%' THEN 'validation'\n            WHEN new.subject LIKE 'rotation:%' THEN 'rotation'";

/** Rewrites the audit trigger's link and corrects the entries it linked wrongly. */
export const migration0009: Migration = {
  version: 9,
  name: 'validation-run-links',
  up(db) {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_from_audit'").get() as { sql: string } | undefined;
    // Rewritten from the stored definition so the rest of the trigger stays exactly as schema 6 made it.
    if (!row || !OLD_LINK.test(row.sql)) throw new Error('events_from_audit is not the trigger schema 6 created.');
    db.exec('DROP TRIGGER events_from_audit');
    db.exec(row.sql.replace(OLD_LINK, NEW_LINK));
    // The event text is `<actor> <action> <subject> …`: the entries written for a run: subject can be told apart.
    db.exec(`UPDATE events SET run_kind = 'validation' WHERE run_kind = 'rotation' AND instr(text, ' ' || category || ' run:') > 0`);
  },
};
