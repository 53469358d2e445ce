/**
 * How the app and the CLI start the PEP simulator in place of PowerShell for a rehearsal.
 *
 * The simulator is a script of this project run by the same Node (or Electron acting as Node): the CLI runs
 * itself with `pep-sim`, the desktop app runs the `pep-sim.mjs` bundle, tests run the TypeScript entry.
 * Scenario, time scale and state folder travel as arguments; nothing secret does.
 */
import type { PowerShellCommand } from '../transport';
import { nodeCommand } from '../transport';

/** Where the simulator's code is. */
export interface SimulatorEntry {
  /** The script to run (`dist/cli/pep-sim.mjs`, the CLI bundle, or a `.ts` entry with `nodeArgs`). */
  script: string;
  /** Arguments before the simulator's own, e.g. `['pep-sim']` when `script` is the CLI. */
  prefixArgs?: string[];
  /** Node options, e.g. `['--import', 'tsx']`. */
  nodeArgs?: string[];
}

/** The simulator's settings for one run. */
export interface SimulatorRunConfig {
  scenario: string;
  simSeconds: number;
  stateDir: string;
}

/** Returns the function that builds the simulator's command for a run. */
export function simulatorLauncher(entry: SimulatorEntry): (config: SimulatorRunConfig) => PowerShellCommand {
  return (config) =>
    nodeCommand(
      entry.script,
      [...(entry.prefixArgs ?? []), '--scenario', config.scenario, '--sim-seconds', String(config.simSeconds), '--state-dir', config.stateDir],
      'PEP simulator',
      true,
      entry.nodeArgs ?? [],
    );
}
