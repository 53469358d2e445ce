/**
 * Generates the PowerShell script a rotation run sends to `pwsh`/`powershell.exe` on stdin.
 *
 * The PEP is a constrained (JEA, no-language) endpoint: only its own cmdlets run inside it, so everything
 * else happens on the client side of `Invoke-Command` — choosing an ERCS, reading the secrets from stdin into
 * SecureStrings, and turning PowerShell's output, error, warning, verbose and information records into one
 * JSON object per line for the app to parse. Secrets never appear in the text: the script reads them from
 * the stdin lines after `SECRETS_MARKER`, and hands them to the PEP with `-ArgumentList` + `param()` the way
 * Microsoft's rotation docs do (not `$using:`, which failed for several customers).
 */
import { hasInternalSwitch, accountNameProblem, bmcUserProblem, pfxFilesPathProblem } from '../../../shared/rotation/rotation-run';
import { ercsProblem } from '../../../shared/stamps/stamp';
import { readinessCommand } from '../../../shared/rotation/version-rules';
import { AppError } from '../errors';
import type { PepScriptHeader, PepStep, SecretRole } from './script-header';
import { CANCEL_MARKER, SECRETS_MARKER } from './script-header';

/** What to build a script for: the header without the fields the builder derives. */
export type PepScriptRequest = Omit<PepScriptHeader, 'v' | 'secrets'>;

/** A generated script and the secret roles it will read from stdin, in order. */
export interface PepScript {
  text: string;
  header: PepScriptHeader;
  secrets: SecretRole[];
}

/** Exit codes the generated script uses. */
export const SCRIPT_EXIT = { completed: 0, failed: 1, notReady: 2, connectFailed: 3, inputError: 4, cancelled: 5 } as const;

/**
 * A PowerShell single-quoted string literal.
 *
 * PowerShell also treats the typographic quotes ‘ ’ ‚ ‛ as single quotes, so they are doubled like `'`.
 */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** A value for a comment line: control characters (a line break would end the comment) become spaces. */
function oneLine(value: string): string {
  return [...value].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '\u2028' || c === '\u2029' ? ' ' : c)).join('');
}

function invalid(message: string): AppError {
  return new AppError('invalid-request', message, 'Correct the value and start the run again.');
}

/** The secret roles a list of steps reads, in the order the script reads them. */
export function secretRolesFor(steps: readonly PepStep[]): SecretRole[] {
  const roles: SecretRole[] = ['pep'];
  for (const step of steps) {
    if (step.op === 'start-secret-rotation' && step.external && !step.rerun) roles.push('share', 'certificate');
    if (step.op === 'set-bmc-credential') roles.push('bmc');
  }
  return [...new Set(roles)];
}

function checkRequest(request: PepScriptRequest): void {
  const ercs = ercsProblem(request.ercs);
  if (ercs) throw invalid(`ERCS addresses: ${ercs}`);
  const user = accountNameProblem(request.pepUser, 'PEP user');
  if (user) throw invalid(user);
  if (request.steps.length === 0) throw invalid('The script has no operation to run.');
  for (const step of request.steps) {
    if (step.op === 'start-secret-rotation') {
      if (!step.external && !step.internal) throw invalid('Start-SecretRotation needs external certificates, internal secrets, or both (before 1811).');
      if (step.external && step.internal && hasInternalSwitch(request.stamp.version)) {
        throw invalid(`From 1811 internal and external rotation are separate runs; stamp ${request.stamp.name} is on ${request.stamp.version}.`);
      }
      if (step.external && !step.rerun) {
        const path = pfxFilesPathProblem(step.pfxFilesPath ?? '');
        if (path) throw invalid(path);
        const shareUser = accountNameProblem(step.shareUser ?? '', 'share user');
        if (shareUser) throw invalid(shareUser);
      }
    }
    if (step.op === 'set-bmc-credential' && step.bmcUser !== null) {
      const bmc = bmcUserProblem(step.bmcUser);
      if (bmc) throw invalid(bmc);
    }
  }
}

