// `npm run bench`: every benchmark of the project, one after another, each printing its own figures.
// `npm run bench -- validate logs` runs only the named ones; `--check` is passed on (exit 1 on a missed target).
// They run in sequence, never side by side, because each measures a 2-core machine's full attention.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BENCHMARKS = [
  ['validate', 'the CLI as a user runs it, and in-process validation, vs an openssl pkcs12 loop (certificate engine)'],
  ['renderer', 'first paint and results-table render in Chromium (desktop app)'],
  ['prep', 'CSRs and PFX assembly for 23 endpoints (certificate preparation)'],
  ['pep-ingest', 'PEP output into SQLite, events per second (rotation runs)'],
  ['logs', '1,000,000 events: ingest, full-text search, viewer first page, bundle export (logs)'],
];

const args = process.argv.slice(2);
const passOn = args.filter((a) => a.startsWith('--'));
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((name) => !BENCHMARKS.some(([known]) => known === name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${BENCHMARKS.map(([n]) => n).join(', ')}.`);
  process.exit(2);
}
const selected = BENCHMARKS.filter(([name]) => wanted.length === 0 || wanted.includes(name));

const failed = [];
for (const [name, what] of selected) {
  const file = path.join('test', 'bench', `${name}-bench.ts`);
  if (!existsSync(file)) throw new Error(`Benchmark file missing: ${file}`);
  console.log(`\n##### ${name}: ${what}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...passOn], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${name} (exit ${result.status ?? result.signal})`);
}
if (failed.length > 0) {
  console.error(`\nBenchmarks that failed or missed a target: ${failed.join(', ')}`);
  process.exit(1);
}
