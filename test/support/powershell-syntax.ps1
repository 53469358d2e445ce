# Checks PowerShell texts with PowerShell's own parser, and refuses syntax Windows PowerShell 5.1 lacks.
#
# Input: the path of a JSON file holding an array of { name, text }. Output: one line "checked <n>", then one
# JSON object per problem: { name, line, kind, message }. kind is 'parse' for a parser error, 'ps51' for syntax
# newer than Windows PowerShell 5.1 (found on the syntax tree, not by text patterns, so strings and comments
# never count). Operators on jump hosts paste runbooks into, and the app runs rehearsals in, powershell.exe 5.1.
param([Parameter(Mandatory = $true)][string]$InputFile)

$ErrorActionPreference = 'Stop'
$items = Get-Content -Raw -LiteralPath $InputFile | ConvertFrom-Json

# Cmdlets and parameters that arrived after 5.1.
$newCmdlets = @('Join-String', 'Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Show-Markdown', 'Get-Uptime', 'Remove-Alias', 'Remove-Service', 'Get-MarkdownOption', 'Set-MarkdownOption')
$newParameters = @{
  'ForEach-Object' = @('Parallel', 'ThrottleLimit', 'AsJob', 'TimeoutSeconds')
  '%' = @('Parallel', 'ThrottleLimit', 'AsJob', 'TimeoutSeconds')
  'foreach' = @('Parallel')
  'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
  'ConvertTo-Json' = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
  'Get-Content' = @('AsByteStream')
  'Set-Content' = @('AsByteStream')
  'Add-Content' = @('AsByteStream')
  'Invoke-WebRequest' = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHttpErrorCheck', 'StatusCodeVariable')
  'Invoke-RestMethod' = @('SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHttpErrorCheck', 'StatusCodeVariable')
  'Test-Connection' = @('TargetName', 'TcpPort')
  'Select-String' = @('Raw', 'NoEmphasis')
  'Split-Path' = @('Extension', 'LeafBase')
}

function Get-Ps51Problems {
  param($Ast, $Tokens)
  $found = New-Object System.Collections.Generic.List[object]
  $nodes = $Ast.FindAll({ $true }, $true)
  foreach ($node in $nodes) {
    $type = $node.GetType().Name
    $what = $null
    switch ($type) {
      'TernaryExpressionAst' { $what = 'the ternary operator ( ? : )' }
      'PipelineChainAst' { $what = 'a pipeline chain (&& / ||)' }
      'BinaryExpressionAst' { if ([string]$node.Operator -eq 'QuestionQuestion') { $what = 'the ?? operator' } }
      'AssignmentStatementAst' { if ([string]$node.Operator -eq 'QuestionQuestionEquals') { $what = 'the ??= operator' } }
      'MemberExpressionAst' { if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $what = 'the ?. operator' } }
      'InvokeMemberExpressionAst' { if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $what = 'the ?. operator' } }
      'IndexExpressionAst' { if ($node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $what = 'the ?[] operator' } }
      'ScriptBlockAst' { if ($node.PSObject.Properties['CleanBlock'] -and $null -ne $node.CleanBlock) { $what = 'a clean {} block' } }
      'PipelineAst' { if ($node.PSObject.Properties['Background'] -and $node.Background) { $what = 'the background operator (&)' } }
      'CommandAst' {
        $name = $node.GetCommandName()
        if ($null -ne $name) {
          if ($newCmdlets -contains $name) { $what = "the cmdlet $name" }
          elseif ($newParameters.ContainsKey($name)) {
            foreach ($element in $node.CommandElements) {
              if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and $newParameters[$name] -contains $element.ParameterName) { $what = "$name -$($element.ParameterName)" }
            }
          }
        }
      }
    }
    if ($null -ne $what) { $found.Add(@{ line = $node.Extent.StartLineNumber; message = $what }) }
  }
  foreach ($token in $Tokens) {
    # `e and `u{...} escapes are PowerShell 6+: in 5.1 they are the letters e and u.
    if (($token.Kind -eq 'StringExpandable' -or $token.Kind -eq 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
      $found.Add(@{ line = $token.Extent.StartLineNumber; message = 'a `e or `u{} escape' })
    }
  }
  return $found
}

$count = 0
$problems = New-Object System.Collections.Generic.List[string]
foreach ($item in $items) {
  $count++
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$item.text, [ref]$tokens, [ref]$errors)
  foreach ($e in $errors) {
    $problems.Add((ConvertTo-Json -Compress -InputObject @{ name = $item.name; line = $e.Extent.StartLineNumber; kind = 'parse'; message = $e.Message }))
  }
  foreach ($p in (Get-Ps51Problems $ast $tokens)) {
    $problems.Add((ConvertTo-Json -Compress -InputObject @{ name = $item.name; line = $p.line; kind = 'ps51'; message = $p.message }))
  }
}
"checked $count"
$problems