const PRELUDE = String.raw`  $ErrorActionPreference = 'Stop'
  $ProgressPreference = 'SilentlyContinue'
  # Windows consoles default to an OEM code page; the app decodes UTF-8. Stdin's encoding is left alone:
  # replacing the reader now could drop lines the host has already buffered.
  [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false)
  $state = @{ exit = 0; result = 'completed'; stop = $false; session = $null; ercs = $null; ready = $null; planStatus = $null; errors = 0 }
  function Send-AzsLine([hashtable]$Fields) {
    [Console]::Out.WriteLine((ConvertTo-Json -InputObject $Fields -Compress -Depth 8))
    [Console]::Out.Flush()
  }
  function Send-AzsRecord($Record, [string]$Step) {
    if ($Record -is [System.Management.Automation.ErrorRecord]) {
      $state.errors++
      Send-AzsLine @{ type = 'error'; step = $Step; text = [string]$Record; id = [string]$Record.FullyQualifiedErrorId; category = [string]$Record.CategoryInfo }
    } elseif ($Record -is [System.Management.Automation.WarningRecord]) {
      Send-AzsLine @{ type = 'warning'; step = $Step; text = [string]$Record.Message }
    } elseif ($Record -is [System.Management.Automation.VerboseRecord] -or $Record -is [System.Management.Automation.DebugRecord]) {
      Send-AzsLine @{ type = 'verbose'; step = $Step; text = [string]$Record.Message }
    } elseif ($Record -is [System.Management.Automation.InformationRecord]) {
      Send-AzsLine @{ type = 'information'; step = $Step; text = [string]$Record.MessageData }
    } elseif ($Record -is [bool]) {
      Send-AzsLine @{ type = 'output'; step = $Step; text = [string]$Record; value = $Record }
    } else {
      Send-AzsLine @{ type = 'output'; step = $Step; text = ($Record | Out-String -Width 4096).TrimEnd() }
    }
  }
  function Watch-AzsPlan([string]$Text) {
    # Only to decide whether the post-check runs; the app reads the outcome from the same lines itself.
    if ($Text -match "Action plan finished with status: '(\w+)'") { $state.planStatus = $Matches[1] }
    elseif ($Text -match "CurrentStatus: '?(Completed|Failed)'?") { $state.planStatus = $Matches[1] }
    elseif ($Text -match "Overall action status: '?(Success|Failed|Error)'?") { $state.planStatus = $Matches[1] }
  }
  function Read-AzsSecret {
    $line = [Console]::In.ReadLine()
    if ($null -eq $line) { throw 'stdin ended before every secret was read.' }
    $secure = New-Object System.Security.SecureString
    foreach ($c in $line.ToCharArray()) { $secure.AppendChar($c) }
    $line = $null
    $secure.MakeReadOnly()
    return $secure
  }
  function Assert-AzsRunning {
    # Ends the step in progress when the app asked the script to stop (the cancel watcher below).
    if ($cancel.requested) { throw 'Stopped at the operator''s request: the PEP session is closed now. An action plan already started continues on the stamp.' }
  }
  function Set-AzsCancelled {
    $state.stop = $true
    $state.result = 'cancelled'
    $state.exit = ${SCRIPT_EXIT.cancelled}
  }
  function Exit-Azs([int]$Code) {
    # Not the exit keyword: PowerShell's exit waits for the cancel watcher, blocked reading stdin, and would hang.
    [Console]::Out.Flush()
    [Environment]::Exit($Code)
  }
  trap {
    # An error no step handled: report it and end, rather than leave the host waiting for more input.
    Send-AzsLine @{ type = 'error'; text = [string]$_; id = [string]$_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo }
    Send-AzsLine @{ type = 'result'; status = 'failed'; planStatus = $state.planStatus; ercs = $state.ercs; text = 'The script stopped on an error no step handled.' }
    Exit-Azs ${SCRIPT_EXIT.failed}
  }`;

