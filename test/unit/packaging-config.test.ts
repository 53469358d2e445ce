import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const config = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');

/** The value of a top-level or nested `key: value` line of the YAML file (first occurrence). */
function yamlValue(key: string): string | undefined {
  return new RegExp(`^\\s*${key}:\\s*(\\S.*)$`, 'm').exec(config)?.[1]?.trim();
}

describe('electron-builder configuration', () => {
  it('builds the Windows installer, the portable exe and the Linux AppImage, with no publishing', () => {
    expect(config).toMatch(/target: nsis/);
    expect(config).toMatch(/target: portable/);
    expect(config).toMatch(/target: AppImage/);
    expect(yamlValue('publish')).toBe('null');
  });

  it('points at an icon that exists and is a PNG of at least 256 × 256 pixels', () => {
    const icon = yamlValue('icon');
    expect(icon).toBeDefined();
    const file = readFileSync(path.join(root, icon!));
    expect(file.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(file.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    expect(file.readUInt32BE(20)).toBeGreaterThanOrEqual(256);
    expect(existsSync(path.join(root, yamlValue('buildResources')!))).toBe(true);
  });

  it('unpacks what cannot run from an asar archive: the native SQLite module, the PFX worker, the PEP simulator', () => {
    expect(config).toMatch(/node_modules\/better-sqlite3\/\*\*/);
    expect(config).toMatch(/dist\/electron\/pfx-worker\.mjs/);
    expect(config).toMatch(/dist\/cli\/\*\*/);
  });
});
