/**
 * The PEP simulator's action plans: step names per procedure and the console frame per stamp version.
 *
 * INVENTED: Microsoft has not published the step names or count of the secret-rotation action plan
 * (`pep-output.md` §2.3), nor any Set-BmcCredential output (§7). The names below are plausible stand-ins
 * for rehearsals and tests; the frame around them (status lines, instance ID, timing) follows the
 * documented monitor of §2.2.
 */
import type { RotationKind } from '../../../../shared/rotation/rotation-run';
import { versionNumber } from '../../../../shared/rotation/rotation-run';

/** One simulated action-plan step. */
export interface SimPlanStep {
  /** ECE's dotted FullStepIndex (format documented, values invented). */
  index: string;
  name: string;
  /** Role path named in a failure of this step. */
  rolePath: string;
}

/**
 * The simulated steps of a procedure on a stamp version.
 *
 * Internal rotation gains a root-CA step from 2108, when the PEP started rotating the root CA with it.
 */
export function simulatedPlanSteps(kind: RotationKind, version: string): SimPlanStep[] {
  if (kind === 'external') {
    return [
      { index: '1', name: 'Validate the new certificates on the share', rolePath: 'Cloud\\Infrastructure\\SecretRotation' },
      { index: '2', name: 'Import the certificates into the infrastructure secret store', rolePath: 'Cloud\\Infrastructure\\SecretStore' },
      { index: '3.1', name: 'Rotate the Azure Resource Manager and portal certificates', rolePath: 'Cloud\\Fabric\\WAS' },
      { index: '3.2', name: 'Rotate the storage endpoint certificates', rolePath: 'Cloud\\Fabric\\ACS' },
      { index: '3.3', name: 'Rotate the Key Vault certificates', rolePath: 'Cloud\\Fabric\\KeyVault' },
      { index: '3.4', name: 'Rotate the extension host certificates', rolePath: 'Cloud\\Fabric\\ExtensionHost' },
      { index: '3.5', name: 'Rotate the identity endpoint certificates', rolePath: 'Cloud\\Fabric\\ADFS' },
      { index: '4', name: 'Restart the infrastructure roles that use the certificates', rolePath: 'Cloud\\Fabric' },
      { index: '5', name: 'Verify the public endpoints', rolePath: 'Cloud\\Infrastructure\\SecretRotation' },
    ];
  }
  if (kind === 'internal') {
    return [
      { index: '1', name: 'Prepare the internal rotation', rolePath: 'Cloud\\Infrastructure\\SecretRotation' },
      { index: '2', name: 'Rotate the internal certificates', rolePath: 'Cloud\\Infrastructure\\Domain' },
      { index: '3', name: 'Rotate the infrastructure service account keys', rolePath: 'Cloud\\Infrastructure\\Domain' },
      ...(versionNumber(version) >= 2108 ? [{ index: '4', name: 'Rotate the internal root certificate authority', rolePath: 'Cloud\\Infrastructure\\CertificateAuthority' }] : []),
      { index: '5', name: 'Restart the infrastructure roles', rolePath: 'Cloud\\Fabric' },
      { index: '6', name: 'Verify the infrastructure services', rolePath: 'Cloud\\Infrastructure\\SecretRotation' },
    ];
  }
  return [
    { index: '1', name: 'Validate the BMC credential', rolePath: 'Cloud\\Infrastructure\\BareMetal' },
    { index: '2', name: 'Update the BMC credential on every node', rolePath: 'Cloud\\Infrastructure\\BareMetal' },
    { index: '3', name: 'Update the BMC record of Azure Stack Hub', rolePath: 'Cloud\\Infrastructure\\SecretStore' },
    { index: '4', name: 'Verify BMC access', rolePath: 'Cloud\\Infrastructure\\BareMetal' },
  ];
}

/**
 * Which generation of the action-plan monitor a version prints (`pep-output.md` §2.1).
 *
 * The version boundaries are an estimate from the dates of the doc revisions: `overall` ends with
 * `Overall action status: Success` and `DONE` (≤ 2019 docs), `done` with `CurrentStatus: Completed` and `DONE`
 * (2020–2021 docs), `finished` with `Action plan finished with status: 'Completed'` (2022 docs on).
 */
export function monitorGeneration(version: string): 'overall' | 'done' | 'finished' {
  const v = versionNumber(version);
  if (v < 1910) return 'overall';
  if (v < 2108) return 'done';
  return 'finished';
}

/** Test-AzureStack categories of the SecretRotationReadiness group and their summary lines (`pep-output.md` §3). */
export const READINESS_CATEGORIES: readonly { category: string; summaries: readonly string[] }[] = [
  { category: 'AzsAcsSummary', summaries: ['Azure Stack Storage Services Summary'] },
  { category: 'AzsDefenderSummary', summaries: ['Azure Stack Defender Summary'] },
  { category: 'AzsHostingInfraSummary', summaries: ['Azure Stack Cloud Hosting Infrastructure Summary'] },
  { category: 'AzsInfraCapacity', summaries: ['Azure Stack Infrastructure Capacity'] },
  { category: 'AzsInfraRoleSummary', summaries: ['Azure Stack Infrastructure Role summary'] },
  { category: 'AzsPortalAPISummary', summaries: ['Azure Stack Portal and API Summary', 'Azure Stack ARM Certificate Summary'] },
  { category: 'AzsSFRoleSummary', summaries: ['Azure Stack Cloud Service Fabric Services'] },
  { category: 'AzsStorageSvcsSummary', summaries: ['Azure Stack Storage Services Physical Disks Summary'] },
  { category: 'AzsStoreSummary', summaries: ['Azure Stack Data Store Cluster'] },
];
