import { execFileSync } from 'node:child_process';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { bmpPassword, pkcs12Kdf, useSha1Engine } from '../../electron/services/certificates/pkcs12-kdf';

describe('PKCS#12 KDF', () => {
  const cases = [
    { password: 'Rotation2026Pass', digest: 'sha1' },
    { password: 'Pässwörd2026Ω', digest: 'sha256' },
    { password: '', digest: 'sha1' },
    { password: 'x'.repeat(70), digest: 'sha512' },
    { password: 'short', digest: 'sha384' },
  ] as const;
  for (const engine of ['wasm', 'js'] as const) {
    it(`matches node-forge's reference implementation (${engine} SHA-1 rounds)`, () => {
      useSha1Engine(engine);
      try {
        for (const { password, digest } of cases) {
          const salt = forge.random.getBytesSync(8);
          for (const id of [1, 2, 3] as const) {
            for (const iterations of [1, 2, 2048]) {
              const expected = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), id, iterations, 40, forge.md[digest].create()).toHex();
              const actual = Buffer.from(pkcs12Kdf(bmpPassword(password), Buffer.from(salt, 'binary'), id, iterations, 40, digest)).toString('hex');
              expect(actual, `${digest} id ${id} iterations ${iterations}`).toBe(expected);
            }
          }
        }
      } finally {
        useSha1Engine('wasm');
      }
    });
  }
  it('refuses zero iterations', () => {
    expect(() => pkcs12Kdf(bmpPassword('a'), Buffer.alloc(8), 1, 0, 24)).toThrow(/iteration/);
  });
  it('encodes an absent password as no bytes and an empty one as a terminator', () => {
    expect(bmpPassword(null)).toHaveLength(0);
    expect([...bmpPassword('')]).toEqual([0, 0]);
    expect([...bmpPassword('A')]).toEqual([0, 65, 0, 0]);
  });
  it('ships WebAssembly compiled from the current generator (wasm/sha1-rounds-wat.mjs)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
