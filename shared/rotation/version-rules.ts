/**
 * Version rules of the Microsoft rotation procedure that pre-flight, the runbooks and the facts behind the
 * checklists share: which readiness test a version runs, and what a BMC credential needs before and from 1910.
 *
 * Pure, like `rotation-run.ts`, whose version helpers these build on.
 */
import { hasInternalSwitch, versionNumber } from './rotation-run';

/**
 * The readiness test the Microsoft procedure runs before a rotation on a stamp of this version.
 *
 * The `SecretRotationReadiness` group is documented from 1811; before it the whole `Test-AzureStack` run is
 * the check, and every test must come back healthy.
 */
export function readinessCommand(version: string): string {
  return hasInternalSwitch(version) ? 'Test-AzureStack -Group SecretRotationReadiness' : 'Test-AzureStack';
}

/** True when the stamp's version changes the BMC passwords itself (1910 and later), so no OEM update comes first. */
export function bmcUpdatedByStamp(version: string): boolean {
  return versionNumber(version) >= 1910;
}

/** The longest BMC user name, and from 1910 the longest BMC password, the procedure allows. */
export const BMC_MAX_LENGTH = 16;

/**
 * The new BMC password's problem on a stamp of this version, or null; judged, never echoed.
 *
 * From 1910 Azure Stack Hub sets the password on every BMC itself, and the procedure limits it to 16
 * characters like the user name. Before 1910 the OEM tool has already set it on the BMCs and the stamp only
 * records it, so its length is the OEM's business.
 */
export function bmcPasswordProblem(password: string, version: string): string | null {
  if (!password) return 'Enter the new BMC password.';
  const length = [...password].length;
  if (bmcUpdatedByStamp(version) && length > BMC_MAX_LENGTH) {
    return `The new BMC password has ${length} characters; from 1910 BMC passwords have at most ${BMC_MAX_LENGTH}.`;
  }
  return null;
}