function secretLines(roles: readonly SecretRole[]): string[] {
  const variable: Record<SecretRole, string> = {
    pep: '$pepPassword',
    share: '$sharePassword',
    certificate: '$certificatePassword',
    bmc: '$bmcPassword',
  };
  return [
    '  try {',
    `    do { $marker = [Console]::In.ReadLine() } while ($null -ne $marker -and $marker -ne ${psQuote(SECRETS_MARKER)})`,
    "    if ($null -eq $marker) { throw 'stdin ended before the secrets marker.' }",
    ...roles.map((role) => `    ${variable[role]} = Read-AzsSecret`),
    '  } catch {',
    "    Send-AzsLine @{ type = 'result'; status = 'input-error'; text = [string]$_ }",
    `    Exit-Azs ${SCRIPT_EXIT.inputError}`,
    '  }',
    '  # The app asks the script to stop with a line on stdin (PowerShell ignores Ctrl+C without a terminal, and Windows',
    '  # cannot send one), read here in the background so no step has to poll stdin. The app keeps stdin open for the',
    '  # whole run, so its end means the app went away: nobody would record what follows, and the script stops as well.',
    '  $cancel = [hashtable]::Synchronized(@{ requested = $false })',
    '  $cancelWatch = [PowerShell]::Create()',
    `  [void]$cancelWatch.AddScript({ param($Flag, $Marker) $line = [Console]::In.ReadLine(); if ($null -eq $line -or $line -eq $Marker) { $Flag.requested = $true } }).AddArgument($cancel).AddArgument(${psQuote(CANCEL_MARKER)})`,
    '  [void]$cancelWatch.BeginInvoke()',
  ];
}

function sessionLines(request: PepScriptRequest): string[] {
  return [
    `  $pepCredential = New-Object System.Management.Automation.PSCredential(${psQuote(request.pepUser)}, $pepPassword)`,
    '  $sessionOption = New-PSSessionOption -Culture en-US -UICulture en-US',
    `  foreach ($ip in @(${request.ercs.map(psQuote).join(', ')})) {`,
    "    Send-AzsLine @{ type = 'progress'; stage = 'session-connecting'; ercs = $ip; text = \"Opening a PEP session to $ip\" }",
    '    try {',
    '      $state.session = New-PSSession -ComputerName $ip -ConfigurationName PrivilegedEndpoint -Credential $pepCredential -SessionOption $sessionOption -ErrorAction Stop',
    '      $state.ercs = $ip',
    "      Send-AzsLine @{ type = 'progress'; stage = 'session-opened'; ercs = $ip; text = \"PEP session opened on $ip\" }",
    '      break',
    '    } catch {',
    '      $reason = [string]$_',
    "      Send-AzsLine @{ type = 'progress'; stage = 'session-failed'; ercs = $ip; text = $reason; id = [string]$_.FullyQualifiedErrorId }",
    '      # Every ERCS checks the same password: after a refusal, trying the others only moves the account towards lock-out.',
    '      # Recognised by the error id and the WinRM code (ERROR_ACCESS_DENIED), which do not depend on the client language.',
    "      if ([string]$_.FullyQualifiedErrorId -like 'AccessDenied,*' -or ($_.Exception -is [System.Management.Automation.Remoting.PSRemotingTransportException] -and $_.Exception.ErrorCode -eq 5)) { break }",
    '    }',
    '  }',
    '  if ($null -eq $state.session) {',
    "    Send-AzsLine @{ type = 'result'; status = 'connect-failed'; text = 'No PEP session could be opened.' }",
    `    Exit-Azs ${SCRIPT_EXIT.connectFailed}`,
    '  }',
  ];
}

/**
 * The command line a step runs, as the run log shows it (secrets as `<secure>`).
 *
 * Shared with the simulator, which announces its steps in the same words as the generated script.
 */
