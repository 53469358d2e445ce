/**
 * The rotation procedures of `docs/procedures.md`, as data.
 *
 * Each step carries its reason, its version gate, its automatic verifiers and the command the operator
 * would type. Commands hold `{placeholders}` for stamp values and parameters; secrets are never values
 * here, only `Read-Host -AsSecureString` / `Get-Credential` prompts, so a printed runbook is safe to share.
 */
import type { GatedText, ProcedureDefinition, ProcedureId, ProcedureStep } from './model';

const PEP_SESSION = [
  "$pepCredential = Get-Credential -Message 'CloudAdmin account for the privileged endpoint' -UserName '{pepUser}'",
  "$session = New-PSSession -ComputerName {ercs1} -ConfigurationName PrivilegedEndpoint -Credential $pepCredential -SessionOption (New-PSSessionOption -Culture en-US -UICulture en-US)",
].join('\n');

const PEP_CLOSE = 'Remove-PSSession -Session $session';

/** A PEP session that runs one script block and closes. */
function inPep(scriptBlock: string): string {
  return `${PEP_SESSION}\nInvoke-Command -Session $session -ScriptBlock { ${scriptBlock} }\n${PEP_CLOSE}`;
}

/**
 * The readiness test by version: the `SecretRotationReadiness` group is documented from 1811, before it the
 * whole `Test-AzureStack` run is the check (`shared/rotation/version-rules.ts` says the same for the run).
 */
const READINESS_COMMANDS: readonly GatedText[] = [
  { gate: { from: 1811 }, text: inPep('Test-AzureStack -Group SecretRotationReadiness') },
  { gate: { before: 1811 }, text: inPep('Test-AzureStack') },
];

const READINESS_NOTES: readonly GatedText[] = [
  { gate: { before: 1811 }, text: 'The SecretRotationReadiness test group is documented from 1811 on: before it run the whole Test-AzureStack and check that every test is healthy.' },
];

/**
 * The WinRM TrustedHosts step every PEP procedure opens with: the jump host is outside the stamp's domain, so
 * WinRM refuses a session to a computer its client list does not cover. The last line is the Microsoft
 * procedure's own command.
 */
const TRUSTED_HOSTS: ProcedureStep = {
  id: 'trusted-hosts',
  title: 'WinRM TrustedHosts on this machine covers the ERCS VMs',
  why: 'This machine is not in the stamp’s domain, so WinRM refuses a PEP session to any computer its TrustedHosts list does not cover, and the session fails before anything runs. Pre-flight of a run (app or azs-rotate rotate) checks the list on Windows.',
  commands: [
    {
      text: [
        '# Elevated PowerShell on this machine: show the list, then set it to the ERCS VMs.',
        '(Get-Item WSMan:\\localhost\\Client\\TrustedHosts).Value',
        "winrm s winrm/config/client '@{TrustedHosts=\"{ercsTrusted}\"}'",
      ].join('\n'),
    },
  ],
  notes: [
    {
      text: "winrm s replaces the whole list: when the first line shows entries to keep, add the ERCS VMs with Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '{ercsTrusted}' -Concatenate -Force instead. The list is matched against the name the session uses: an address needs an address entry (or a wildcard such as 10.0.0.*), a host name a name entry (or *.<domain>).",
    },
  ],
};

