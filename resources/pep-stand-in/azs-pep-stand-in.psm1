# Stand-in Privileged Endpoint (PEP) for Rotation Workbench rehearsals.
#
# Loaded into the PowerShell that runs a generated rotation script, before the script, so that the script's own
# New-PSSession / Invoke-Command / Remove-PSSession reach this module instead of WinRM. A "session" is a local
# runspace restricted like the PEP's JEA endpoint: NoLanguage, and only the PEP's commands visible. Invoke-Command
# converts the script block the way PowerShell does for a no-language endpoint (ScriptBlock.GetPowerShell), so a
# script block the real PEP would refuse is refused here too (ScriptsNotAllowed), parameters bind with the PEP
# cmdlets' documented types, and an unknown command is CommandNotFound.
#
# The PEP cmdlets emit the documented output (docs/pep-output.md); what Microsoft has not published (the rotation
# plan's step names, Set-BmcCredential's output) comes from the app's configuration and is marked invented there.
# Fault injection follows the rehearsal scenario. The simulated stamps remember their last action plan in a state
# file, written whole and renamed, and hold no secret: the PEP password is compared as a SHA-256 hash.
#
# Configuration: $env:AZS_PEP_STANDIN (JSON, no secret), read once and removed from the environment.
# Windows PowerShell 5.1 syntax only: the app's rehearsals run in powershell.exe on jump hosts.

Set-StrictMode -Version 2.0

$script:Config = $env:AZS_PEP_STANDIN | ConvertFrom-Json
[Environment]::SetEnvironmentVariable('AZS_PEP_STANDIN', $null)
$script:NextSessionId = 1
$script:ConnectAttempts = 0

if ($script:Config.scenario -eq 'garbage-output') {
  # What a PowerShell profile or a wrapper prints before the script gets a say.
  [Console]::Out.WriteLine('PowerShell ' + $PSVersionTable.PSVersion.ToString())
  [Console]::Out.WriteLine('Loading personal and system profiles took 812ms.')
}

function New-AzsStandInError {
  param([string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, [object]$Target, [string]$ExceptionType = 'System.Exception', [int]$ErrorCode = 0)
  $exception = New-Object -TypeName $ExceptionType -ArgumentList $Message
  if ($ErrorCode -ne 0 -and $exception -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { $exception.ErrorCode = $ErrorCode }
  return New-Object System.Management.Automation.ErrorRecord($exception, $ErrorId, $Category, $Target)
}

function Get-AzsSha256Hex {
  param([string]$Text)
  $sha = [System.Security.Cryptography.SHA256]::Create()
  try {
    $bytes = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text))
    return (($bytes | ForEach-Object { $_.ToString('x2') }) -join '')
  } finally {
    $sha.Dispose()
  }
}

# ---------------------------------------------------------------------------------------------------------------
# The PEP side: functions defined in the restricted runspace. Public ones are the PEP's cmdlets; the Azs* helpers
# are private (callable by the cmdlets, invisible to the session's user), as a JEA endpoint's internals are.
# Everything they report goes through Send-AzsPep as one ordered stream of tagged records, so the client side
# replays verbose, warning, error, information and output records in the order the cmdlet wrote them.
# ---------------------------------------------------------------------------------------------------------------
$script:PepFunctions = @{}
$script:PepPrivate = @{}

$script:PepPrivate['Send-AzsPep'] = {
  param([string]$Kind, $Value, [string]$ErrorId, [string]$Category, [string]$ExceptionType)
  if ($Kind -eq 'warning' -and ($WarningPreference -eq 'SilentlyContinue' -or $WarningPreference -eq 'Ignore')) { return }
  Write-Information -MessageData (New-Object psobject -Property @{ AzsPep = $Kind; Value = $Value; ErrorId = $ErrorId; Category = $Category; ExceptionType = $ExceptionType })
}

$script:PepPrivate['Wait-AzsPep'] = {
  param([double]$Fraction)
  $ms = [int][Math]::Round([double]$AzsPepContext.Config.simSeconds * 1000 * $Fraction)
  if ($ms -gt 0) { Start-Sleep -Milliseconds $ms }
}

$script:PepPrivate['Get-AzsPepTime'] = {
  param([datetime]$When, [string]$Style)
  $culture = [System.Globalization.CultureInfo]::GetCultureInfo('en-US')
  if ($Style -eq 'list') { return $When.ToUniversalTime().ToString('M/d/yyyy h:mm:ss tt', $culture) }
  return $When.ToUniversalTime().ToString('MM/dd/yyyy HH:mm:ss', $culture)
}

$script:PepPrivate['ConvertTo-AzsPepHashtable'] = {
  param($Value)
  if ($null -eq $Value) { return $null }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $table = @{}
    foreach ($p in $Value.PSObject.Properties) { $table[$p.Name] = ConvertTo-AzsPepHashtable $p.Value }
    return $table
  }
  if ($Value -is [array]) { return , @($Value | ForEach-Object { ConvertTo-AzsPepHashtable $_ }) }
  return $Value
}

$script:PepPrivate['Read-AzsPepState'] = {
  $file = Join-Path $AzsPepContext.Config.stateDir 'pep-sim-state.json'
  $state = $null
  if (Test-Path -LiteralPath $file) {
    try { $state = ConvertTo-AzsPepHashtable (Get-Content -LiteralPath $file -Raw | ConvertFrom-Json) } catch { $state = $null }
  }
  # A missing or damaged file means no history, which is what a fresh stamp has.
  if ($null -eq $state -or $state['v'] -ne 1 -or $null -eq $state['stamps']) { $state = @{ v = 1; stamps = @{} } }
  return $state
}