export function stepTitle(step: PepStep, version: string): string {
  switch (step.op) {
    case 'stamp-information':
      return 'Get-AzureStackStampInformation';
    case 'readiness':
      return readinessCommand(version);
    case 'external-certificates-check':
      return 'Test-AzureStack -Include AzsExternalCertificates -DetailedResults';
    case 'set-bmc-credential':
      return `Set-BmcCredential -BmcPassword <secure>${step.bmcUser !== null ? ` -BmcUser ${step.bmcUser}` : ''}${step.bypassBmcUpdate ? ' -BypassBMCUpdate' : ''}`;
    case 'start-secret-rotation':
      return `Start-SecretRotation ${rotationArguments(step, version).display}`.trimEnd();
  }
}

/** The parameters of `Start-SecretRotation` for a step: the `param()` list, the call, and a display form. */
function rotationArguments(step: Extract<PepStep, { op: 'start-secret-rotation' }>, version: string): { params: string[]; call: string; display: string } {
  const internalSwitch = step.internal && hasInternalSwitch(version) ? ['-Internal'] : [];
  if (step.rerun) {
    // A rerun resumes the failed plan, which still knows the share; only the switches are passed again.
    const call = [...internalSwitch, '-ReRun'].join(' ');
    return { params: [], call, display: call };
  }
  if (step.external) {
    // Before 1811 this same call rotates internal secrets too; there is no separate form.
    return {
      params: ['$PfxFilesPath', '$PathAccessCredential', '$CertificatePassword'],
      call: '-PfxFilesPath $PfxFilesPath -PathAccessCredential $PathAccessCredential -CertificatePassword $CertificatePassword',
      display: `-PfxFilesPath ${step.pfxFilesPath} -PathAccessCredential <${step.shareUser}> -CertificatePassword <secure>`,
    };
  }
  const call = internalSwitch.join(' ');
  return { params: [], call, display: call };
}

