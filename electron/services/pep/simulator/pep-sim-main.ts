/**
 * Entry point of the PEP simulator bundle (`dist/cli/pep-sim.mjs`), which can stand in for PowerShell.
 *
 * Point `AZS_PWSH` at the bundle and the transport runs it with PowerShell's own arguments, which the
 * simulator ignores; its scenario and time scale then come from `AZS_PEP_SIM`.
 */
import { runPepSimulator } from './pep-simulator';
import { loadSimConfig } from './sim-config';

// The reader of our output went away (the app or CLI died): nobody is left to tell, so stop quietly.
process.stdout.on('error', () => process.exit(1));

const config = loadSimConfig(process.argv.slice(2));
if ('problem' in config) {
  process.stderr.write(`pep-sim: ${config.problem}\n`);
  process.exitCode = 2;
} else {
  runPepSimulator(config, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pep-sim: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
