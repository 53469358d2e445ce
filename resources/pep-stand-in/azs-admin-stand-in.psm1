# Stand-ins for the admin-side commands of the value-add resource-provider and container-registry runbooks.
#
# These are not PEP cmdlets: Set-AzsProductSecret and Invoke-AzsProductRotateSecretsAction come from the
# Azs.Deployment.Admin module, Set-RegistryAccessSecret and Set-CertificateSecret from the registry template's
# gallery pre-reqs.ps1, the Key Vault commands from AzureRM. They are declared here with the parameter types those
# sources give, so the runbooks' commands can be run in PowerShell and bind as they would for an operator; a
# [string] parameter that receives a SecureString gets the text "System.Security.SecureString", which these
# stand-ins refuse instead of storing it as the password. Nothing leaves the machine; what they print is the
# documented shape (docs/procedures.md). Windows PowerShell 5.1 syntax only.

Set-StrictMode -Version 2.0
$script:Vault = @{}

function Assert-AzsPlainPassword {
  param([string]$Name, [string]$Value)
  if ($Value -eq 'System.Security.SecureString') {
    throw "$Name received the text 'System.Security.SecureString': the parameter is a [string] and a SecureString was passed. Pass the password's text."
  }
  if ($Value.Length -eq 0) { throw "$Name is empty." }
}

function Set-AzsProductSecret {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true)][string]$PackageId,
    [Parameter(Mandatory = $true)][string]$SecretName,
    [Parameter(Mandatory = $true)][string]$PfxFileName,
    [Parameter(Mandatory = $true)][System.Security.SecureString]$PfxPassword,
    [switch]$Force
  )
  if ($PfxPassword.Length -eq 0) { throw 'Set-AzsProductSecret: -PfxPassword is empty.' }
  $script:Vault["product:$PackageId/$SecretName"] = $PfxFileName
  Write-Verbose "Secret $SecretName of $PackageId set from $PfxFileName." -Verbose
}

function Invoke-AzsProductRotateSecretsAction {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$ProductId)
  $pending = @($script:Vault.Keys | Where-Object { $_ -like "product:$ProductId*" })
  if ($pending.Count -eq 0) { throw "Invoke-AzsProductRotateSecretsAction: no new secret was set for $ProductId (Set-AzsProductSecret first)." }
  Write-Verbose "Rotation of the secrets of $ProductId started; it takes about 3.5 to 4 hours." -Verbose
}

function Set-RegistryAccessSecret {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true)][string]$KeyVaultName,
    [Parameter(Mandatory = $true)][string]$RegistryUserName,
    [Parameter(Mandatory = $true)][string]$RegistryUserPassword,
    [bool]$SkipExistCheck = $false
  )
  Assert-AzsPlainPassword '-RegistryUserPassword' $RegistryUserPassword
  $script:Vault["$KeyVaultName/$RegistryUserName"] = Get-AzsAdminHash $RegistryUserPassword
  "Secret $RegistryUserName set in Key Vault $KeyVaultName."
}

function Set-CertificateSecret {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true)][string]$KeyVaultName,
    [Parameter(Mandatory = $true)][string]$CertificateSecretName,
    [Parameter(Mandatory = $true)][string]$CertificateFilePath,
    [Parameter(Mandatory = $true)][string]$CertificatePassword,
    [bool]$SkipExistCheck = $false
  )
  Assert-AzsPlainPassword '-CertificatePassword' $CertificatePassword
  $script:Vault["$KeyVaultName/$CertificateSecretName"] = Get-AzsAdminHash $CertificatePassword
  # What the gallery script prints: the Key Vault resource id, the secret URL and the certificate thumbprint.
  $thumbprint = (Get-AzsAdminHash "$CertificateFilePath").Substring(0, 40).ToUpperInvariant()
  "Key Vault resource id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rehearsal/providers/Microsoft.KeyVault/vaults/$KeyVaultName"
  "PFXKeyVaultSecretURL: https://$KeyVaultName.vault.local.azurestack.external/secrets/$CertificateSecretName/1"
  "PFXThumbprint: $thumbprint"
}

function Get-AzureRmContext {
  [CmdletBinding()]
  param()
  New-Object psobject -Property @{ Account = 'operator@rehearsal'; Environment = 'AzureStackUser'; Subscription = 'rehearsal' }
}

function Get-AzureRmKeyVault {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$VaultName)
  New-Object psobject -Property @{ VaultName = $VaultName; ResourceGroupName = 'rehearsal' }
}

function Get-AzureKeyVaultSecret {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$VaultName, [Parameter(Mandatory = $true)][string]$Name, [switch]$IncludeVersions)
  if (-not $script:Vault.ContainsKey("$VaultName/$Name")) { throw "Secret $Name not found in Key Vault $VaultName." }
  New-Object psobject -Property @{ VaultName = $VaultName; Name = $Name; Version = '1'; Enabled = $true }
}

function Remove-AzureKeyVaultSecret {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)][string]$VaultName, [Parameter(Mandatory = $true)][string]$Name, [switch]$Force)
  if (-not $script:Vault.ContainsKey("$VaultName/$Name")) { Write-Warning "Secret $Name is not in Key Vault $VaultName (already removed?)." }
  [void]$script:Vault.Remove("$VaultName/$Name")
}

function Get-AzsAdminHash {
  param([string]$Text)
  $sha = [System.Security.Cryptography.SHA256]::Create()
  try { return (($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') }) -join '') } finally { $sha.Dispose() }
}

Export-ModuleMember -Function Set-AzsProductSecret, Invoke-AzsProductRotateSecretsAction, Set-RegistryAccessSecret, Set-CertificateSecret, Get-AzureRmContext, Get-AzureRmKeyVault, Get-AzureKeyVaultSecret, Remove-AzureKeyVaultSecret