function stepBody(step: PepStep, version: string): string[] {
  const records = (name: string, extra: string[] = []) => [`      Send-AzsRecord $_ '${name}'`, ...extra.map((l) => `      ${l}`)];
  switch (step.op) {
    case 'stamp-information':
      return [
        '    try {',
        '      $info = Invoke-Command -Session $state.session -ScriptBlock { Get-AzureStackStampInformation -WarningAction SilentlyContinue }',
        '      $roots = @($info.RootCACertificates | Where-Object { $_ } | ForEach-Object { @{ subject = [string]$_.Subject; thumbprint = [string]$_.Thumbprint; notAfter = ([datetime]$_.NotAfter).ToUniversalTime().ToString(\'o\') } })',
        "      $data = @{ StampVersion = [string]$info.StampVersion; RegionName = [string]$info.RegionName; ExternalDomainFQDN = [string]$info.ExternalDomainFQDN; DomainFQDN = [string]$info.DomainFQDN; DeploymentID = [string]$info.DeploymentID; CloudID = [string]$info.CloudID; EmergencyConsoleIPAddresses = @($info.EmergencyConsoleIPAddresses | ForEach-Object { [string]$_ }); RootCACertificates = $roots }",
        "      Send-AzsLine @{ type = 'result'; step = 'stamp-information'; data = $data }",
        '    } catch {',
        "      Send-AzsRecord $_ 'stamp-information'",
        '      $ok = $false',
        '    }',
      ];
    case 'readiness':
      return [
        '    try {',
        `      Invoke-Command -Session $state.session -ErrorAction Continue -ScriptBlock { ${readinessCommand(version)} } *>&1 | ForEach-Object {`,
        '        Assert-AzsRunning',
        '        if ($_ -is [bool]) { $state.ready = $_ }',
        "        Send-AzsRecord $_ 'readiness'",
        '      }',
        '    } catch {',
        "      Send-AzsRecord $_ 'readiness'",
        '    }',
        '    $ok = $state.ready -eq $true',
        ...(step.gate
          ? [
              '    if (-not $ok) {',
              "      $state.result = 'not-ready'",
              `      $state.exit = ${SCRIPT_EXIT.notReady}`,
              '      $state.stop = $true',
              '    }',
            ]
          : [
              '    if (-not $ok) {',
              "      Send-AzsLine @{ type = 'warning'; step = 'readiness'; text = 'The readiness test reported problems; this run does not wait for it (internal rotations and reruns are not gated on readiness).' }",
              '      $ok = $true',
              '    }',
            ]),
      ];
    case 'external-certificates-check':
      return [
        '    $before = $state.errors',
        '    try {',
        '      Invoke-Command -Session $state.session -ErrorAction Continue -ScriptBlock { Test-AzureStack -Include AzsExternalCertificates -DetailedResults } *>&1 | ForEach-Object {',
        '        Assert-AzsRunning',
        ...records('external-certificates-check').map((l) => `  ${l}`),
        '      }',
        '    } catch {',
        "      Send-AzsRecord $_ 'external-certificates-check'",
        '    }',
        '    $ok = $state.errors -eq $before',
      ];
    case 'start-secret-rotation': {
      const args = rotationArguments(step, version);
      const setup =
        args.params.length > 0
          ? [`    $shareCredential = New-Object System.Management.Automation.PSCredential(${psQuote(step.shareUser ?? '')}, $sharePassword)`]
          : [];
      const argumentList = args.params.length > 0 ? ` -ArgumentList ${psQuote(step.pfxFilesPath ?? '')}, $shareCredential, $certificatePassword` : '';
      return [
        ...setup,
        '    $before = $state.errors',
        '    try {',
        '      Invoke-Command -Session $state.session -ErrorAction Continue -ScriptBlock {',
        ...(args.params.length > 0 ? [`        param(${args.params.join(', ')})`] : []),
        `        Start-SecretRotation ${args.call}`.trimEnd(),
        `      }${argumentList} *>&1 | ForEach-Object {`,
        '        Assert-AzsRunning',
        "        Send-AzsRecord $_ 'start-secret-rotation'",
        '        Watch-AzsPlan ([string]$_)',
        '      }',
        '    } catch {',
        "      Send-AzsRecord $_ 'start-secret-rotation'",
        '    }',
        "    $ok = $state.planStatus -in @('Completed', 'Success') -or ($null -eq $state.planStatus -and $state.errors -eq $before)",
        '    if (-not $ok) {',
        "      $state.result = 'failed'",
        `      $state.exit = ${SCRIPT_EXIT.failed}`,
        '      $state.stop = $true',
        '    }',
      ];
    }
    case 'set-bmc-credential': {
      const params = step.bmcUser !== null ? '$BmcPassword, $BmcUser' : '$BmcPassword';
      const call = `Set-BmcCredential -BmcPassword $BmcPassword${step.bmcUser !== null ? ' -BmcUser $BmcUser' : ''}${step.bypassBmcUpdate ? ' -BypassBMCUpdate' : ''}`;
      const argumentList = step.bmcUser !== null ? `$bmcPassword, ${psQuote(step.bmcUser)}` : '$bmcPassword';
      return [
        '    $before = $state.errors',
        '    try {',
        '      Invoke-Command -Session $state.session -ErrorAction Continue -ScriptBlock {',
        `        param(${params})`,
        `        ${call}`,
        `      } -ArgumentList ${argumentList} *>&1 | ForEach-Object {`,
        '        Assert-AzsRunning',
        "        Send-AzsRecord $_ 'set-bmc-credential'",
        '        Watch-AzsPlan ([string]$_)',
        '      }',
        '    } catch {',
        "      Send-AzsRecord $_ 'set-bmc-credential'",
        '    }',
        "    $ok = $state.errors -eq $before -and $state.planStatus -notin @('Failed', 'Error')",
        '    if (-not $ok) {',
        "      $state.result = 'failed'",
        `      $state.exit = ${SCRIPT_EXIT.failed}`,
        '      $state.stop = $true',
        '    }',
      ];
    }
  }
}