$script:PepPrivate['Write-AzsPepState'] = {
  param($State)
  $dir = $AzsPepContext.Config.stateDir
  [void][System.IO.Directory]::CreateDirectory($dir)
  $file = Join-Path $dir 'pep-sim-state.json'
  $temp = "$file.$PID.tmp"
  [System.IO.File]::WriteAllText($temp, (ConvertTo-Json -InputObject $State -Depth 8))
  if (Test-Path -LiteralPath $file) { [System.IO.File]::Replace($temp, $file, [NullString]::Value) } else { [System.IO.File]::Move($temp, $file) }
}

$script:PepPrivate['Get-AzsPepPlan'] = {
  # The plan as it stands now: a running plan past its expected end has become its eventual status.
  param($Plan)
  if ($null -eq $Plan) { return $null }
  if ($Plan['status'] -eq 'running' -and [datetime]::Parse($Plan['expectedEndAt'], [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind) -le [datetime]::UtcNow) {
    $Plan['status'] = $Plan['eventualStatus']
  }
  return $Plan
}

$script:PepPrivate['Get-AzsPepGuid'] = {
  param([string]$Text)
  $h = Get-AzsPepSha256 $Text
  return '{0}-{1}-4{2}-a{3}-{4}' -f $h.Substring(0, 8), $h.Substring(8, 4), $h.Substring(13, 3), $h.Substring(17, 3), $h.Substring(20, 12)
}

# The same hash on both sides of the session: the endpoint's copy is defined from the client's.
$script:PepPrivate['Get-AzsPepSha256'] = ${function:Get-AzsSha256Hex}

$script:PepPrivate['Invoke-AzsPepTestRun'] = {
  # Test-AzureStack's console output (pep-output.md §3.1-3.2): progress lines, then the summary block.
  param([string]$Step, [object[]]$Categories, [double]$Fraction)
  Send-AzsPep 'information' ((Get-AzsPepTime ([datetime]::UtcNow) 'console') + ' : Starting Test-AzureStack')
  foreach ($c in $Categories) {
    Send-AzsPep 'information' ((Get-AzsPepTime ([datetime]::UtcNow) 'console') + ' : Launching ' + $c.category)
    Wait-AzsPep ($Fraction / [Math]::Max(1, @($Categories).Count))
    Send-AzsPep 'information' ((Get-AzsPepTime ([datetime]::UtcNow) 'console') + ' : ' + $c.category + ' complete')
  }
  Send-AzsPep 'information' '-----------------------------------------------------------------------'
  Send-AzsPep 'information' '                 Azure Stack Validation Summary'
  Send-AzsPep 'information' '-----------------------------------------------------------------------'
  foreach ($c in $Categories) { foreach ($s in $c.summaries) { Send-AzsPep 'information' ('PASS ' + $s) } }
}

$script:PepPrivate['Invoke-AzsPepPlan'] = {
  # Acts out an action plan as the ECE monitor prints it (pep-output.md §2.2), with the scenario's fault.
  param([string]$Kind, [hashtable]$Bound, [bool]$ReRun)
  $ctx = $AzsPepContext
  $cfg = $ctx.Config
  $family = 'rotation'
  if ($Kind -eq 'bmc') { $family = 'bmc' }
  $state = Read-AzsPepState
  if (-not $state['stamps'].ContainsKey($ctx.StampKey)) { $state['stamps'][$ctx.StampKey] = @{} }
  $stamp = $state['stamps'][$ctx.StampKey]
  $last = Get-AzsPepPlan $stamp[$family]
  $busy = $null
  foreach ($key in @($stamp.Keys)) { $p = Get-AzsPepPlan $stamp[$key]; if ($null -ne $p -and $p['status'] -eq 'running') { $busy = $p } }
  $cmdlet = 'Start-SecretRotation'
  if ($Kind -eq 'bmc') { $cmdlet = 'Set-BmcCredential' }

  if ($null -ne $busy) {
    Send-AzsPep 'verbose' 'Error in ECEClient.'
    Send-AzsPep 'error' ('Exception calling "GetResult" with "0" argument(s): "Cannot invoke action plan because another action is in progress: ' + $busy['instanceId'] + '"') 'AggregateException' 'NotSpecified' 'System.Management.Automation.MethodInvocationException'
    Write-AzsPepState $state
    return
  }
  if ($Kind -ne 'bmc' -and $null -ne $last -and $last['status'] -eq 'failed' -and -not $ReRun) {
    # INVENTED wording; the rule itself is documented (rerun with -ReRun after a failure).
    $rerunCommand = 'Start-SecretRotation -ReRun'
    if ($last['kind'] -eq 'internal' -and $ctx.HasInternalSwitch) { $rerunCommand = 'Start-SecretRotation -Internal -ReRun' }
    $advice = 'Run'
    if ($last['kind'] -eq 'external') { $advice = 'Restore the certificates from the backup into the share and run' }
    Send-AzsPep 'error' ("Start-SecretRotation : The previous secret rotation (action plan $($last['instanceId'])) failed. $advice $rerunCommand.") 'ReRunRequired' 'InvalidOperation' 'System.InvalidOperationException'
    return
  }
  if ($Kind -ne 'bmc' -and $ReRun -and $null -ne $last -and $last['status'] -eq 'failed' -and $last['kind'] -ne $Kind) {
    $switch = ''
    if ($last['kind'] -eq 'internal' -and $ctx.HasInternalSwitch) { $switch = ' -Internal' }
    Send-AzsPep 'error' ("Start-SecretRotation : The failed secret rotation was the $($last['kind']) rotation; rerun it with Start-SecretRotation$switch -ReRun.") 'ReRunMismatch' 'InvalidOperation' 'System.InvalidOperationException'
    return
  }
  if ($Kind -eq 'external' -and -not $ReRun -and $Bound['PfxFilesPath'] -notmatch '\\Certificates\\?$') {
    # The documented (and misleading) error when the share lacks the Certificates\<identity> tree.
    Send-AzsPep 'error' "Cannot bind argument to parameter 'Path' because it is null." 'ParameterArgumentValidationErrorNullNotAllowed,Test-Certificate' 'InvalidData' 'System.Management.Automation.ParameterBindingException'
    return
  }

  $steps = @($cfg.plans.$Kind)
  $resume = $ReRun -and $null -ne $last -and $last['status'] -eq 'failed' -and $last['kind'] -eq $Kind
  if ($ReRun -and -not $resume) { Send-AzsPep 'warning' 'No failed secret rotation to rerun; starting a new one.' }
  $from = 1
  if ($resume) {
    $instanceId = $last['instanceId']
    if ($null -ne $last['failedStep']) { $from = [int]$last['failedStep'] }
  } else {
    $instanceId = [guid]::NewGuid().ToString()
  }
  $failAt = $null
  $dropAt = $null
  $crashAt = $null
  $garbageAt = $null
  if ($cfg.scenario -match '^fail-at-step:(\d+)$') {
    $n = [int]$Matches[1]
    if ($n -ge $from -and $n -le $steps.Count) { $failAt = $n }
  }
  if ($cfg.scenario -eq 'session-drop') { $dropAt = [Math]::Max($from, [int][Math]::Ceiling($steps.Count / 2)) }
  if ($cfg.scenario -eq 'exit-nonzero') { $crashAt = [Math]::Min($steps.Count, $from + 1) }
  if ($cfg.scenario -eq 'garbage-output') { $garbageAt = [Math]::Min($steps.Count, $from + 1) }
  $share = 0.8
  if ($Kind -eq 'bmc') { $share = 0.9 }
  $perStep = $share / $steps.Count
  $start = [datetime]::UtcNow
  $remainingMs = ($steps.Count - $from + 1) * $perStep * [double]$cfg.simSeconds * 1000
  $eventual = 'completed'
  if ($null -ne $failAt) { $eventual = 'failed' }
  $plan = @{
    instanceId = $instanceId; kind = $Kind; status = 'running'; eventualStatus = $eventual; failedStep = $failAt
    startedAt = $start.ToString('o'); expectedEndAt = $start.AddMilliseconds($remainingMs).ToString('o')
  }
  $stamp[$family] = $plan
  Write-AzsPepState $state

  $generation = $cfg.generation
  if ($generation -ne 'overall') { Send-AzsPep 'verbose' ("$cmdlet : BEGIN on $($ctx.ErcsName) as AZURESTACK\AzS-PEP-SA$") }
  if ($generation -eq 'finished') {
    # The parameters as the PEP echoes them: secrets by type name only, never their value.
    $lines = New-Object System.Collections.Generic.List[string]
    foreach ($name in @($Bound.Keys | Sort-Object)) {
      $value = $Bound[$name]
      if ($value -is [System.Security.SecureString] -or $value -is [System.Management.Automation.PSCredential]) { $text = $value.GetType().FullName }
      elseif ($value -is [System.Management.Automation.SwitchParameter]) { $text = [string][bool]$value }
      else { $text = [string]$value }
      $lines.Add('    "' + $name + '":  ' + (ConvertTo-Json -InputObject $text -Compress))
    }
    $interface = 'SecretRotation'
    if ($Kind -eq 'bmc') { $interface = 'BmcCredential' }
    $lines.Add('    "InterfaceType":  "' + $interface + '"')
    Send-AzsPep 'verbose' ("Input parameters: {`n" + ($lines -join ",`n") + "`n}")
  }
  Send-AzsPep 'verbose' 'Create Client for execution of action plan'
  Send-AzsPep 'verbose' 'Start action plan'
  Send-AzsPep 'verbose' ("Action plan instance ID specified: $instanceId`n")
  Send-AzsPep 'verbose' ('StartTime: ' + (Get-AzsPepTime $start 'console'))
  Send-AzsPep 'verbose' ('Timeout estimate: ' + (Get-AzsPepTime ($start.AddMilliseconds([Math]::Max($remainingMs, 60000))) 'console') + ' .')

  for ($n = $from; $n -le $steps.Count; $n++) {
    $s = $steps[$n - 1]
    Wait-AzsPep ($perStep / 2)
    # The monitor prints its poll as one multi-line verbose record (pep-output.md §2.2).
    Send-AzsPep 'verbose' ("`nOverall action status: 'Running'`nStep '$($s.name)' status: 'InProgress'`n")
    if ($n -eq $garbageAt) { Send-AzsPep 'garbage' $null }
    if ($n -eq $crashAt) { Send-AzsPep 'crash' $null; return }
    if ($n -eq $dropAt) {
      # The client loses the session; the plan runs on in the state file until its expected end.
      Send-AzsPep 'drop' $null
      Wait-AzsPep 1
      return
    }
    Wait-AzsPep ($perStep / 2)
    if ($n -eq $failAt) {
      Send-AzsPep 'verbose' ("Step '$($s.name)' status: 'Error'")
      $role = ($s.rolePath -split '\\')[-1]
      Send-AzsPep 'error' ("Action plan failed at step $($s.index) '$($s.name)'.`nTask: Invocation of interface 'Rotate' of role '$($s.rolePath)' failed:`n`nType 'Rotate' of Role '$role' raised an exception:`n`nThe operation failed (simulated fault $($cfg.scenario)).`nat Invoke-SecretRotationStep, C:\Program Files\WindowsPowerShell\Modules\SecretRotation\SecretRotation.psm1: line 412") 'ActionPlanFailed' 'OperationStopped'
      $plan['status'] = 'failed'
      $plan['expectedEndAt'] = [datetime]::UtcNow.ToString('o')
      Write-AzsPepState $state
      Send-AzsPepEnd $generation $instanceId 'Failed'
      Send-AzsPepInstance $instanceId 'Failed' $start $steps $Kind
      return
    }
  }
  $plan['status'] = 'completed'
  $plan['failedStep'] = $null
  $plan['expectedEndAt'] = [datetime]::UtcNow.ToString('o')
  Write-AzsPepState $state
  Send-AzsPepEnd $generation $instanceId 'Completed'
  Send-AzsPepInstance $instanceId 'Completed' $start $steps $Kind
}

$script:PepPrivate['Send-AzsPepEnd'] = {
  # The monitor's last lines, in the wording of each doc generation (pep-output.md §2.1).
  param([string]$Generation, [string]$InstanceId, [string]$Status)
  if ($Generation -eq 'finished') {
    Send-AzsPep 'verbose' "ActionPlanInstanceID: '$InstanceId' CurrentStatus: '$Status'"
    Send-AzsPep 'verbose' "Action plan finished with status: '$Status'"
  } elseif ($Generation -eq 'done') {
    Send-AzsPep 'verbose' "ActionPlanInstanceID: $InstanceId CurrentStatus: $Status"
    if ($Status -eq 'Completed') { Send-AzsPep 'verbose' 'DONE' }
  } elseif ($Status -eq 'Completed') {
    Send-AzsPep 'verbose' 'Overall action status: Success'
    Send-AzsPep 'verbose' 'DONE'
  } else {
    Send-AzsPep 'verbose' "Overall action status: 'Failed'"
  }
}

$script:PepPrivate['Send-AzsPepInstance'] = {
  # The Guid table and the action-plan instance's Format-List that end the monitor's output.
  param([string]$InstanceId, [string]$Status, [datetime]$Start, [object[]]$Steps, [string]$Kind)
  $end = [datetime]::UtcNow
  $type = 'SecretRotation'
  $typeName = 'RotateSecrets'
  if ($Kind -eq 'bmc') { $type = 'SetBmcCredential'; $typeName = 'SetBmcCredential' }
  $ece = 'Success'
  if ($Status -ne 'Completed') { $ece = 'Error' }
  $stepXml = ($Steps | ForEach-Object { '<Step FullStepIndex="' + $_.index + '" Index="' + ($_.index -split '\.')[-1] + '" Name="' + $_.name + '" Description="' + $_.name + '" />' }) -join ''
  $xml = '<Action Type="' + $type + '" EceErrorAction="Stop" StartTimeUtc="' + $Start.ToString('o') + '" Status="' + $ece + '" EndTimeUtc="' + $end.ToString('o') + '"><Steps>' + $stepXml + '</Steps></Action>'
  Send-AzsPep 'output' ("`nGuid`n----`n$InstanceId`n")
  $list = @(
    '',
    "InstanceID                 : $InstanceId",
    'ActionPlanName             :',
    "ActionTypeName             : $typeName",
    'RolePath                   : Cloud',
    "Status                     : $Status",
    ('StartDateTime              : ' + (Get-AzsPepTime $Start 'list')),
    ('EndDateTime                : ' + (Get-AzsPepTime $end 'list')),
    "ProgressAsXml              : $xml",
    ''
  )
  Send-AzsPep 'output' ($list -join "`n")
}

# The PEP's cmdlets. The parameter lists are the documented ones with their real types (pep-output.md §1.2);
# version-dependent parameters are added when the session opens (see Get-AzsStartSecretRotationDefinition).
$script:PepFunctions['Get-AzureStackStampInformation'] = {
  [CmdletBinding()]
  param([switch]$AsJob)
  $ctx = $AzsPepContext
  $cfg = $ctx.Config
  # It starts an ECE action plan on the Cloud role and warns about it (pep-output.md §1.2).
  Send-AzsPep 'warning' 'Get-AzureStackStampInformation: the stamp information comes from an action plan on the Cloud role.'
  Wait-AzsPep 0.01
  $v = [int]$ctx.Version
  $roots = @()
  if ($v -ge 2108) {
    $roots = @(New-Object psobject -Property @{
        Subject = "CN=AzureStackCertificationAuthority, DC=$($cfg.stamp.region), DC=azurestack, DC=local"
        Thumbprint = (Get-AzsPepSha256 "root:$($ctx.StampKey)").Substring(0, 40).ToUpperInvariant()
        NotAfter = [datetime]::UtcNow.AddDays(3 * 365)
      })
  }
  $info = New-Object psobject -Property @{
    StampVersion = ('1.{0}.0.{1}' -f $ctx.Version, (($v % 97) + 10))
    RegionName = $cfg.stamp.region
    ExternalDomainFQDN = "$($cfg.stamp.region).$($cfg.stamp.fqdn)"
    DomainFQDN = "$($cfg.stamp.region).azurestack.local"
    DomainNetBIOSName = 'AZURESTACK'
    DeploymentID = Get-AzsPepGuid "deployment:$($ctx.StampKey)"
    CloudID = Get-AzsPepGuid "cloud:$($ctx.StampKey)"
    EmergencyConsoleIPAddresses = @($ctx.Ercs)
    RootCACertificates = $roots
  }
  Send-AzsPep 'output' $info
}

$script:PepFunctions['Set-BmcCredential'] = {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true)][System.Security.SecureString]$BmcPassword,
    [string]$BmcUser,
    [switch]$BypassBMCUpdate,
    [switch]$AsJob
  )
  if ($PSBoundParameters.ContainsKey('BmcUser') -and $BmcUser.Length -gt 16) {
    # INVENTED wording: Set-BmcCredential's messages are not public; the 16-character rule is documented.
    Send-AzsPep 'error' "Set-BmcCredential : The BMC user name '$BmcUser' is longer than 16 characters." 'BmcUserTooLong' 'InvalidArgument' 'System.ArgumentException'
    return
  }
  if ([int]$AzsPepContext.Version -ge 1910 -and $BmcPassword.Length -gt 16) {
    Send-AzsPep 'error' 'Set-BmcCredential : The BMC password is longer than 16 characters.' 'BmcPasswordTooLong' 'InvalidArgument' 'System.ArgumentException'
    return
  }
  if ($BmcPassword.Length -eq 0) {
    Send-AzsPep 'error' 'Set-BmcCredential : The BMC password is empty.' 'BmcPasswordEmpty' 'InvalidArgument' 'System.ArgumentException'
    return
  }
  $bound = @{}
  foreach ($k in $PSBoundParameters.Keys) { if ($k -ne 'AsJob') { $bound[$k] = $PSBoundParameters[$k] } }
  Invoke-AzsPepPlan 'bmc' $bound $false
}

