import { describe, expect, it } from 'vitest';
import { buildChecklist, type ProcedureRunRecord } from '../../shared/procedures/checklist';
import { procedure } from '../../shared/procedures/definitions';
import { normaliseParameters, parameterProblem, parameterProblems, productEndpoint, renderCommand, stampValues, unknownParameterKeys } from '../../shared/procedures/render';
import { renderRunbookHtml } from '../../shared/procedures/runbook-html';
import { NO_FACTS } from '../../shared/procedures/verifiers';

const STAMP = { name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'adfs' as const, version: '2108', ercsIps: ['10.0.0.1', '10.0.0.2'] };

function run(procedureId: ProcedureRunRecord['procedureId'], parameters: Record<string, string>, confirmations: ProcedureRunRecord['confirmations'] = []): ProcedureRunRecord {
  return { id: 7, stampId: 1, stampName: 'Lab', procedureId, stampVersion: '2108', parameters, state: 'open', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, confirmations };
}

describe('command rendering', () => {
  it('fills stamp values and parameters, and shows missing ones as <label>', () => {
    const values = stampValues(STAMP);
    expect(values.base).toBe('east.azurestack.contoso.com');
    expect(values.identityFolder).toBe('ADFS');
    expect(renderCommand('New-PSSession -ComputerName {ercs1} # {ercsList}', values)).toBe('New-PSSession -ComputerName 10.0.0.1 # 10.0.0.1, 10.0.0.2');
    const external = procedure('external-certificates');
    expect(renderCommand("-PfxFilesPath '{pfxFilesPath}'", values, external.parameters)).toBe("-PfxFilesPath '<Share path>'");
  });

  it('renders the external rotation with -ArgumentList and prompts instead of secrets', () => {
    const checklist = buildChecklist(run('external-certificates', { pfxFilesPath: '\\\\fs\\rot\\Certificates', shareUser: 'CONTOSO\\rot', pepUser: 'AZS\\CloudAdmin' }), STAMP, NO_FACTS, new Date());
    const cmd = checklist.steps.find((s) => s.id === 'run')?.command ?? '';
    expect(cmd).toContain("-ArgumentList '\\\\fs\\rot\\Certificates', $shareCredential, $certPassword");
    expect(cmd).toContain('param($path, $shareCred, $pfxPassword) Start-SecretRotation -PfxFilesPath $path -PathAccessCredential $shareCred -CertificatePassword $pfxPassword');
    expect(cmd).toContain("Read-Host -AsSecureString -Prompt 'PFX password'");
    expect(cmd).toContain('New-PSSession -ComputerName 10.0.0.1 -ConfigurationName PrivilegedEndpoint');
    expect(cmd).not.toContain('$using:');
    expect(checklist.steps.find((s) => s.id === 'share-tree')?.title).toContain('Certificates\\ADFS\\');
  });

  it('renders the exact Event Hubs commands', () => {
    const params = normaliseParameters(procedure('value-add-rp'), { packageId: 'Microsoft.Eventhub.1.2003.0.0', secretName: 'eventhub-cert', pfxFileName: 'C:\\certs\\eh.pfx' });
    expect(params.productId).toBe('Microsoft.Eventhub');
    const checklist = buildChecklist(run('value-add-rp', params), STAMP, NO_FACTS, new Date());
    expect(checklist.steps.find((s) => s.id === 'set-secret')?.command).toBe(
      "$pfxPassword = Read-Host -AsSecureString -Prompt 'PFX password'\nSet-AzsProductSecret -PackageId 'Microsoft.Eventhub.1.2003.0.0' -SecretName 'eventhub-cert' -PfxFileName 'C:\\certs\\eh.pfx' -PfxPassword $pfxPassword -Force",
    );
    expect(checklist.steps.find((s) => s.id === 'rotate')?.command).toBe("Invoke-AzsProductRotateSecretsAction -ProductId 'Microsoft.Eventhub'");
    // --record --stamp files the run under the stamp, which is what turns the step green.
    expect(checklist.steps.find((s) => s.id === 'certificate')?.command).toBe("azs-rotate validate 'C:\\certs\\eh.pfx' --endpoint EventHubs --record --stamp 'Lab'");
    const iot = buildChecklist(run('value-add-rp', { productId: 'Microsoft.IotHub', packageId: 'Microsoft.IotHub.1.0.0.0' }), STAMP, NO_FACTS, new Date());
    expect(iot.steps.find((s) => s.id === 'rotate')?.command).toBe("Invoke-AzsProductRotateSecretsAction -ProductId 'Microsoft.IotHub'");
    expect(iot.steps.find((s) => s.id === 'certificate')?.command).toContain('--endpoint IoTHub');
    expect(checklist.steps.find((s) => s.id === 'symptoms')?.checks).toContain('Backups are not happening');
  });

  it('validates the package id as Microsoft.<RP>.<version> of the product', () => {
    const def = procedure('value-add-rp');
    const packageId = def.parameters.find((p) => p.key === 'packageId');
    if (!packageId) throw new Error('packageId parameter missing');
    expect(parameterProblem(packageId, 'Microsoft.Eventhub.1.2003.0.0', { productId: 'Microsoft.Eventhub' })).toBeNull();
    expect(parameterProblem(packageId, 'Microsoft.Eventhub', {})).toContain('Microsoft.<RP>.<version>');
    expect(parameterProblem(packageId, 'Contoso.Eventhub.1.0', {})).toContain('Microsoft.<RP>.<version>');
    expect(parameterProblem(packageId, 'Microsoft.IotHub.1.2.0.0', { productId: 'Microsoft.Eventhub' })).toContain('not of the product id Microsoft.Eventhub');
    expect(parameterProblem(packageId, "Microsoft.Eventhub.1.0'; rm", {})).toContain('break the command');
    expect(parameterProblems(def, {})).toHaveProperty('packageId');
    expect(parameterProblems(def, {})).not.toHaveProperty('productId');
  });

  it('judges the package id against the product id the commands will use, default included', () => {
    const def = procedure('value-add-rp');
    const given = { packageId: 'Microsoft.IotHub.1.2003.0.0', secretName: 's', pfxFileName: 'C:\\iot.pfx' };
    // The product id left empty defaults to Microsoft.Eventhub: an IoT Hub package would render mismatching commands.
    const problem = parameterProblems(def, given).packageId;
    expect(problem).toContain('Microsoft.IotHub.1.2003.0.0');
    expect(problem).toContain('product id Microsoft.Eventhub (the default when the product id is left empty)');
    expect(problem).toContain('set the product id to Microsoft.IotHub, or give a Microsoft.Eventhub.<version> package id');
    expect(parameterProblems(def, { ...given, productId: '  ' })).toHaveProperty('packageId');
    const explicit = parameterProblems(def, { ...given, productId: 'Microsoft.Eventhub' }).packageId;
    expect(explicit).toContain('not of the product id Microsoft.Eventhub:');
    expect(explicit).not.toContain('default');
    // Matching product ids compare case-insensitively.
    expect(parameterProblems(def, { ...given, productId: 'Microsoft.IOTHUB' })).toEqual({});
    expect(parameterProblems(def, { ...given, packageId: 'Microsoft.EventHub.1.2003.0.0' })).toEqual({});
  });

  it('names keys that are not parameters of the procedure', () => {
    const def = procedure('value-add-rp');
    expect(unknownParameterKeys(def, { productId: 'Microsoft.Eventhub', password: 'x', packageID: 'y' })).toEqual(['password', 'packageID']);
    expect(unknownParameterKeys(def, { productId: 'Microsoft.Eventhub' })).toEqual([]);
  });

  it('maps a product id to its PaaS endpoint of the catalog', () => {
    expect(productEndpoint('Microsoft.Eventhub')?.name).toBe('EventHubs');
    expect(productEndpoint(' microsoft.IOTHUB ')?.name).toBe('IoTHub');
    expect(productEndpoint('Microsoft.Contoso')).toBeNull();
  });

  it('limits BMC user names to 16 characters', () => {
    const bmcUser = procedure('bmc-credential').parameters.find((p) => p.key === 'bmcUser');
    if (!bmcUser) throw new Error('bmcUser parameter missing');
    expect(parameterProblem(bmcUser, 'a'.repeat(16))).toBeNull();
    expect(parameterProblem(bmcUser, 'a'.repeat(17))).toContain('at most 16');
  });

  it('shows the redeploy values and uses -SkipExistCheck only for an existing registry user', () => {
    const base = { keyVaultName: 'acr-kv', registryUserName: 'reg', certificateSecretName: 'acr-cert', certificateFilePath: 'C:\\c.pfx', thumbprint: 'ab'.repeat(20), secretUrl: 'https://acr-kv.vault.east.azurestack.contoso.com/secrets/acr-cert/1' };
    const existing = buildChecklist(run('container-registry', normaliseParameters(procedure('container-registry'), { ...base, newUser: 'no' })), STAMP, NO_FACTS, new Date());
    expect(existing.steps.find((s) => s.id === 'registry-password')?.command).toContain('-SkipExistCheck $true');
    expect(existing.steps.find((s) => s.id === 'redeploy')?.notes[0]).toBe(`PFXKeyVaultSecretURL = ${base.secretUrl}\nPFXThumbprint = ${'AB'.repeat(20)}`);
    const fresh = buildChecklist(run('container-registry', normaliseParameters(procedure('container-registry'), { ...base, newUser: 'YES' })), STAMP, NO_FACTS, new Date());
    expect(fresh.steps.find((s) => s.id === 'registry-password')?.command).not.toContain('-SkipExistCheck');
    expect(fresh.steps.map((s) => s.id)).toContain('delete-old-user');
  });
});

