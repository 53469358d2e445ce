/**
 * Every command the procedures render — for each version the gates tell apart, with every parameter given and
 * with none (placeholders) — is PowerShell an operator can paste into Windows PowerShell 5.1: PowerShell's own
 * parser accepts it and its syntax tree holds nothing 5.1 lacks (test/support/powershell-syntax.ps1). Skipped,
 * saying why, only where no PowerShell can be had.
 */
import { describe, expect, it } from 'vitest';
import { PROCEDURES } from '../../shared/procedures/definitions';
import { renderedCommands } from '../support/procedure-commands';
import { checkPowerShell } from '../support/powershell-syntax';
import { announcePwshSkip, PWSH } from '../support/pwsh';

announcePwshSkip(__filename);
const COMMANDS = renderedCommands();

describe('procedure commands are Windows PowerShell 5.1', () => {
  it('covers every procedure', () => {
    for (const definition of PROCEDURES) expect(COMMANDS.some((c) => c.name.startsWith(`${definition.id} `)), definition.id).toBe(true);
  });

  it.skipIf(PWSH === null)('parse with PowerShell’s own parser and use no syntax newer than 5.1', () => {
    const { checked, problems } = checkPowerShell(COMMANDS);
    expect(checked).toBe(COMMANDS.length);
    expect(problems).toEqual([]);
  });
});