const EXTERNAL: ProcedureDefinition = {
  id: 'external-certificates',
  title: 'External certificates',
  summary: 'Replace the certificates of the public endpoints (portal, ARM, storage, Key Vault, extension hosts, AD FS).',
  shell: 'PEP session',
  parameters: [
    { key: 'pfxFilesPath', label: 'Share path (-PfxFilesPath)', help: 'UNC path of the share, ending in \\Certificates.', required: true, example: '\\\\fileserver\\rotation\\Certificates', rule: 'path' },
    { key: 'shareUser', label: 'Share user', help: 'Account that can read and write the share (its password is asked for when you run the command).', required: false, example: 'CONTOSO\\rotation', rule: 'plain-name' },
    { key: 'pepUser', label: 'PEP user', help: 'The CloudAdmin account for the privileged endpoint.', required: false, example: 'AZURESTACK\\CloudAdmin', rule: 'plain-name' },
  ],
  steps: [
    {
      id: 'prerequisites',
      title: 'Supported version, latest hotfix, users notified, maintenance window planned',
      why: 'The portal and workloads may be affected: public endpoints can drop for minutes and alerts open and close while the rotation runs, so users must expect it and the stamp must be on a build that rotates cleanly.',
      notes: [
        { gate: { before: 1811 }, text: 'Before 1811 internal and external secrets rotate together, and internal-expiry alerts are false. A stamp that already rotated once before 1811 must update to 1811 first (pre-flight refuses a second rotation it finds in the run history); when unsure whether it ever rotated, update first.' },
        { gate: { from: 1811 }, text: 'From 1811 external and internal rotation are separate runs (-Internal for the latter).' },
      ],
    },
    TRUSTED_HOSTS,
    {
      id: 'readiness',
      title: 'Readiness test healthy',
      why: 'Test-AzureStack finds infrastructure problems that would make the rotation fail half way; an unhealthy stamp is fixed first.',
      verifiers: ['readiness-healthy'],
      commands: READINESS_COMMANDS,
      notes: READINESS_NOTES,
    },
    {
      id: 'pki-requirements',
      title: 'New certificates meet the PKI requirements',
      why: 'The PEP checks far less than the Readiness Checker and fails late; one password for all files, no special characters, TripleDES-SHA1 encryption and a supported CA move are what Start-SecretRotation needs.',
      verifiers: ['validation-green', 'password-rules', 'pfx-encryption', 'ca-transition'],
      notes: [
        { gate: { before: 1903 }, text: 'Before 1903 a move to an enterprise CA is supported only from an enterprise CA, and only with the same enterprise CA used at deployment (1803–1903). Moves to a public CA are supported from 1803.' },
        { gate: { from: 1903 }, text: 'From 1903 moves from a self-signed, enterprise or public CA to an enterprise or public CA are supported; a move to a self-signed CA never is.' },
      ],
    },
    {
      id: 'backup',
      title: 'Backup of the certificates in a secure location',
      why: 'A failed run is recovered by putting the certificates back into the share and rerunning: without a verified copy there is nothing to put back.',
      verifiers: ['backup-verified'],
      commands: [{ text: "azs-rotate backup create '<Certificates-dir>' --to '<backup-dir>'\nazs-rotate backup verify '<backup-dir>'" }],
    },
    {
      id: 'share-access',
      title: 'Share reachable from the ERCS VMs, readable and writable by CloudAdmin',
      why: 'The PEP reads the share from the ERCS VMs with the share credential; an unreachable or read-only share only shows up deep inside the run.',
      verifiers: ['share-access'],
      commands: [{ text: "azs-rotate share-test '{pfxFilesPath}'" }],
    },
    {
      id: 'share-tree',
      title: 'Folder tree Certificates\\{identityFolder}\\… created and filled, one PFX per folder',
      why: 'A wrong tree makes the PEP fail late with the misleading "Cannot bind argument to parameter \'Path\' because it is null."',
      verifiers: ['share-tree'],
      commands: [{ text: "azs-rotate make-dirs '<share-root>' --identity {identity}" }],
    },
    {
      id: 'run',
      title: 'Run Start-SecretRotation from a PEP session (about one hour)',
      why: 'The three values are passed as -ArgumentList to a param() block, not through $using: scoping, which behaves unexpectedly in the constrained endpoint. If ERCS01 does not answer, try the next ERCS VM.',
      commands: [
        {
          text: [
            "$shareCredential = Get-Credential -Message 'Account with access to the certificate share' -UserName '{shareUser}'",
            "$certPassword = Read-Host -AsSecureString -Prompt 'PFX password'",
            PEP_SESSION,
            "Invoke-Command -Session $session -ScriptBlock { param($path, $shareCred, $pfxPassword) Start-SecretRotation -PfxFilesPath $path -PathAccessCredential $shareCred -CertificatePassword $pfxPassword } -ArgumentList '{pfxFilesPath}', $shareCredential, $certPassword",
            PEP_CLOSE,
          ].join('\n'),
        },
      ],
      notes: [{ text: 'ERCS VMs to try in turn: {ercsList}.' }],
    },
    {
      id: 'outcome',
      title: 'Success reported, or recovered and rerun',
      why: 'Success reads "ActionPlanInstanceID … CurrentStatus: Completed" then "Action plan finished with status: \'Completed\'" (older builds: "Overall action status: Success"). On failure, follow the error, restore the certificates from the backup into the share and rerun with -ReRun alone: the PEP resumes the failed plan with the share, credential and password it was given, and the rerun does not wait for another readiness test.',
      commands: [{ text: inPep('Start-SecretRotation -ReRun') }],
    },
    {
      id: 'post-check',
      title: 'Post-check of the external certificates healthy',
      why: 'Confirms every endpoint now serves the new certificates before the maintenance window closes.',
      verifiers: ['post-check-healthy'],
      commands: [{ text: inPep('Test-AzureStack -Include AzsExternalCertificates -DetailedResults') }],
    },
    {
      id: 'cleanup',
      title: 'Certificates removed from the share; backup kept',
      why: 'The share holds private keys protected by one password; it should not keep them once the stamp has them, while the backup stays for a later recovery.',
    },
  ],
};