describe('container registry commands', () => {
  const params = normaliseParameters(procedure('container-registry'), {
    keyVaultName: 'acr-kv',
    registryUserName: 'reg',
    certificateSecretName: 'acr-cert',
    certificateFilePath: 'C:\\c.pfx',
    scriptsFolder: 'C:\\azurestack-gallery-master\\registry\\Scripts',
  });
  const checklist = buildChecklist(run('container-registry', params), STAMP, NO_FACTS, new Date());
  const command = (id: string) => checklist.steps.find((s) => s.id === id)?.command ?? '';

  it('imports pre-reqs.ps1 and checks the sign-in and the Key Vault before writing to it', () => {
    expect(checklist.steps.map((s) => s.id).slice(0, 3)).toEqual(['import-prereqs', 'key-vault', 'registry-password']);
    expect(command('import-prereqs')).toBe("Set-Location 'C:\\azurestack-gallery-master\\registry\\Scripts'\nImport-Module .\\pre-reqs.ps1");
    expect(command('key-vault')).toBe("Get-AzureRmContext\nGet-AzureRmKeyVault -VaultName 'acr-kv'");
    expect(checklist.steps.find((s) => s.id === 'key-vault')?.title).toBe('Signed in to the user Resource Manager, Key Vault acr-kv found');
    expect(command('verify')).toContain("Get-AzureKeyVaultSecret -VaultName 'acr-kv' -Name 'reg' -IncludeVersions");
    expect(command('verify')).toContain("Get-AzureKeyVaultSecret -VaultName 'acr-kv' -Name 'acr-cert' -IncludeVersions");
  });

  it('passes the passwords to the [string] parameters of pre-reqs.ps1 as text, not as a SecureString', () => {
    // A SecureString bound to [string] arrives as the text "System.Security.SecureString".
    expect(command('registry-password')).toContain("-RegistryUserPassword (New-Object System.Net.NetworkCredential('', $registryPassword)).Password -SkipExistCheck $true");
    expect(command('certificate-secret')).toContain("-CertificatePassword (New-Object System.Net.NetworkCredential('', $certificatePassword)).Password -SkipExistCheck $true");
    expect(command('registry-password')).not.toMatch(/-RegistryUserPassword \$registryPassword/);
    expect(command('certificate-secret')).not.toMatch(/-CertificatePassword \$certificatePassword/);
  });
});

