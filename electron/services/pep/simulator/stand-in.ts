/**
 * Rehearsals: the generated script runs in real PowerShell against the stand-in PEP module.
 *
 * The module (`resources/pep-stand-in/azs-pep-stand-in.psm1`) replaces `New-PSSession`, `Invoke-Command` and
 * `Remove-PSSession` for the script with local runspaces restricted like the PEP's JEA endpoint, where the PEP's
 * cmdlets are declared with their documented parameters and answer with the documented output. The script is
 * exactly the one a stamp would get; only the bootstrap differs, importing the module first. What the module
 * needs to act out the stamp (scenario, time scale, state folder, the stamp's facts and the invented plan steps)
 * travels in one environment variable, `AZS_PEP_STANDIN`, which holds no secret (the accepted PEP password only as
 * a SHA-256 hash) and which the module removes from its environment as soon as it has read it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatSimScenario, type SimScenario } from '../../../../shared/rotation/rotation-run';
import { AppError } from '../../errors';
import { childEnvironment } from '../../child-environment';
import { MODULE_END_MARKER, powershellArguments, SCRIPT_END_MARKER } from '../bootstrap';
import { SECRETS_MARKER } from '../script-header';
import type { PowerShellCommand } from '../transport';
import { loadSimConfig } from './sim-config';
import { monitorGeneration, READINESS_CATEGORIES, simulatedPlanSteps } from './sim-plan';

/** Environment variable carrying the stand-in's configuration to the module. */
export const STAND_IN_CONFIG_ENV = 'AZS_PEP_STANDIN';

/** The module's path inside the project (and inside the packaged app, under `resources/`). */
export const STAND_IN_MODULE = path.join('resources', 'pep-stand-in', 'azs-pep-stand-in.psm1');

/** The simulated stamp of a rehearsal. */
export interface StandInStamp {
  name: string;
  region: string;
  fqdn: string;
  /** YYMM: decides the cmdlets' parameter sets, the monitor's wording and the plan's steps. */
  version: string;
  ercs: string[];
}

/** One rehearsal's settings. */
export interface StandInRunConfig {
  scenario: string;
  simSeconds: number;
  stateDir: string;
  stamp: StandInStamp;
}

/**
 * Builds the PowerShell command of a rehearsal.
 *
 * `env` is the run's environment, where `AZS_PEP_SIM` is read (default: the launcher's).
 */
export type StandInLauncher = (config: StandInRunConfig, env?: Record<string, string | undefined>) => PowerShellCommand;

function moduleDirectory(): string {
  // The Electron main bundle is CommonJS (no import.meta); the CLI bundle and the sources are ESM.
  const url = typeof __filename !== 'undefined' ? pathToFileURL(__filename).href : import.meta.url;
  return path.dirname(fileURLToPath(url));
}

/**
 * Finds the stand-in module from this code's location: the sources, `dist/cli`, `dist/electron` and the
 * packaged app all have `resources/` a few folders up.
 */
