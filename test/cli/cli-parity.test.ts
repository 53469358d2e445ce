/**
 * Headless parity: every command and subcommand of the CLI answers `--help` with an example, treats
 * unknown flags as usage errors naming the flag, and refuses secrets given as flag values.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandNameOf } from '../../electron/cli/main';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { CLI } from './run-cli';

interface Leaf {
  readonly path: string[];
  readonly requiredArgs: number;
  /** Dummy values for mandatory options, so the unknown-flag check is what fails. */
  readonly mandatory: string[];
  readonly traps: string[];
}

function leaves(command: Command, prefix: string[] = []): Leaf[] {
  return command.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => {
      const path = [...prefix, c.name()];
      if (c.commands.length > 0) return leaves(c, path);
      const traps = c.options.filter((o) => (o as unknown as { hidden: boolean }).hidden && /pass/.test(o.long ?? '')).map((o) => o.long!);
      const mandatory = c.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, 'x']);
      return [{ path, requiredArgs: c.registeredArguments.filter((a) => a.required).length, mandatory, traps }];
    });
}

const program = await buildProgram();
const commands = leaves(program);
const groups = program.commands.filter((c) => c.commands.length > 0).map((c) => c.name());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', AZS_DATA_DIR: process.env.AZS_DATA_DIR! }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('every command', () => {
  it('lists the contract commands of docs/cli.md', () => {
    const names = commands.map((c) => c.path.join(' '));
    for (const expected of [
      'validate', 'inspect', 'make-dirs', 'place', 'share-test', 'csr', 'pfx assemble', 'pfx repackage', 'backup create', 'backup verify',
      'backup restore', 'rotate', 'runs list', 'runs show', 'probe', 'pep-sim', 'logs search', 'logs export', 'bundle create', 'bundle verify',
      'bundle open-summary', 'stamp add', 'stamp list', 'stamp show', 'stamp remove',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(commands.map((c) => [c.path.join(' '), c] as const))('%s: help with an example, unknown flags and secret flags refused', async (_name, leaf) => {
    const help = await run([...leaf.path, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Usage: azs-rotate ${leaf.path.join(' ')}`);
    expect(help.stdout).toMatch(/Example/);

    const dummies = [...Array.from({ length: leaf.requiredArgs }, () => 'x'), ...leaf.mandatory];
    const unknown = await run([...leaf.path, ...dummies, '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--no-such-flag');

    for (const trap of leaf.traps) {
      const refused = await run([...leaf.path, ...dummies, trap, 'S3cret-value']);
      expect(refused.code, `${trap} must be refused`).toBe(2);
      expect(refused.stderr).toMatch(/secrets are never accepted as flag values/);
      expect(refused.stderr).toMatch(/-file FILE, or set AZS_[A-Z_]+/);
      expect(refused.stdout + refused.stderr).not.toContain('S3cret-value');
    }
  });

  it.each(groups)('group %s: help with an example; without a subcommand, help on stderr and exit 2', async (group) => {
    const help = await run([group, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples?:\n {2}azs-rotate /);
    const bare = await run([group]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(`Usage: azs-rotate ${group}`);
  });

  it('answers a bare azs-rotate with its help on stderr and exit 2', async () => {
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: azs-rotate');
  });

  it('names --version, as typed, when stamp add has no version value', async () => {
    const missing = await run(['stamp', 'add', 'Lab', '--region', 'east', '--version']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'--version <YYMM>'");
    expect(missing.stderr).not.toContain('--stamp-version');
  });

  it('guards every secret-file option with refusing flags', () => {
    const find = (path: string[]) => path.reduce<Command>((c, name) => c.commands.find((s) => s.name() === name)!, program);
    for (const leaf of commands) {
      const secretFiles = find(leaf.path).options.filter((o) => /(password|passphrase)-file$/.test(o.long ?? ''));
      if (secretFiles.length > 0) expect(leaf.traps.length, leaf.path.join(' ')).toBeGreaterThanOrEqual(secretFiles.length);
    }
  });

  it('defines one command alone as the whole tree defines it (what a run of that command loads)', async () => {
    const shape = (c: Command): unknown => ({ name: c.name(), options: c.options.map((o) => o.flags), commands: c.commands.map(shape) });
    for (const top of program.commands.filter((c) => c.name() !== 'help')) {
      const alone = await buildProgram(top.name());
      // csr's module defines keys too; every other module defines its one command.
      expect(alone.commands.map((c) => c.name())).toEqual(top.name() === 'csr' || top.name() === 'keys' ? ['csr', 'keys'] : [top.name()]);
      expect(shape(alone.commands.find((c) => c.name() === top.name())!)).toEqual(shape(top));
    }
    expect(commandNameOf(['--data-dir', 'd', '--debug', 'validate', 'x'])).toBe('validate');
    expect(commandNameOf(['--debug'])).toBeNull();
    expect((await buildProgram('no-such')).commands.length).toBe(program.commands.length);
  });

  it('refuses a missing option value naming the flag', async () => {
    const result = await run(['validate', 'x', '--region']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--region');
  });
});

describe('terminal output', () => {
  // `script` gives the CLI a pseudo-terminal, as an operator's console would.
  const hasScript = existsSync('/usr/bin/script');
  const manifest = hasScript ? loadFixtureManifest() : null;
  const onTerminal = (env: Record<string, string>) =>
    spawnSync('/usr/bin/script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} validate ${JSON.stringify(manifest!.shares.adfsValid)} --region east --fqdn azurestack.contoso.com --identity adfs`, '/dev/null'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TERM: 'xterm', AZS_PFX_PASSWORD: manifest!.password, AZS_DATA_DIR: process.env.AZS_DATA_DIR!, ...env },
    });
  it.skipIf(!hasScript)('colours a terminal, and never with NO_COLOR', () => {
    const coloured = onTerminal({});
    expect(coloured.stdout).toContain('\u001b[');
    expect(coloured.stdout).toMatch(/READY/);
    const plain = onTerminal({ NO_COLOR: '1' });
    // No SGR sequence at all (colour, bold): NO_COLOR forbids styling; the progress bar's cursor moves are not styling.
    // eslint-disable-next-line no-control-regex -- the escape character is what this test looks for
    expect(plain.stdout).not.toMatch(/\u001b\[[0-9;]*m/);
    expect(plain.stdout).toMatch(/READY: 13 certificate\(s\)/);
  });
});