/** The readiness step of the internal procedures: recommended, never a gate (the app's run does not wait for it either). */
const INTERNAL_READINESS: ProcedureStep = {
  id: 'readiness',
  title: 'Readiness test run (recommended)',
  why: 'Test-AzureStack shows infrastructure problems before the rotation meets them. The procedure does not make an internal rotation, or a rerun, wait for it, and neither does a run from the app: it reports the result and goes on.',
  optional: true,
  verifiers: ['readiness-healthy'],
  commands: READINESS_COMMANDS,
  notes: READINESS_NOTES,
};

const INTERNAL: ProcedureDefinition = {
  id: 'internal-secrets',
  title: 'Internal secrets',
  summary: 'Only when an internal secret may be compromised or an internal expiry alert fired.',
  shell: 'PEP session',
  parameters: [{ key: 'pepUser', label: 'PEP user', help: 'The CloudAdmin account for the privileged endpoint.', required: false, example: 'AZURESTACK\\CloudAdmin', rule: 'plain-name' }],
  steps: [
    {
      id: 'reason',
      title: 'A reason to rotate: suspected compromise or an expiry alert',
      why: 'Internal rotation touches every infrastructure secret; it is not routine maintenance.',
      notes: [
        { gate: { before: 1811 }, text: 'Before 1811 internal-expiry alerts are false alarms: check the reason before rotating.' },
        { gate: { before: 1811 }, text: 'A stamp that already rotated its secrets once before 1811 must update to 1811 or later first (pre-flight refuses a second rotation it finds in the run history); when unsure whether it ever rotated, update first.' },
      ],
    },
    TRUSTED_HOSTS,
    INTERNAL_READINESS,
    {
      id: 'run',
      title: 'Run the internal rotation from a PEP session',
      why: 'No certificate parameters: the stamp generates its internal secrets itself.',
      commands: [
        { gate: { from: 1811 }, text: inPep('Start-SecretRotation -Internal') },
        { gate: { before: 1811 }, text: inPep('Start-SecretRotation') },
      ],
      notes: [
        { gate: { before: 1811 }, text: 'Before 1811 there is no -Internal switch: Start-SecretRotation without the certificate parameters rotates the internal secrets only (with them it rotates internal and external secrets together).' },
        { gate: { from: 2108 }, text: 'From 2108 this also rotates the root CA (5-year life).' },
      ],
    },
    {
      id: 'outcome',
      title: 'Success reported, or rerun',
      why: 'A failed internal rotation is resumed with -ReRun, not started again from scratch; the rerun does not wait for another readiness test.',
      commands: [
        { gate: { from: 1811 }, text: inPep('Start-SecretRotation -Internal -ReRun') },
        { gate: { before: 1811 }, text: inPep('Start-SecretRotation -ReRun') },
      ],
    },
  ],
};