$script:PepFunctions['Get-ActionStatus'] = {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$FunctionName, [Parameter(Position = 1)][string]$ActionType, [switch]$AsJob)
  # The output shape is not documented; the stand-in answers with the plan it remembers.
  $state = Read-AzsPepState
  $family = 'rotation'
  if ($FunctionName -eq 'Set-BmcCredential') { $family = 'bmc' }
  $plan = $null
  if ($state['stamps'].ContainsKey($AzsPepContext.StampKey)) { $plan = Get-AzsPepPlan $state['stamps'][$AzsPepContext.StampKey][$family] }
  if ($null -eq $plan) { Send-AzsPep 'output' 'No action has run for this function.'; return }
  Send-AzsPep 'output' (New-Object psobject -Property @{ InstanceId = $plan['instanceId']; Status = $plan['status']; StartTime = $plan['startedAt'] })
}

$script:PepFunctions['Close-PrivilegedEndpoint'] = {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string]$TranscriptsPathDestination, [Parameter(Position = 1)][System.Management.Automation.PSCredential]$Credential, [switch]$AsJob)
  Send-AzsPep 'verbose' 'Copying the session transcripts to the destination.'
}

function Get-AzsStartSecretRotationDefinition {
  # Start-SecretRotation's parameter sets as the rotation docs give them: from 1811 external (three
  # parameters), -Internal, and -ReRun [-Internal]; before 1811 there is no -Internal switch and a call without
  # certificate parameters rotates the internal secrets.
  param([bool]$HasInternalSwitch)
  $internalParam = ''
  $internalSet = "[Parameter(ParameterSetName = 'Internal')]"
  if ($HasInternalSwitch) {
    $internalParam = "[Parameter(ParameterSetName = 'Internal', Mandatory = `$true)][Parameter(ParameterSetName = 'ReRun')][switch]`$Internal,"
    $internalSet = ''
  }
  $body = @"
[CmdletBinding(DefaultParameterSetName = 'Internal')]
param(
  [Parameter(ParameterSetName = 'External', Mandatory = `$true)][string]`$PfxFilesPath,
  [Parameter(ParameterSetName = 'External', Mandatory = `$true)][System.Management.Automation.PSCredential]`$PathAccessCredential,
  [Parameter(ParameterSetName = 'External', Mandatory = `$true)][System.Security.SecureString]`$CertificatePassword,
  $internalParam
  [Parameter(ParameterSetName = 'ReRun', Mandatory = `$true)][switch]`$ReRun,
  $internalSet
  [switch]`$AsJob
)
if (`$PSCmdlet.ParameterSetName -eq 'External') {
  if (`$CertificatePassword.Length -eq 0 -or `$PathAccessCredential.Password.Length -eq 0) {
    Send-AzsPep 'error' 'Start-SecretRotation : External certificate rotation needs -PfxFilesPath, -PathAccessCredential and -CertificatePassword with values.' 'MissingExternalParameters' 'InvalidArgument' 'System.ArgumentException'
    return
  }
}
`$kind = 'internal'
if (`$PSCmdlet.ParameterSetName -eq 'External') { `$kind = 'external' }
if (`$PSCmdlet.ParameterSetName -eq 'ReRun') {
  `$kind = 'external'
  if (`$PSBoundParameters.ContainsKey('Internal')) { `$kind = 'internal' }
  if (-not `$AzsPepContext.HasInternalSwitch) {
    # Before 1811 the rerun resumes whichever rotation failed.
    `$state = Read-AzsPepState
    if (`$state['stamps'].ContainsKey(`$AzsPepContext.StampKey)) {
      `$last = `$state['stamps'][`$AzsPepContext.StampKey]['rotation']
      if (`$null -ne `$last) { `$kind = `$last['kind'] }
    }
  }
}
`$bound = @{}
foreach (`$k in `$PSBoundParameters.Keys) { if (`$k -ne 'AsJob') { `$bound[`$k] = `$PSBoundParameters[`$k] } }
Invoke-AzsPepPlan `$kind `$bound (`$PSCmdlet.ParameterSetName -eq 'ReRun')
"@
  return $body
}

function Get-AzsTestAzureStackDefinition {
  # Test-AzureStack's parameters; -Group (and with it SecretRotationReadiness) is documented from 1811 only.
  param([bool]$HasGroup)
  $group = ''
  if ($HasGroup) { $group = "[ValidateSet('Default', 'UpdateReadiness', 'SecretRotationReadiness')][string]`$Group = 'Default'," }
  return @"
[CmdletBinding()]
param(
  [System.Management.Automation.PSCredential]`$ServiceAdminCredentials,
  [switch]`$DoNotDeployTenantVm,
  [System.Management.Automation.PSCredential]`$AdminCredential,
  [string]`$BackupSharePath,
  [System.Management.Automation.PSCredential]`$BackupShareCredential,
  [switch]`$List,
  [string[]]`$Ignore,
  [string[]]`$Include,
  [switch]`$DetailedResults,
  [int]`$TimeoutSeconds = 1800,
  $group
  [switch]`$Repair,
  [switch]`$AsJob
)
`$categories = @(`$AzsPepContext.Config.readiness)
if (`$PSBoundParameters.ContainsKey('Include')) {
  `$categories = @(`$Include | ForEach-Object { New-Object psobject -Property @{ category = `$_; summaries = @('Azure Stack ' + (`$_ -replace '^Azs', '') + ' Summary') } })
}
Invoke-AzsPepTestRun 'test' `$categories 0.06
if (`$DetailedResults) {
  # -DetailedResults returns pass/fail per test and overall; the object's shape is not public (pep-output.md §3.3).
  foreach (`$c in `$categories) { Send-AzsPep 'output' (New-Object psobject -Property @{ Test = `$c.category; Result = 'PASS' }) }
  Send-AzsPep 'output' (New-Object psobject -Property @{ Test = 'Overall'; Result = 'PASS' })
  return
}
Send-AzsPep 'output' `$true
"@
}

function New-AzsPepRunspace {
  # A runspace restricted like the PEP's JEA endpoint: NoLanguage, every built-in command private, only the
  # PEP's cmdlets and JEA's proxy plumbing visible.
  param([hashtable]$Context)
  $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
  foreach ($command in $iss.Commands) {
    $command.Visibility = [System.Management.Automation.SessionStateEntryVisibility]::Private
  }
  $jeaVisible = @('Clear-Host', 'Exit-PSSession', 'Get-Command', 'Get-FormatData', 'Get-Help', 'Measure-Object', 'Out-Default', 'Select-Object')
  foreach ($command in $iss.Commands) {
    if ($jeaVisible -contains $command.Name) { $command.Visibility = [System.Management.Automation.SessionStateEntryVisibility]::Public }
  }
  foreach ($name in $script:PepPrivate.Keys) {
    $entry = New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry($name, $script:PepPrivate[$name].ToString())
    $entry.Visibility = [System.Management.Automation.SessionStateEntryVisibility]::Private
    $iss.Commands.Add($entry)
  }
  $public = @{}
  foreach ($name in $script:PepFunctions.Keys) { $public[$name] = $script:PepFunctions[$name].ToString() }
  $public['Start-SecretRotation'] = Get-AzsStartSecretRotationDefinition $Context.HasInternalSwitch
  $public['Test-AzureStack'] = Get-AzsTestAzureStackDefinition $Context.HasInternalSwitch
  foreach ($name in $public.Keys) {
    $iss.Commands.Add((New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry($name, $public[$name])))
  }
  $variable = New-Object System.Management.Automation.Runspaces.SessionStateVariableEntry('AzsPepContext', $Context, 'The stand-in PEP session')
  $variable.Visibility = [System.Management.Automation.SessionStateEntryVisibility]::Private
  $iss.Variables.Add($variable)
  $iss.LanguageMode = [System.Management.Automation.PSLanguageMode]::NoLanguage
  $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)
  $runspace.Open()
  return $runspace
}

# ---------------------------------------------------------------------------------------------------------------
# The client side: what the generated script calls. Functions take precedence over cmdlets, so these replace the
# remoting cmdlets for the script. A call that is not about a stand-in session goes to the real cmdlet.
# ---------------------------------------------------------------------------------------------------------------

function New-PSSession {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$ComputerName,
    [string]$ConfigurationName,
    [System.Management.Automation.PSCredential]$Credential,
    [object]$SessionOption
  )
  $cfg = $script:Config
  foreach ($name in $ComputerName) {
    $script:ConnectAttempts++
    $prefix = "[$name] Connecting to remote server $name failed with the following error message : "
    if ($cfg.scenario -eq 'ercs01-unreachable' -and $script:ConnectAttempts -eq 1) {
      # WinRM gives up on an unreachable host only after its connection timeout.
      Start-Sleep -Milliseconds ([int]([double]$cfg.simSeconds * 1000 * 0.03))
      $PSCmdlet.WriteError((New-AzsStandInError ($prefix + 'WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. By default, the WinRM firewall exception for public profiles limits access to remote computers within the same local subnet. For more information, see the about_Remote_Troubleshooting Help topic.') 'WinRMOperationTimeout,PSSessionOpenFailed' 'OpenError' $name 'System.Management.Automation.Remoting.PSRemotingTransportException' 1460))
      continue
    }
    Start-Sleep -Milliseconds ([int]([double]$cfg.simSeconds * 1000 * 0.01))
    if ($ConfigurationName -ne 'PrivilegedEndpoint') {
      $PSCmdlet.WriteError((New-AzsStandInError ($prefix + "The WS-Management service cannot process the request. Cannot find the $ConfigurationName session configuration in the WSMan: drive on the $name computer. For more information, see the about_Remote_Troubleshooting Help topic.") 'InvalidResourceUri,PSSessionOpenFailed' 'OpenError' $name 'System.Management.Automation.Remoting.PSRemotingTransportException' -2144108269))
      continue
    }
    $accepted = $false
    if ($null -ne $Credential -and $cfg.scenario -ne 'wrong-credential') {
      $password = $Credential.GetNetworkCredential().Password
      if ($password.Length -gt 0) {
        if ($null -eq $cfg.pepPasswordSha256) { $accepted = $true } else { $accepted = (Get-AzsSha256Hex $password) -eq $cfg.pepPasswordSha256 }
      }
      $password = $null
    }
    if (-not $accepted) {
      $PSCmdlet.WriteError((New-AzsStandInError ($prefix + 'Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.') 'AccessDenied,PSSessionOpenFailed' 'OpenError' $name 'System.Management.Automation.Remoting.PSRemotingTransportException' 5))
      continue
    }
    $ercsList = @($cfg.ercs)
    if ($ercsList.Count -eq 0) { $ercsList = @($name) }
    $index = [Array]::IndexOf([string[]]$ercsList, $name)
    if ($index -lt 0) { $index = 0 }
    $version = [string]$cfg.stamp.version
    if ($null -ne $cfg.stampVersion) { $version = [string]$cfg.stampVersion }
    $context = @{
      Config = $cfg
      Version = $version
      HasInternalSwitch = ([int]$version -ge 1811)
      StampKey = ("$($cfg.stamp.region).$($cfg.stamp.fqdn)").ToLowerInvariant()
      Ercs = $ercsList
      ErcsName = ('AZS-ERCS0{0}' -f ($index + 1))
      Culture = $(if ($null -ne $SessionOption) { [string]$SessionOption.Culture } else { '' })
    }
    $session = New-Object psobject -Property @{
      Id = $script:NextSessionId
      Name = "WinRM$($script:NextSessionId)"
      ComputerName = $name
      ConfigurationName = $ConfigurationName
      State = 'Opened'
      Availability = 'Available'
      Runspace = (New-AzsPepRunspace $context)
    }
    $session.PSObject.TypeNames.Insert(0, 'AzsStandIn.PSSession')
    $script:NextSessionId++
    $session
  }
}

function Test-AzsStandInSession {
  param($Session)
  return $null -ne $Session -and $Session.PSObject.TypeNames -contains 'AzsStandIn.PSSession'
}

function Invoke-Command {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][object[]]$Session,
    [Parameter(Position = 1)][scriptblock]$ScriptBlock,
    [object[]]$ArgumentList
  )
  # Records of the endpoint's command are replayed whatever the caller's preferences; the caller's redirection
  # (the script merges every stream) decides where they go, as with real remoting.
  $VerbosePreference = 'Continue'
  $InformationPreference = 'Continue'
  foreach ($s in $Session) {
    if (-not (Test-AzsStandInSession $s)) {
      $PSCmdlet.WriteError((New-AzsStandInError 'The rehearsal stand-in PEP runs commands only in its own sessions.' 'NotAStandInSession' 'InvalidArgument' $s))
      continue
    }
    if ($s.State -ne 'Opened') {
      $PSCmdlet.WriteError((New-AzsStandInError "Because the session state for session $($s.Name), $($s.ComputerName) is not equal to Open, you cannot run a command in the session.  The session state is $($s.State)." 'InvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand' 'InvalidOperation' $s 'System.InvalidOperationException'))
      continue
    }
    # A no-language endpoint accepts a script block only as a pipeline of commands with bound arguments; any
    # other script block goes as text, which the endpoint refuses (ScriptsNotAllowed), as the real PEP does.
    $ps = $null
    try {
      $ps = $ScriptBlock.GetPowerShell([object[]]@($ArgumentList))
    } catch {
      $ps = [PowerShell]::Create()
      [void]$ps.AddScript($ScriptBlock.ToString())
    }
    $ps.Runspace = $s.Runspace
    $inputData = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
    $inputData.Complete()
    $output = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
    $async = $ps.BeginInvoke($inputData, $output)
    $seen = @{ info = 0; output = 0; error = 0; warning = 0; verbose = 0 }
    $finished = $false
    $dropped = $false
    try {
      while (-not $dropped) {
        $completed = $async.IsCompleted
        $info = $ps.Streams.Information
        while ($seen.info -lt $info.Count -and -not $dropped) {
          $record = $info[$seen.info]
          $seen.info++
          $tagged = $record.MessageData
          if ($null -eq $tagged -or $null -eq $tagged.PSObject.Properties['AzsPep']) { Write-Information -MessageData $tagged; continue }
          switch ($tagged.AzsPep) {
            'verbose' { Write-Verbose -Message ([string]$tagged.Value) }
            'warning' { Write-Warning -Message ([string]$tagged.Value) }
            'information' { Write-Information -MessageData ([string]$tagged.Value) }
            'output' {
              # Objects cross the session serialized as remoting sends them: depth 1, remoting's default, so a
              # script that reads deeper than a real PEP session delivers fails here too.
              $value = $tagged.Value
              if ($value -isnot [string] -and $value -isnot [bool]) {
                $value = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($value, 1))
              }
              Write-Output $value
            }
            'error' {
              $type = 'System.Exception'
              if ($tagged.ExceptionType) { $type = $tagged.ExceptionType }
              $category = [System.Management.Automation.ErrorCategory]::NotSpecified
              if ($tagged.Category) { $category = [System.Management.Automation.ErrorCategory]$tagged.Category }
              Write-Error -ErrorRecord (New-AzsStandInError ([string]$tagged.Value) $tagged.ErrorId $category $s.ComputerName $type)
            }
            'garbage' {
              [Console]::Out.WriteLine('{"type":"output","text":"Overall action sta')
              [Console]::Out.WriteLine([char]27 + '[32;1mPS C:\Users\operator>' + [char]27 + '[0m')
              [Console]::Out.WriteLine('{"kind":"telemetry","session":42}')
              [Console]::Out.WriteLine([string][char]0xFFFD + [char]0xFFFD + [char]1 + ' binary noise')
              [Console]::Out.WriteLine('}')
              [Console]::Out.Flush()
            }
            'crash' {
              [Console]::Error.WriteLine('Fatal error. System.Management.Automation.Remoting.PSRemotingDataStructureException: An error has occurred which PowerShell cannot handle. A remote session might have ended.')
              [Console]::Error.Flush()
              [Environment]::Exit(1)
            }
            'drop' {
              $ip = $s.ComputerName
              Write-Warning -Message "The network connection to $ip has been interrupted. Attempting to reconnect for up to 4 minutes..."
              Start-Sleep -Milliseconds ([int]([double]$script:Config.simSeconds * 10))
              Write-Warning -Message "Attempting to reconnect to $ip ..."
              Start-Sleep -Milliseconds ([int]([double]$script:Config.simSeconds * 10))
              Write-Warning -Message "The reconnection attempt to $ip failed. Attempting to disconnect the session..."
              $s.State = 'Broken'
              $s.Availability = 'None'
              $dropped = $true
              Write-Error -ErrorRecord (New-AzsStandInError "[$ip] Processing data from remote server $ip failed with the following error message: The I/O operation has been aborted because of either a thread exit or an application request. For more information, see the about_Remote_Troubleshooting Help topic." 'WinRMOperationAborted,PSSessionStateBroken' 'OpenError' $ip 'System.Management.Automation.Remoting.PSRemotingTransportException' 995)
            }
          }
        }
        if ($dropped) { break }
        foreach ($name in @('verbose', 'warning', 'error')) {
          $stream = $ps.Streams.$name
          while ($seen[$name] -lt $stream.Count) {
            $record = $stream[$seen[$name]]
            $seen[$name]++
            if ($name -eq 'verbose') { Write-Verbose -Message $record.Message }
            elseif ($name -eq 'warning') { Write-Warning -Message $record.Message }
            else { Write-Error -ErrorRecord $record }
          }
        }
        while ($seen.output -lt $output.Count) {
          Write-Output $output[$seen.output]
          $seen.output++
        }
        if ($completed) { break }
        Start-Sleep -Milliseconds 20
      }
      if (-not $dropped) {
        try {
          [void]$ps.EndInvoke($async)
        } catch {
          # A terminating error inside the endpoint (a parameter that does not bind, ScriptsNotAllowed,
          # CommandNotFound) arrives as an error record of the remote command, as remoting reports it.
          $remote = $null
          for ($inner = $_.Exception; $null -ne $inner; $inner = $inner.InnerException) {
            if ($inner -is [System.Management.Automation.IContainsErrorRecord] -and $inner -isnot [System.Management.Automation.MethodInvocationException]) { $remote = $inner.ErrorRecord }
          }
          if ($null -eq $remote) { $remote = $_ }
          Write-Error -ErrorRecord $remote
        }
      }
      $finished = $true
    } finally {
      # Stopped from outside (the script ended its step, or the session dropped): the endpoint's command is
      # stopped; an action plan it started runs on in the state file, as it does on a stamp.
      if (-not $finished -or $dropped) { try { $ps.Stop() } catch { } }
      $ps.Dispose()
    }
  }
}

function Remove-PSSession {
  [CmdletBinding()]
  param([Parameter(Position = 0)][object[]]$Session)
  foreach ($s in $Session) {
    if (Test-AzsStandInSession $s) {
      $s.State = 'Closed'
      try { $s.Runspace.Dispose() } catch { }
    }
  }
}

$exported = @('New-PSSession', 'Invoke-Command', 'Remove-PSSession')
if (-not (Get-Command -Name 'New-PSSessionOption' -CommandType Cmdlet -ErrorAction SilentlyContinue).Parameters.ContainsKey('Culture')) {
  # PowerShell outside Windows has no WinRM client, and its New-PSSessionOption lacks the WinRM options the
  # script sets; the stand-in takes the options in their place, as the session's culture.
  function New-PSSessionOption {
    [CmdletBinding()]
    param([System.Globalization.CultureInfo]$Culture, [System.Globalization.CultureInfo]$UICulture, [switch]$SkipCACheck, [switch]$SkipCNCheck)
    $option = New-Object psobject -Property @{ Culture = $Culture; UICulture = $UICulture }
    $option.PSObject.TypeNames.Insert(0, 'AzsStandIn.PSSessionOption')
    $option
  }
  $exported += 'New-PSSessionOption'
}
Export-ModuleMember -Function $exported
