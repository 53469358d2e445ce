/**
 * The ESLint layer rules really fire: shared/ may not import Node, DOM globals or electron; renderer/
 * may not import Node or electron.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer boundaries', () => {
  it('refuses Node built-ins, electron and I/O libraries in shared/', async () => {
    expect(await ruleIds('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('shared/probe.ts', "import fs from 'fs';\nexport const x = fs;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('shared/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('shared/probe.ts', 'export const x = () => document.title;\n')).toContain('no-restricted-globals');
    expect(await ruleIds('shared/probe.ts', "export const x = () => localStorage.getItem('k');\n")).toContain('no-restricted-globals');
    expect(await ruleIds('shared/probe.ts', "export const x = () => fetch('https://example.com');\n")).toContain('no-restricted-globals');
    expect(await ruleIds('shared/probe.ts', 'export const x = () => Buffer.from([1]);\n')).toContain('no-restricted-globals');
    // What both runtimes have stays allowed.
    expect(await ruleIds('shared/probe.ts', "export const x = () => new URL('https://a.b/').host + new TextEncoder().encode('a').length;\n")).toEqual([]);
    expect(await ruleIds('shared/probe.ts', "import { x } from '../electron/services/store';\nexport const y = x;\n")).toContain('no-restricted-imports');
  });
  it('refuses Node and electron in renderer/, but allows the DOM', async () => {
    expect(await ruleIds('renderer/src/probe.ts', "import path from 'node:path';\nexport const x = path;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/src/probe.ts', 'export const x = () => process.env;\n')).toContain('no-restricted-globals');
    expect(await ruleIds('renderer/src/probe.ts', "export const x = () => Buffer.from('a');\n")).toContain('no-restricted-globals');
    expect(await ruleIds('renderer/src/probe.ts', 'export const x = () => document.title;\n')).toEqual([]);
  });
  it('allows Node in electron/ services', async () => {
    expect(await ruleIds('electron/services/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
  });
});
