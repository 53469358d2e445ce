/**
 * Configuration of the PEP simulator: the scenario, the time scale, where the simulated stamps keep their
 * state, and what the simulated stamp accepts as the PEP password.
 *
 * Comes from `AZS_PEP_SIM` (inline JSON, or the path of a JSON file) and command-line flags, flags winning.
 * PowerShell's own flags (`-NoProfile -NonInteractive -Command -`) are accepted and ignored, so the
 * simulator's bundle can be configured as the PowerShell executable (`AZS_PWSH`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SimScenario } from '../../../../shared/rotation/rotation-run';
import { parseSimScenario } from '../../../../shared/rotation/rotation-run';

/** Environment variable holding the simulator's configuration (JSON text or a file path). */
export const SIM_CONFIG_ENV = 'AZS_PEP_SIM';

/** Default length of the simulated hour, in seconds (`cli.md`, `--sim-seconds`). */
export const DEFAULT_SIM_SECONDS = 60;

/** The simulator's settings. */
export interface SimConfig {
  scenario: SimScenario;
  /** How many real seconds the simulated rotation (about an hour on a stamp) takes. */
  simSeconds: number;
  /** Folder of the state file. */
  stateDir: string;
  /**
   * SHA-256 (hex) of the PEP password the simulated stamp accepts; null accepts any non-empty password.
   * A hash rather than the password, so a configuration file never holds a usable secret.
   */
  pepPasswordSha256: string | null;
  /** The version the simulated stamp reports, when it should differ from the profile's. */
  stampVersion: string | null;
}

/** The file form of the configuration (all optional). `pepPassword` is hashed on load and not kept. */
interface SimConfigFile {
  scenario?: string;
  simSeconds?: number;
  stateDir?: string;
  pepPassword?: string;
  pepPasswordSha256?: string;
  stampVersion?: string;
}

/** SHA-256 hex of a password, as `pepPasswordSha256` expects it. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function readConfigSource(value: string): SimConfigFile {
  const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the configuration is not a JSON object');
  return parsed as SimConfigFile;
}

/**
 * Builds the configuration from the environment and the command line.
 *
 * Returns `{ problem }` for an unknown flag, a bad scenario, a bad number or an unreadable file.
 */
export function loadSimConfig(argv: readonly string[], env: Record<string, string | undefined> = process.env): SimConfig | { problem: string } {
  let file: SimConfigFile = {};
  const flags: SimConfigFile & { config?: string } = {};
  const pwshFlags = new Set(['-noprofile', '-noninteractive', '-nologo', '-command', '-', '-executionpolicy', 'bypass']);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    try {
      if (arg === '--scenario') flags.scenario = value();
      else if (arg === '--sim-seconds') flags.simSeconds = Number(value());
      else if (arg === '--state-dir') flags.stateDir = value();
      else if (arg === '--config') flags.config = value();
      else if (!pwshFlags.has(arg.toLowerCase())) return { problem: `unknown argument ${arg}` };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
  try {
    const source = flags.config ?? env[SIM_CONFIG_ENV];
    if (source) file = readConfigSource(source);
  } catch (error) {
    return { problem: `cannot read the simulator configuration (${SIM_CONFIG_ENV} or --config): ${(error as Error).message}` };
  }
  const merged = { ...file, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) } as SimConfigFile;
  const scenario = parseSimScenario(merged.scenario ?? 'success');
  if ('problem' in scenario) return { problem: `scenario ${scenario.problem}` };
  const simSeconds = merged.simSeconds ?? DEFAULT_SIM_SECONDS;
  if (!Number.isFinite(simSeconds) || simSeconds < 0 || simSeconds > 24 * 3600) return { problem: `--sim-seconds must be a number of seconds from 0 to 86400, not ${String(merged.simSeconds)}` };
  return {
    scenario,
    simSeconds,
    stateDir: path.resolve(merged.stateDir ?? path.join(tmpdir(), 'azs-pep-sim')),
    pepPasswordSha256: merged.pepPasswordSha256?.toLowerCase() ?? (merged.pepPassword !== undefined ? sha256Hex(merged.pepPassword) : null),
    stampVersion: merged.stampVersion ?? null,
  };
}
