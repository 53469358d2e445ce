/**
 * The machine-readable header of a generated PEP script and the stdin framing around it.
 *
 * The builder writes the header as the script's first line, a comment PowerShell ignores; the simulator
 * reads it to know which operation it is asked to act out without interpreting PowerShell. The header
 * names the secrets that follow the script on stdin, in order, but never holds a secret value.
 */
import type { RotationKind } from '../../../shared/rotation/rotation-run';

/** Start of the header line. */
export const OP_HEADER_PREFIX = '# azs-rotate-op: ';

/**
 * The line between the script and the secrets on stdin.
 *
 * The script skips stdin lines until it reads this marker and then reads one secret per line, so it does not
 * matter how many of the script's own lines the PowerShell host has consumed by the time the script runs.
 */
export const SECRETS_MARKER = '# azs-rotate-secrets-follow';

/**
 * The line the app writes on stdin, after the secrets, to ask the script to stop (Windows, where a child
 * process cannot be sent Ctrl+C): the script then ends its current step, closes the PEP session in its
 * `finally` and reports `cancelled`.
 */
export const CANCEL_MARKER = '# azs-rotate-cancel';

/** The secrets a script can read, by role. */
export type SecretRole = 'pep' | 'share' | 'certificate' | 'bmc';

/** One operation inside the PEP session, in the order the script performs them. */
export type PepStep =
  | { op: 'stamp-information' }
  | { op: 'readiness' }
  | {
      op: 'start-secret-rotation';
      /** Rotate external certificates (`-PfxFilesPath …`; before 1811 this rotates internal secrets as well). */
      external: boolean;
      /** Rotate internal secrets (`-Internal`, 1811 and later). */
      internal: boolean;
      rerun: boolean;
      /** UNC path of the Certificates folder, for a first external run. */
      pfxFilesPath: string | null;
      /** User of `-PathAccessCredential`, for a first external run. */
      shareUser: string | null;
    }
  | { op: 'external-certificates-check' }
  | { op: 'set-bmc-credential'; bmcUser: string | null; bypassBmcUpdate: boolean };

/** The step names, for events and the simulator. */
export type PepStepName = PepStep['op'];

/** The header of a generated script. */
export interface PepScriptHeader {
  v: 1;
  /** The procedure the script belongs to. */
  kind: RotationKind;
  stamp: { name: string; region: string; fqdn: string; version: string; identity: 'aad' | 'adfs' };
  /** ERCS addresses, tried in order. */
  ercs: string[];
  /** The PEP user (`DOMAIN\CloudAdmin`). */
  pepUser: string;
  steps: PepStep[];
  /** The roles of the secret lines after the marker, in order. */
  secrets: SecretRole[];
}

/** The header line for a script. */
export function formatHeader(header: PepScriptHeader): string {
  return OP_HEADER_PREFIX + JSON.stringify(header);
}

/** Reads the header from a script's text; null when there is none or it does not parse. */
export function parseHeader(script: string): PepScriptHeader | null {
  const line = script.split(/\r?\n/).find((l) => l.startsWith(OP_HEADER_PREFIX));
  if (!line) return null;
  try {
    const header = JSON.parse(line.slice(OP_HEADER_PREFIX.length)) as PepScriptHeader;
    return header && header.v === 1 && Array.isArray(header.steps) && Array.isArray(header.secrets) && Array.isArray(header.ercs) ? header : null;
  } catch {
    return null;
  }
}
