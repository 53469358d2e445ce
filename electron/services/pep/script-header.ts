/**
 * What a generated PEP script does (its steps and the secrets it reads) and the stdin framing around it.
 *
 * The description stays on the app's side: it is not written into the script, so nothing (the stand-in PEP of
 * rehearsals included) can act on a description instead of the PowerShell itself. It names the secrets that
 * follow the script on stdin, in order, but never holds a secret value.
 */
import type { RotationKind } from '../../../shared/rotation/rotation-run';

/**
 * The line between the script and the secrets on stdin.
 *
 * The script skips stdin lines until it reads this marker and then reads one secret per line, so it does not
 * matter how many of the script's own lines the PowerShell host has consumed by the time the script runs.
 */
export const SECRETS_MARKER = '# azs-rotate-secrets-follow';

/**
 * The line the app writes on stdin, after the secrets, to ask the script to stop: the script then ends its
 * current step, closes the PEP session in its `finally` and reports `cancelled`. (PowerShell ignores Ctrl+C
 * without a terminal, and Windows cannot send a child process Ctrl+C.)
 */
export const CANCEL_MARKER = '# azs-rotate-cancel';

/** The secrets a script can read, by role. */
export type SecretRole = 'pep' | 'share' | 'certificate' | 'bmc';

/** One operation inside the PEP session, in the order the script performs them. */
export type PepStep =
  | { op: 'stamp-information' }
  | {
      op: 'readiness';
      /**
       * True when a not-ready stamp stops the run (a first external rotation). Internal rotations and reruns
       * report readiness without being held by it: Microsoft's procedure does not gate them on the test.
       */
      gate: boolean;
    }
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

/** The step names, for events and the stand-in PEP. */
export type PepStepName = PepStep['op'];

/** What a generated script does. */
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

