/**
 * The small fixed PowerShell program every PEP run starts with, and the stdin framing it reads.
 *
 * PowerShell gets the bootstrap as `-EncodedCommand` (it holds no secret, and is the same text for every run),
 * so PowerShell never reads stdin as commands: stdin carries only data. The bootstrap reads the generated script
 * up to {@link SCRIPT_END_MARKER}, parses it with PowerShell's own parser and runs it only when it parses; a
 * script that does not parse ends the run with an `input-error` result before a single secret is read. The
 * script then reads the secrets marker and the secrets from the same stdin, and later the cancel line. Reading
 * `-Command -` instead would have PowerShell execute stdin line by line: after a parse failure it would go on and
 * run the secret lines as commands, echoing them in its error messages.
 *
 * A rehearsal's bootstrap first reads the stand-in PEP module (its text comes on stdin ahead of the script, up to
 * {@link MODULE_END_MARKER}) and imports it, so the unchanged script talks to local restricted runspaces instead
 * of WinRM. The module is loaded from text with `New-Module`, which no execution policy blocks.
 */
import { SCRIPT_EXIT } from './script-builder';

/** The line after the script on stdin. */
export const SCRIPT_END_MARKER = '# azs-rotate-script-end';

/** The line after the stand-in PEP module on a rehearsal's stdin. */
export const MODULE_END_MARKER = '# azs-rotate-stand-in-end';

/** Reads stdin lines up to a marker into `$<variable>` (one string); ends the run when stdin ends first. */
function readUntil(marker: string, variable: string, what: string): string[] {
  return [
    `$${variable} = New-Object System.Text.StringBuilder`,
    'while ($true) {',
    '  $line = [Console]::In.ReadLine()',
    `  if ($null -eq $line) { Send-AzsBootLine @{ type = 'result'; status = 'input-error'; text = 'stdin ended before the end of the ${what}.' }; exit ${SCRIPT_EXIT.inputError} }`,
    `  if ($line -eq '${marker}') { break }`,
    `  [void]$${variable}.Append($line).Append("\`n")`,
    '}',
  ];
}

/**
 * The bootstrap's text.
 *
 * With `rehearsal`, it imports the stand-in PEP module read from stdin before it reads the script.
 */
export function bootstrapText(options: { rehearsal: boolean }): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false)',
    'function Send-AzsBootLine([hashtable]$Fields) {',
    '  [Console]::Out.WriteLine((ConvertTo-Json -InputObject $Fields -Compress -Depth 4))',
    '  [Console]::Out.Flush()',
    '}',
    ...(options.rehearsal
      ? [
          ...readUntil(MODULE_END_MARKER, 'standIn', 'stand-in PEP module'),
          'try {',
          "  $null = New-Module -Name 'AzsPepStandIn' -ScriptBlock ([scriptblock]::Create($standIn.ToString())) | Import-Module -Global -DisableNameChecking -Force",
          '} catch {',
          "  Send-AzsBootLine @{ type = 'result'; status = 'input-error'; text = ('The stand-in PEP could not be loaded: ' + [string]$_) }",
          `  exit ${SCRIPT_EXIT.inputError}`,
          '}',
        ]
      : []),
    ...readUntil(SCRIPT_END_MARKER, 'scriptText', 'script'),
    '$tokens = $null',
    '$parseErrors = $null',
    '$ast = [System.Management.Automation.Language.Parser]::ParseInput($scriptText.ToString(), [ref]$tokens, [ref]$parseErrors)',
    'if ($parseErrors.Count -gt 0) {',
    "  $first = $parseErrors[0]",
    "  Send-AzsBootLine @{ type = 'result'; status = 'input-error'; text = ('The generated script does not parse (line ' + $first.Extent.StartLineNumber + ': ' + $first.Message + '); nothing was run and no secret was read.') }",
    `  exit ${SCRIPT_EXIT.inputError}`,
    '}',
    '$ast = $null',
    '$tokens = $null',
    '. ([scriptblock]::Create($scriptText.ToString()))',
    '',
  ].join('\n');
}

/** PowerShell's `-EncodedCommand` form of a script: Base64 of its UTF-16LE bytes. */
export function encodeCommand(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** The arguments of a PEP run: no profile (it could print or prompt), no prompts, the bootstrap. */
export function powershellArguments(options: { rehearsal: boolean }): string[] {
  return ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodeCommand(bootstrapText(options))];
}

/** What a run writes on stdin before the secrets marker: the stand-in module (rehearsal), then the script. */
export function stdinPreamble(script: string, standInModule: string | null): string {
  const module = standInModule === null ? '' : `${standInModule.replace(/\r?\n$/, '')}\n${MODULE_END_MARKER}\n`;
  return `${module}${script.replace(/\r?\n$/, '')}\n${SCRIPT_END_MARKER}\n`;
}
