/**
 * How audit entries name what they were done to, one spelling per kind, for the app and the CLI alike.
 *
 * The event store links an audit entry to its run by this spelling (migration 6: `run:<id>` with a
 * `validation.*` action is validation run `<id>`), so a second spelling (`validation-run:<id>` once came
 * from the CLI) leaves the entry outside the run's history.
 */

/** The subject of validation run `id`: `run:<id>`. */
export function validationRunSubject(id: number): string {
  return `run:${id}`;
}

/** The subject of stamp profile `id`: `stamp:<id>`. */
export function stampSubject(id: number): string {
  return `stamp:${id}`;
}