const ROOT_CA: ProcedureDefinition = {
  id: 'root-ca',
  title: 'Root CA',
  summary: 'Renew the stamp’s internal root CA before it expires (5-year life; alerts at 90 and 30 days).',
  gate: { from: 2108 },
  shell: 'PEP session',
  parameters: [{ key: 'pepUser', label: 'PEP user', help: 'The CloudAdmin account for the privileged endpoint.', required: false, example: 'AZURESTACK\\CloudAdmin', rule: 'plain-name' }],
  steps: [
    TRUSTED_HOSTS,
    {
      id: 'read-expiry',
      title: 'Read the root CA expiry',
      why: 'The expiry is RootCACertificates[].NotAfter of Get-AzureStackStampInformation; rotate well inside the 90-day alert.',
      commands: [{ text: `${PEP_SESSION}\nInvoke-Command -Session $session -ScriptBlock { Get-AzureStackStampInformation } | Select-Object -ExpandProperty RootCACertificates | Select-Object Subject, NotAfter\n${PEP_CLOSE}` }],
    },
    INTERNAL_READINESS,
    {
      id: 'run',
      title: 'Run the internal rotation (it rotates the root CA)',
      why: 'From 2108 the root CA is renewed by the internal rotation; there is no separate command.',
      commands: [{ text: inPep('Start-SecretRotation -Internal') }],
    },
    {
      id: 'confirm-expiry',
      title: 'New root CA expiry read back',
      why: 'The new NotAfter about five years ahead is the proof that the root CA was renewed.',
      commands: [{ text: `${PEP_SESSION}\nInvoke-Command -Session $session -ScriptBlock { Get-AzureStackStampInformation } | Select-Object -ExpandProperty RootCACertificates | Select-Object Subject, NotAfter\n${PEP_CLOSE}` }],
    },
  ],
};

/** The BMC command; the user is passed only when a new one is set (empty keeps the current user). */
function bmcCommand(withUser: boolean): string {
  const params = withUser ? 'param($password, $user)' : 'param($password)';
  const args = withUser ? "$bmcPassword, '{bmcUser}'" : '$bmcPassword';
  return `$bmcPassword = Read-Host -AsSecureString -Prompt 'New BMC password'\n${PEP_SESSION}\nInvoke-Command -Session $session -ScriptBlock { ${params} Set-BmcCredential -BmcPassword $password${withUser ? ' -BmcUser $user' : ''} } -ArgumentList ${args}\n${PEP_CLOSE}`;
}

const BMC: ProcedureDefinition = {
  id: 'bmc-credential',
  title: 'BMC credential',
  summary: 'Change the baseboard management controller password (and optionally user) Azure Stack Hub uses.',
  shell: 'PEP session',
  parameters: [
    { key: 'bmcUser', label: 'BMC user', help: 'At most 16 characters, the same on every BMC. Leave empty to keep the current user.', required: false, example: 'azsbmc', rule: 'bmc-user' },
    { key: 'pepUser', label: 'PEP user', help: 'The CloudAdmin account for the privileged endpoint.', required: false, example: 'AZURESTACK\\CloudAdmin', rule: 'plain-name' },
  ],
  steps: [
    {
      id: 'same-user',
      title: 'User name at most 16 characters and identical on every BMC',
      why: 'Azure Stack Hub stores one BMC user for all nodes; a longer or differing name breaks node management.',
      notes: [{ gate: { from: 1910 }, text: 'From 1910 the password too: at most 16 characters and the same on every BMC (pre-flight of a run from the app refuses a longer one).' }],
    },
    {
      id: 'oem-update',
      title: 'Update the BMCs with the OEM tool first',
      why: 'Before 1910 Azure Stack Hub does not change the password on the BMCs itself: they must already carry the new one.',
      gate: { before: 1910 },
    },
    TRUSTED_HOSTS,
    {
      id: 'run',
      title: 'Run Set-BmcCredential from a PEP session',
      why: 'Set-BmcCredential stores the new credential in Azure Stack Hub; -BypassBMCUpdate is added by hand only for BMCs already updated out of band, and then changes only Azure Stack Hub’s own record.',
      commands: [
        { when: { param: 'bmcUser', present: true }, text: bmcCommand(true) },
        { text: bmcCommand(false) },
      ],
      notes: [
        { gate: { from: 1910 }, text: 'From 1910 Azure Stack Hub sets the new credential on every BMC itself; add -BypassBMCUpdate only when the BMCs already carry it.' },
        { gate: { before: 1910 }, text: 'Before 1910 the BMCs carry the new credential from the OEM update; Set-BmcCredential records it in Azure Stack Hub, as the procedure runs it (no -BypassBMCUpdate).' },
      ],
    },
  ],
};