function stepLines(step: PepStep, version: string): string[] {
  const title = stepTitle(step, version);
  return [
    `  # ${title}`,
    '  if ($cancel.requested) { Set-AzsCancelled }',
    '  if (-not $state.stop) {',
    `    Send-AzsLine @{ type = 'progress'; stage = 'step-started'; step = '${step.op}'; text = ${psQuote(title)} }`,
    '    $ok = $true',
    ...stepBody(step, version),
    '    if ($cancel.requested) {',
    '      $ok = $false',
    '      Set-AzsCancelled',
    '    }',
    `    Send-AzsLine @{ type = 'progress'; stage = 'step-finished'; step = '${step.op}'; ok = $ok; text = ${psQuote(title)} }`,
    '  }',
  ];
}

/**
 * Builds the script for one PEP session performing `request.steps` in order.
 *
 * Throws `AppError('invalid-request')` for a combination the PEP refuses (internal and external together
 * from 1811, an external run without its share path or share user) or a malformed value, before anything
 * is spawned. The session is always closed with `Remove-PSSession` in a `finally`.
 */
export function buildPepScript(request: PepScriptRequest): PepScript {
  checkRequest(request);
  const secrets = secretRolesFor(request.steps);
  const header: PepScriptHeader = { v: 1, ...request, secrets };
  const lines = [
    `# Generated by Rotation Workbench for Azure Stack Hub: ${request.kind} rotation of ${oneLine(request.stamp.name)} (${request.stamp.version}).`,
    '# No secret is in this text: they follow the marker line on stdin and are read into SecureStrings. Every record',
    '# is written to stdout as one JSON object per line.',
    '& {',
    PRELUDE,
    ...secretLines(secrets),
    ...sessionLines(request),
    '  try {',
    ...request.steps.flatMap((s) => stepLines(s, request.stamp.version).map((l) => `  ${l}`)),
    '  } finally {',
    '    Remove-PSSession -Session $state.session -ErrorAction SilentlyContinue',
    "    Send-AzsLine @{ type = 'progress'; stage = 'session-closed'; ercs = $state.ercs; text = \"PEP session on $($state.ercs) closed\" }",
    '  }',
    "  Send-AzsLine @{ type = 'result'; status = $state.result; planStatus = $state.planStatus; ercs = $state.ercs }",
    '  Exit-Azs $state.exit',
    '}',
    '',
  ];
  return { text: lines.join('\n'), header, secrets };
}

/**
 * The steps of a procedure, as the rotation service runs them.
 *
 * External: stamp facts, readiness, the rotation, then the external-certificates post-check. Internal:
 * stamp facts (the root CA expiry from 2108), readiness, the rotation. BMC: stamp facts, then
 * `Set-BmcCredential` (the readiness group is about secret rotation, not the BMC). Readiness holds back only a
 * first external rotation; before 1811 it is the plain `Test-AzureStack` run.
 */
export function stepsFor(
  kind: 'external' | 'internal' | 'bmc',
  options: { version: string; rerun: boolean; pfxFilesPath?: string | null; shareUser?: string | null; bmcUser?: string | null; bypassBmcUpdate?: boolean },
): PepStep[] {
  if (kind === 'bmc') {
    return [{ op: 'stamp-information' }, { op: 'set-bmc-credential', bmcUser: options.bmcUser ?? null, bypassBmcUpdate: options.bypassBmcUpdate ?? false }];
  }
  const external = kind === 'external';
  const rotation: PepStep = {
    op: 'start-secret-rotation',
    external,
    // Before 1811 a run without certificate parameters is the internal rotation; there is no -Internal switch.
    internal: !external,
    rerun: options.rerun,
    pfxFilesPath: external && !options.rerun ? (options.pfxFilesPath ?? null) : null,
    shareUser: external && !options.rerun ? (options.shareUser ?? null) : null,
  };
  // Only a first external rotation waits for a healthy readiness test; internal rotations and reruns report it.
  const readiness: PepStep = { op: 'readiness', gate: external && !options.rerun };
  return [{ op: 'stamp-information' }, readiness, rotation, ...(external ? [{ op: 'external-certificates-check' } as PepStep] : [])];
}