describe('placeholders in commands', () => {
  it('quotes a missing value outside strings so the command still parses, and leaves one inside a string as it is', () => {
    const values = stampValues({ ...STAMP, ercsIps: [] });
    expect(renderCommand('New-PSSession -ComputerName {ercs1} -Name x', values, [], 'powershell')).toBe("New-PSSession -ComputerName '<ERCS VM address>' -Name x");
    expect(renderCommand("Get-Credential -UserName '{pepUser}'", values, procedure('external-certificates').parameters, 'powershell')).toBe("Get-Credential -UserName '<PEP user>'");
    expect(renderCommand("'it''s' {x} \"{y}\" # {z}", {}, [], 'powershell')).toBe("'it''s' '<x>' \"<y>\" # <z>");
    // Titles and notes are text: no quotes.
    expect(renderCommand('ERCS VMs to try in turn: {ercsList}.', values)).toBe('ERCS VMs to try in turn: <ercsList>.');
  });
});

describe('timers', () => {
  it('tracks the 3.5–4 hour window and enforces 10 minutes after an uninstall', () => {
    const t0 = '2026-01-01T10:00:00.000Z';
    const conf = (stepId: string, at: string) => ({ stepId, confirmedAt: at, note: null, actor: 't' });
    const r = run('value-add-rp', { productId: 'Microsoft.Eventhub' }, [conf('rotate', t0), conf('uninstall', t0)]);
    const at = (iso: string) => buildChecklist(r, STAMP, NO_FACTS, new Date(iso));
    const early = at('2026-01-01T10:05:00.000Z');
    expect(early.steps.find((s) => s.id === 'completed')?.window).toMatchObject({ state: 'running', earliest: '2026-01-01T13:30:00.000Z', latest: '2026-01-01T14:00:00.000Z' });
    expect(early.steps.find((s) => s.id === 'reinstall')).toMatchObject({ status: 'waiting', waitUntil: '2026-01-01T10:10:00.000Z' });
    expect(at('2026-01-01T13:45:00.000Z').steps.find((s) => s.id === 'completed')?.window?.state).toBe('due');
    const late = at('2026-01-01T14:01:00.000Z');
    expect(late.steps.find((s) => s.id === 'completed')?.window?.state).toBe('overdue');
    expect(late.steps.find((s) => s.id === 'reinstall')).toMatchObject({ status: 'open', blockedReason: null });
    const noUninstall = buildChecklist(run('value-add-rp', {}, []), STAMP, NO_FACTS, new Date());
    expect(noUninstall.steps.find((s) => s.id === 'reinstall')?.status).toBe('blocked');
  });
});

describe('runbook', () => {
  it('is self-contained, script-free and escapes operator text', () => {
    const r = run('external-certificates', { pfxFilesPath: '\\\\fs\\x<b>' }, [{ stepId: 'prerequisites', confirmedAt: '2026-01-01T10:00:00.000Z', note: '<script>alert(1)</script>', actor: 'app:op' }]);
    const html = renderRunbookHtml(buildChecklist(r, STAMP, NO_FACTS, new Date()), { appVersion: '1.0', exportedAt: '2026-01-02T00:00:00.000Z', stampName: 'Lab', base: 'east.azurestack.contoso.com' });
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('Confirmed 2026-01-01 10:00 UTC by app:op');
    expect(html).toContain('1 of 11 required steps done');
  });
});