export function findStandInModule(start: string = moduleDirectory()): string | null {
  let dir = start;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, STAND_IN_MODULE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** The module's text; an installation without it cannot rehearse, and says so. */
export function readStandInModule(file: string | null = findStandInModule()): string {
  if (file === null) {
    throw new AppError('not-found', `The stand-in PEP module (${STAND_IN_MODULE}) is missing from this installation.`, 'Reinstall Rotation Workbench, or run from a complete checkout.');
  }
  return readFileSync(file, 'utf8');
}

/**
 * What the module reads from `AZS_PEP_STANDIN`.
 *
 * `extra` is the optional rehearsal configuration of `AZS_PEP_SIM` (the accepted PEP password as a hash, a stamp
 * version that differs from the profile's).
 */
export function standInConfig(config: StandInRunConfig, extra: { pepPasswordSha256: string | null; stampVersion: string | null }, scenario: SimScenario): Record<string, unknown> {
  const version = extra.stampVersion ?? config.stamp.version;
  return {
    scenario: formatSimScenario(scenario),
    simSeconds: config.simSeconds,
    stateDir: config.stateDir,
    pepPasswordSha256: extra.pepPasswordSha256,
    stampVersion: extra.stampVersion,
    stamp: { name: config.stamp.name, region: config.stamp.region, fqdn: config.stamp.fqdn, version: config.stamp.version },
    ercs: config.stamp.ercs,
    generation: monitorGeneration(version),
    plans: { external: simulatedPlanSteps('external', version), internal: simulatedPlanSteps('internal', version), bmc: simulatedPlanSteps('bmc', version) },
    readiness: READINESS_CATEGORIES,
  };
}

/**
 * Returns the launcher of rehearsals in `powershell` (the same PowerShell a stamp run uses).
 *
 * `env` is where `AZS_PEP_SIM` is read (default `process.env`); the module is `moduleText`, else the file
 * `moduleFile`, else the one found next to this code.
 */
export function standInLauncher(
  powershell: Pick<PowerShellCommand, 'command'>,
  options: { env?: Record<string, string | undefined>; moduleText?: string; moduleFile?: string } = {},
): StandInLauncher {
  return (config, runEnv) => {
    const loaded = loadSimConfig(['--scenario', config.scenario], runEnv ?? options.env ?? process.env);
    if ('problem' in loaded) throw new AppError('invalid-request', `Rehearsal: ${loaded.problem}`, 'Correct the scenario or AZS_PEP_SIM and start again.');
    const env = { [STAND_IN_CONFIG_ENV]: JSON.stringify(standInConfig(config, loaded, loaded.scenario)) };
    return {
      command: powershell.command,
      args: powershellArguments({ rehearsal: true }),
      env,
      label: `${path.basename(powershell.command)} (PEP simulator)`,
      simulator: true,
      standIn: options.moduleText ?? readStandInModule(options.moduleFile ?? findStandInModule()),
    };
  };
}

/** The streams of {@link runStandInPassThrough}. */
export interface PassThroughIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Runs a rehearsal command on a script read from `io.stdin` (`azs-rotate pep-sim`): the script, then the
 * secrets marker and the secrets, then optionally the cancel line, as the app writes them to PowerShell.
 *
 * The module goes first and the script-end marker is put before the secrets marker, so PowerShell receives the
 * same framing as from the transport. Resolves with PowerShell's exit code (1 when it ended on a signal).
 */
export function runStandInPassThrough(command: PowerShellCommand, io: PassThroughIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, { env: childEnvironment(process.env, [], command.env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('not-found', `PowerShell (${command.command}) could not be started: ${error.code ?? error.message}.`, 'Install PowerShell 7 (pwsh) or point AZS_PWSH at it.'));
    });
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    child.stdin.on('error', () => {});
    if (command.standIn !== null) child.stdin.write(`${command.standIn.replace(/\r?\n$/, '')}\n${MODULE_END_MARKER}\n`);
    let scriptEnded = false;
    let rest = '';
    const forward = (line: string) => {
      if (!scriptEnded && line.replace(/\r$/, '') === SECRETS_MARKER) {
        scriptEnded = true;
        child.stdin.write(`${SCRIPT_END_MARKER}\n`);
      }
      child.stdin.write(`${line}\n`);
    };
    const onData = (chunk: Buffer | string) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(forward);
    };
    const onEnd = () => {
      if (rest) forward(rest);
      rest = '';
      if (!scriptEnded) child.stdin.write(`${SCRIPT_END_MARKER}\n`);
      // PowerShell's stdin stays open until it exits: the script takes its end for the app going away, and stops.
    };
    io.stdin.on('data', onData);
    io.stdin.on('end', onEnd);
    child.on('close', (code) => {
      child.stdin.destroy();
      io.stdin.removeListener('data', onData);
      io.stdin.removeListener('end', onEnd);
      io.stdin.pause();
      resolve(code ?? 1);
    });
  });
}
