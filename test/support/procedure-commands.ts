/**
 * Every command the guided procedures render, for each version the gates tell apart, for stamps with values and
 * with none, with every parameter given and with none (placeholders): the runbooks an operator pastes.
 */
import { buildChecklist, type ProcedureRunRecord } from '../../shared/procedures/checklist';
import { PROCEDURES } from '../../shared/procedures/definitions';
import { normaliseParameters } from '../../shared/procedures/render';
import { NO_FACTS } from '../../shared/procedures/verifiers';

const VERSIONS = ['1809', '1811', '1908', '1910', '2108'];
const STAMPS = [
  { name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'adfs' as const, version: '2108', ercsIps: ['10.0.0.1', 'AZS-ERCS02', 'fd00::3'] },
  // A deleted profile: no ERCS, every stamp value a placeholder.
  { name: 'Gone', region: '', externalFqdn: '', identity: 'aad' as const, version: '2108', ercsIps: [] },
];
const FULL: Record<string, string> = {
  pfxFilesPath: '\\\\fs01\\rotation share\\Certificates',
  shareUser: 'CONTOSO\\rotation',
  pepUser: 'AZURESTACK\\CloudAdmin',
  bmcUser: 'azsbmc',
  productId: 'Microsoft.Eventhub',
  packageId: 'Microsoft.Eventhub.1.2003.0.0',
  secretName: 'eventhub-cert',
  pfxFileName: 'C:\\certs\\event hub.pfx',
  keyVaultName: 'acr-kv',
  registryUserName: 'registryadmin',
  certificateSecretName: 'acr-cert',
  certificateFilePath: 'C:\\certs\\registry.pfx',
  thumbprint: 'AB'.repeat(20),
  secretUrl: 'https://acr-kv.vault.east.azurestack.contoso.com/secrets/acr-cert/1',
  scriptsFolder: 'C:\\azurestack-gallery-master\\registry\\Scripts',
};

/** Every rendered command, named by procedure, version, stamp and parameter set. */
export function renderedCommands(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const definition of PROCEDURES) {
    const keys = definition.parameters.map((p) => p.key);
    const full = Object.fromEntries(Object.entries(FULL).filter(([k]) => keys.includes(k)));
    const sets: Record<string, Record<string, string>> = { full, empty: {} };
    if (keys.includes('newUser')) sets['new user'] = { ...full, newUser: 'yes' };
    for (const version of VERSIONS) {
      for (const stamp of STAMPS) {
        for (const [setName, given] of Object.entries(sets)) {
          const run: ProcedureRunRecord = {
            id: 1,
            stampId: 1,
            stampName: stamp.name,
            procedureId: definition.id,
            stampVersion: version,
            parameters: normaliseParameters(definition, given),
            state: 'open',
            startedAt: '2026-01-01T00:00:00.000Z',
            finishedAt: null,
            confirmations: [],
          };
          for (const step of buildChecklist(run, stamp, NO_FACTS, new Date()).steps) {
            if (step.command !== null) out.push({ name: `${definition.id} ${version} ${stamp.name} ${setName}: ${step.id}`, text: step.command });
          }
        }
      }
    }
  }
  return out;
}