const VALUE_ADD: ProcedureDefinition = {
  id: 'value-add-rp',
  title: 'Value-add resource provider',
  summary: 'Rotate the certificate of a value-add resource provider such as Event Hubs, from an admin PowerShell session (not the PEP).',
  shell: 'Admin PowerShell',
  parameters: [
    { key: 'productId', label: 'Product id', help: 'The resource provider’s product id.', required: true, example: 'Microsoft.Eventhub', rule: 'product-id', defaultValue: 'Microsoft.Eventhub' },
    { key: 'packageId', label: 'Package id', help: 'Microsoft.<RP>.<installed version>, e.g. Microsoft.Eventhub.1.2003.0.0.', required: true, example: 'Microsoft.Eventhub.1.2003.0.0', rule: 'package-id' },
    { key: 'secretName', label: 'Secret name', help: 'The certificate’s subject name.', required: true, example: 'eventhub-cert', rule: 'plain-name' },
    { key: 'pfxFileName', label: 'PFX file', help: 'Path of the new PFX on the admin workstation.', required: true, example: 'C:\\certs\\eventhub.pfx', rule: 'path' },
  ],
  steps: [
    {
      id: 'certificate',
      title: 'New certificate prepared (CSR, issue, PFX) and validated',
      why: 'The provider rejects a certificate whose SANs miss its names (Event Hubs reads only the SAN) or whose root differs from the hub’s.',
      notes: [
        {
          text: 'Validate the file on the admin workstation with the command below (--record files the run under the stamp), or copy it into the {paasEndpoint} folder of a PaaS share validated in the Certificates workspace. Only a validation that checked a {paasEndpoint} certificate turns this step green.',
        },
      ],
      verifiers: ['rp-certificate'],
      commands: [{ text: "azs-rotate validate '{pfxFileName}' --endpoint {paasEndpoint} --record --stamp '{stamp}'" }],
    },
    {
      id: 'set-secret',
      title: 'Upload the certificate with Set-AzsProductSecret',
      why: 'Stages the new certificate for the provider; nothing changes until the rotate action runs.',
      commands: [{ text: "$pfxPassword = Read-Host -AsSecureString -Prompt 'PFX password'\nSet-AzsProductSecret -PackageId '{packageId}' -SecretName '{secretName}' -PfxFileName '{pfxFileName}' -PfxPassword $pfxPassword -Force" }],
    },
    {
      id: 'rotate',
      title: 'Start the rotation with Invoke-AzsProductRotateSecretsAction',
      why: 'Confirm this step when you start the command: the app then tracks the 3.5–4 hour window.',
      commands: [{ text: "Invoke-AzsProductRotateSecretsAction -ProductId '{productId}'" }],
    },
    {
      id: 'completed',
      title: 'Rotation finished (about 3.5–4 hours)',
      why: 'The provider rotates its secrets node by node; checking earlier shows a half-rotated provider.',
      timing: { window: { fromStep: 'rotate', minMinutes: 210, maxMinutes: 240 } },
    },
    {
      id: 'symptoms',
      title: 'No failure symptoms afterwards',
      why: 'These are the documented signs of a failed provider rotation; any of them means opening a support request.',
      checks: [
        'The portal cannot authenticate to the resource provider',
        'Clusters cannot be created',
        'Metrics are missing',
        'Bills (usage records) are missing',
        'Backups are not happening',
      ],
    },
    {
      id: 'uninstall',
      title: 'Provider uninstalled (only when reinstalling)',
      why: 'Confirm when the uninstall finished: the app starts the 10-minute wait the reinstall needs.',
      optional: true,
    },
    {
      id: 'reinstall',
      title: 'Provider reinstalled, at least 10 minutes after the uninstall',
      why: 'Reinstalling sooner collides with the clean-up of the uninstall still running in the background.',
      optional: true,
      timing: { waitAfter: { step: 'uninstall', minutes: 10 } },
    },
  ],
};

