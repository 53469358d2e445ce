/**
 * Benchmark: PEP output from the transport into SQLite, in events per second (target ≥ 20,000).
 *
 * A stand-in PowerShell prints a long session's worth of JSON lines (action-plan polls, verbose lines,
 * Test-AzureStack results) as fast as it can; the transport splits and scrubs them, the parser types them,
 * and the rotation repository appends each chunk's events in one transaction — the same path a real run
 * takes, with the database's own triggers (the event store) included.
 *
 * Run: `node --import tsx test/bench/pep-ingest-bench.ts [lines] [--check]`. Exits 1 below the target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PepOutputParser } from '../../electron/services/pep/parser';
import { runPepScript } from '../../electron/services/pep/transport';
import { Store } from '../../electron/services/store/store';

const TARGET = 20_000;
const LINES = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 200_000);

const generator = `
const out = [];
const guid = '0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10';
const total = ${LINES};
out.push(JSON.stringify({ type: 'verbose', step: 'start-secret-rotation', text: 'Action plan instance ID specified: ' + guid }));
for (let i = 1; out.length < total; i += 1) {
  const k = i % 4;
  if (k === 0) out.push(JSON.stringify({ type: 'verbose', step: 'start-secret-rotation', text: "Overall action status: 'Running'" }));
  else if (k === 1) out.push(JSON.stringify({ type: 'verbose', step: 'start-secret-rotation', text: "Step 'Rotate step " + (i % 40) + "' status: 'InProgress'" }));
  else if (k === 2) out.push(JSON.stringify({ type: 'information', step: 'readiness', text: 'PASS Azure Stack Infrastructure Role summary ' + i }));
  else out.push(JSON.stringify({ type: 'output', step: 'start-secret-rotation', text: 'ProgressAsXml : <Step FullStepIndex="' + i + '" Status="InProgress" />' }));
}
out.push(JSON.stringify({ type: 'verbose', step: 'start-secret-rotation', text: "Action plan finished with status: 'Completed'" }));
let text = out.join('\\n') + '\\n';
// Reads the script and secrets as PowerShell would, then ends by itself when done, as the generated script does:
// the transport keeps stdin open for a cancel line until the process exits.
process.stdin.resume();
process.stdout.write(text, () => process.exit(0));
`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'azs-pep-bench-'));
  const store = Store.open({ dataDir: dir });
  try {
    const script = path.join(dir, 'flood.mjs');
    writeFileSync(script, generator);
    const stamp = store.stamps.create(
      { name: 'Bench', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'adfs', version: '2108', ercsIps: ['10.0.0.1'], currentCaKind: 'enterprise', resourceProviders: [], rehearsal: true },
      new Date().toISOString(),
    );
    const runId = store.rotations.create({
      stampId: stamp.id,
      stampName: stamp.name,
      kind: 'external',
      rehearsal: true,
      scenario: 'bench',
      source: 'cli',
      startedAt: new Date().toISOString(),
      rerunOf: null,
      parameters: {},
      ownerPid: process.pid,
      ownerHost: 'bench',
    });
    const parser = new PepOutputParser();
    let stored = 0;
    let batches = 0;
    let parseMs = 0;
    let storeMs = 0;
    const started = performance.now();
    const outcome = await runPepScript({
      // A Node process floods the transport: the figure is about splitting, parsing and storing, not PowerShell.
      command: { command: process.execPath, args: [script], env: {}, label: 'flood', simulator: false, standIn: null },
      script: '# flood',
      secrets: ['BenchSecret123', 'Another9Secret'],
      onItems(items) {
        const t0 = performance.now();
        const events = items.flatMap((i) => parser.feed(i));
        const t1 = performance.now();
        stored += store.rotations.appendEvents(runId, events).length;
        batches += 1;
        parseMs += t1 - t0;
        storeMs += performance.now() - t1;
      },
    });
    const totalMs = performance.now() - started;
    if (outcome.exitCode !== 0) throw new Error(`the generator exited with ${outcome.exitCode}`);
    const check = store.rotations.events(runId, { afterSeq: stored - 1 });
    if (check.length !== 1 || parser.facts.finalStatus !== 'Completed') throw new Error('not every event was stored');
    const endToEnd = Math.round(stored / (totalMs / 1000));
    // Where the time goes: the transport (spawn, pipe, split, scrub, JSON) is the rest of the end-to-end time.
    const transportMs = totalMs - parseMs - storeMs;
    process.stdout.write(
      `pep-ingest: ${stored} events in ${batches} batches; end to end ${Math.round(totalMs)} ms = ${endToEnd} events/s; target ≥ ${TARGET} events/s\n` +
        `  transport ${Math.round(transportMs)} ms, parser ${Math.round(parseMs)} ms, SQLite append (with the database's triggers) ${Math.round(storeMs)} ms = ${Math.round(stored / (storeMs / 1000))} events/s\n`,
    );
    if (endToEnd < TARGET) {
      process.stderr.write(`pep-ingest: below the target of ${TARGET} events/s\n`);
      process.exitCode = 1;
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