/**
 * A prompted secret as the plain text the gallery's `pre-reqs.ps1` functions take: they type the password
 * parameters `[string]`, so a SecureString would be stored as the text "System.Security.SecureString". The
 * conversion sits inside the call, so no variable holds the plain text afterwards.
 */
function plainText(secureVariable: string): string {
  return `(New-Object System.Net.NetworkCredential('', $${secureVariable})).Password`;
}

const CONTAINER_REGISTRY: ProcedureDefinition = {
  id: 'container-registry',
  title: 'Container registry template',
  summary: 'Rotate the registry user password or certificate of the container registry template (Key Vault + redeploy).',
  shell: 'User PowerShell',
  parameters: [
    { key: 'keyVaultName', label: 'Key Vault name', help: 'The Key Vault the template reads.', required: true, example: 'acr-kv', rule: 'plain-name' },
    { key: 'registryUserName', label: 'Registry user', help: 'The registry login whose password changes.', required: true, example: 'registryadmin', rule: 'plain-name' },
    { key: 'newUser', label: 'New user?', help: 'yes when the registry user is a new one, no when only the password of the existing user changes.', required: true, example: 'no', rule: 'yes-no', defaultValue: 'no' },
    { key: 'certificateSecretName', label: 'Certificate secret name', help: 'Key Vault secret holding the certificate.', required: true, example: 'acr-cert', rule: 'plain-name' },
    { key: 'certificateFilePath', label: 'Certificate PFX path', help: 'Path of the new PFX on the workstation.', required: true, example: 'C:\\certs\\registry.pfx', rule: 'path' },
    { key: 'thumbprint', label: 'Certificate thumbprint', help: 'Computed from the PFX by the app, or copied from Set-CertificateSecret’s output.', required: false, example: '0123…', rule: 'thumbprint' },
    { key: 'secretUrl', label: 'Secret URL', help: 'The secret URL Set-CertificateSecret prints.', required: false, example: 'https://acr-kv.vault.east.azurestack.contoso.com/secrets/acr-cert/…', rule: 'url' },
    { key: 'scriptsFolder', label: 'Gallery scripts folder', help: 'The registry\\Scripts folder of the azurestack-gallery download, which holds pre-reqs.ps1.', required: false, example: 'C:\\azurestack-gallery-master\\registry\\Scripts', rule: 'path' },
  ],
  steps: [
    {
      id: 'import-prereqs',
      title: 'Gallery scripts imported: Import-Module .\\pre-reqs.ps1',
      why: 'Set-RegistryAccessSecret and Set-CertificateSecret are functions of the template’s pre-reqs.ps1 (registry\\Scripts of the azurestack-gallery download), not cmdlets of the Azure Stack Hub modules: they exist only once it is imported, in an elevated PowerShell with those modules installed.',
      commands: [{ text: "Set-Location '{scriptsFolder}'\nImport-Module .\\pre-reqs.ps1" }],
    },
    {
      id: 'key-vault',
      title: 'Signed in to the user Resource Manager, Key Vault {keyVaultName} found',
      why: 'Every pre-reqs.ps1 function first checks the sign-in ("Login to ARM endpoint is not done") and writes into a Key Vault that must already exist ("Check if the specified key vault already exists under a subscription"); checking both first keeps a half-done rotation out of Key Vault.',
      commands: [{ text: "Get-AzureRmContext\nGet-AzureRmKeyVault -VaultName '{keyVaultName}'" }],
    },
    {
      id: 'registry-password',
      title: 'Registry user password stored in Key Vault',
      why: 'The template reads the registry login from Key Vault; -SkipExistCheck overwrites the existing user’s secret. pre-reqs.ps1 takes the password as text, so the prompted SecureString is converted inside the call.',
      commands: [
        {
          when: { param: 'newUser', equals: 'no' },
          text: `$registryPassword = Read-Host -AsSecureString -Prompt 'Registry user password'\nSet-RegistryAccessSecret -KeyVaultName '{keyVaultName}' -RegistryUserName '{registryUserName}' -RegistryUserPassword ${plainText('registryPassword')} -SkipExistCheck $true`,
        },
        {
          when: { param: 'newUser', equals: 'yes' },
          text: `$registryPassword = Read-Host -AsSecureString -Prompt 'Registry user password'\nSet-RegistryAccessSecret -KeyVaultName '{keyVaultName}' -RegistryUserName '{registryUserName}' -RegistryUserPassword ${plainText('registryPassword')}`,
        },
      ],
    },
    {
      id: 'delete-old-user',
      title: 'Old Key Vault secret of the previous user deleted',
      why: 'With a new user, the old secret stays valid unless deleted: both logins would keep working.',
      when: { param: 'newUser', equals: 'yes' },
      commands: [{ text: "Remove-AzureKeyVaultSecret -VaultName '{keyVaultName}' -Name '<old user secret name>'" }],
    },
    {
      id: 'certificate-secret',
      title: 'Certificate stored with Set-CertificateSecret',
      why: 'It prints the Key Vault resource id, the secret URL and the thumbprint the redeployment needs. Like the registry password, the PFX password goes to pre-reqs.ps1 as text.',
      commands: [
        {
          text: `$certificatePassword = Read-Host -AsSecureString -Prompt 'PFX password'\nSet-CertificateSecret -KeyVaultName '{keyVaultName}' -CertificateSecretName '{certificateSecretName}' -CertificateFilePath '{certificateFilePath}' -CertificatePassword ${plainText('certificatePassword')} -SkipExistCheck $true`,
        },
      ],
    },
    {
      id: 'redeploy',
      title: 'Template redeployed with PFXKeyVaultSecretURL and PFXThumbprint',
      why: 'Same resource group and parameters as the first deployment, plus the service principal id and secret; only the two certificate values change.',
      notes: [{ text: 'PFXKeyVaultSecretURL = {secretUrl}\nPFXThumbprint = {thumbprint}' }],
    },
    {
      id: 'verify',
      title: 'New secret versions visible in Key Vault',
      why: 'The version lists of the registry user’s secret and the certificate secret show the new values were written where the template reads them.',
      commands: [
        {
          text: "Get-AzureKeyVaultSecret -VaultName '{keyVaultName}' -Name '{registryUserName}' -IncludeVersions\nGet-AzureKeyVaultSecret -VaultName '{keyVaultName}' -Name '{certificateSecretName}' -IncludeVersions",
        },
      ],
    },
  ],
};

/** Every procedure, in menu order. */
export const PROCEDURES: readonly ProcedureDefinition[] = [EXTERNAL, INTERNAL, ROOT_CA, BMC, VALUE_ADD, CONTAINER_REGISTRY];

/** The procedure with this id, or undefined. */
export function findProcedure(id: string): ProcedureDefinition | undefined {
  return PROCEDURES.find((p) => p.id === id);
}

/** The procedure with this id; throws for an id outside `PROCEDURE_IDS` (a programming error). */
export function procedure(id: ProcedureId): ProcedureDefinition {
  const found = findProcedure(id);
  if (!found) throw new Error(`Unknown procedure ${id}`);
  return found;
}
