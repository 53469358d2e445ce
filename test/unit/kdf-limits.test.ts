/**
 * Iteration counts a PFX asks for: refused before any computing when absurd (over the limit of
 * `kdf-limits.ts`) or malformed (below 1), with the count and the limit named; a file asking for too much
 * work in all is refused too. Also the chunked WebAssembly KDF, which must derive what the JavaScript rounds do.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { KdfBudget, MAX_KDF_ITERATIONS, MAX_KDF_WORK_PER_FILE, iterationProblem } from '../../electron/services/certificates/kdf-limits';
import { inspectPfx } from '../../electron/services/certificates/inspect';
import { bmpPassword, pkcs12Kdf, useSha1Engine, warmUpKdf } from '../../electron/services/certificates/pkcs12-kdf';
import { readPkcs12, type Pkcs12Error } from '../../electron/services/certificates/pkcs12-reader';
import { loadFixtureManifest } from '../fixtures/load-manifest';

type Asn1 = forge.asn1.Asn1;
const { asn1 } = forge;
const PBES2 = '1.2.840.113549.1.5.13';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';

const fromDer = (bytes: Buffer | string): Asn1 => asn1.fromDer(forge.util.createBuffer(typeof bytes === 'string' ? bytes : bytes.toString('binary')));
const toBinary = (node: Asn1): string => asn1.toDer(node).getBytes();
const int = (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const kids = (node: Asn1 | undefined): Asn1[] => node!.value as Asn1[];

/** Sets the iteration count of a bag's AlgorithmIdentifier (PKCS#12 PBE, or PBES2 with PBKDF2). */
function setAlgorithmIterations(algorithm: Asn1, iterations: number): void {
  const [oidNode, params] = kids(algorithm);
  if (asn1.derToOid(oidNode!.value as string) === PBES2) kids(kids(kids(params)[0])[1])[1] = int(iterations);
  else kids(params)[1] = int(iterations);
}

/**
 * A copy of a PFX with other iteration counts for its MAC and/or every encrypted bag. The MAC is not
 * recomputed, which does not matter here: the counts are refused before anything is derived.
 */
function withIterations(file: string, counts: { mac?: number; bags?: number }): Buffer {
  const pfx = fromDer(readFileSync(file));
  const [, authSafeInfo, macData] = kids(pfx);
  if (counts.mac !== undefined) kids(macData)[2] = int(counts.mac);
  if (counts.bags !== undefined) {
    const octets = kids(kids(authSafeInfo)[1])[0]!;
    const authSafe = fromDer(octets.value as string);
    for (const info of kids(authSafe)) {
      const [typeNode, wrapped] = kids(info);
      const value = kids(wrapped)[0]!;
      if (asn1.derToOid(typeNode!.value as string) === ENCRYPTED_DATA) {
        setAlgorithmIterations(kids(kids(value)[1])[1]!, counts.bags);
      } else {
        const safeContents = fromDer(value.value as string);
        for (const bag of kids(safeContents)) {
          if (asn1.derToOid(kids(bag)[0]!.value as string) === SHROUDED_KEY_BAG) setAlgorithmIterations(kids(kids(kids(bag)[1])[0])[0]!, counts.bags);
        }
        value.value = toBinary(safeContents);
      }
    }
    octets.value = toBinary(authSafe);
  }
  return Buffer.from(toBinary(pfx), 'binary');
}

function refusal(bytes: Buffer, password: string): { error: Pkcs12Error; ms: number } {
  const started = performance.now();
  try {
    readPkcs12(bytes, password);
  } catch (error) {
    return { error: error as Pkcs12Error, ms: performance.now() - started };
  }
  throw new Error('the file opened');
}

describe('iteration limits', () => {
  const manifest = loadFixtureManifest();
  const variant = (name: string) => manifest.fileVariants.find((v) => v.name === name)!;
  const tripleDes = variant('valid-3des');
  const pbes2 = variant('aes256-sha256');

  it.each([
    ['a MAC', tripleDes, { mac: 20_000_000 }, /its MAC asks for 20,000,000 iterations, more than the 1,000,000/],
    ['a PKCS#12 PBE bag', tripleDes, { bags: 20_000_000 }, /key derivation of an encrypted bag asks for 20,000,000 iterations, more than the 1,000,000/],
    ['a PBKDF2 bag', pbes2, { bags: 20_000_000 }, /PBKDF2 key derivation of an encrypted bag asks for 20,000,000 iterations, more than the 1,000,000/],
  ])('refuses %s asking for 20,000,000 iterations at once, naming the count and the limit', (_what, file, counts, message) => {
    const { error, ms } = refusal(withIterations(file.file, counts), file.password);
    expect(error.code).toBe('excessive-iterations');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/\(Windows writes 2,000 and OpenSSL 2,048\); export the PFX again/);
    // Deriving 20,000,000 rounds takes seconds even in WebAssembly; the refusal comes before any.
    expect(ms).toBeLessThan(1000);
  });

  it.each([
    ['PBKDF2', pbes2, { bags: 0 }, 'the PBKDF2 key derivation of an encrypted bag gives an iteration count of 0'],
    ['PBKDF2', pbes2, { bags: -5 }, 'the PBKDF2 key derivation of an encrypted bag gives an iteration count of -5'],
    ['PKCS#12 PBE', tripleDes, { bags: 0 }, 'the key derivation of an encrypted bag gives an iteration count of 0'],
    ['MAC', tripleDes, { mac: 0 }, 'its MAC gives an iteration count of 0'],
    ['MAC', tripleDes, { mac: -1 }, 'its MAC gives an iteration count of -1'],
  ])('calls a %s count of %o a malformed file, not a runtime error', (_what, file, counts, message) => {
    const { error } = refusal(withIterations(file.file, counts), file.password);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(`the PFX file is malformed: ${message}, and a count is at least 1`);
    expect(error.message).not.toMatch(/RangeError|out of range|Received/);
  });

  it('reports the refusal through inspect as the reason the file does not open', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'azs-kdf-limits-'));
    try {
      const file = path.join(dir, 'mac-20m.pfx');
      writeFileSync(file, withIterations(tripleDes.file, { mac: 20_000_000 }));
      const result = inspectPfx(file, tripleDes.password);
      expect(result.opened).toBe(false);
      expect(result.error).toMatchObject({ code: 'excessive-iterations', message: expect.stringMatching(/20,000,000 iterations/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file whose bags ask for more work in all than the per-file budget', () => {
    // Four copies of a TripleDES certificate bag at 1,000,000 iterations (3 derivation blocks each): the
    // first three fit in the 10,000,000 budget, the fourth does not.
    const pfx = fromDer(readFileSync(tripleDes.file));
    const [, authSafeInfo, macData] = kids(pfx);
    const octets = kids(kids(authSafeInfo)[1])[0]!;
    const authSafe = fromDer(octets.value as string);
    const encrypted = kids(authSafe).find((info) => asn1.derToOid(kids(info)[0]!.value as string) === ENCRYPTED_DATA)!;
    const contentInfo = kids(kids(kids(encrypted)[1])[0])[1]!;
    const [, algorithm, ciphertextNode] = kids(contentInfo);
    const [saltNode, iterNode] = kids(kids(algorithm)[1]);
    const salt = Buffer.from(saltNode!.value as string, 'binary');
    const bmp = bmpPassword(tripleDes.password);
    const iterations = Number(asn1.derToInteger(iterNode!.value as string));
    const decipher = createDecipheriv('des-ede3-cbc', pkcs12Kdf(bmp, salt, 1, iterations, 24), pkcs12Kdf(bmp, salt, 2, iterations, 8));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertextNode!.value as string, 'binary')), decipher.final()]);
    const cipher = createCipheriv('des-ede3-cbc', pkcs12Kdf(bmp, salt, 1, MAX_KDF_ITERATIONS, 24), pkcs12Kdf(bmp, salt, 2, MAX_KDF_ITERATIONS, 8));
    ciphertextNode!.value = Buffer.concat([cipher.update(plain), cipher.final()]).toString('binary');
    setAlgorithmIterations(algorithm!, MAX_KDF_ITERATIONS);
    authSafe.value = [encrypted, encrypted, encrypted, encrypted, ...kids(authSafe).filter((info) => info !== encrypted)];
    octets.value = toBinary(authSafe);
    // A valid MAC over the new content, so the reader goes on to the bags.
    const [digestInfo, macSalt, macIterations] = kids(macData);
    const macKey = pkcs12Kdf(bmp, Buffer.from(macSalt!.value as string, 'binary'), 3, Number(asn1.derToInteger(macIterations!.value as string)), 20);
    kids(digestInfo)[1]!.value = createHmac('sha1', macKey).update(Buffer.from(octets.value, 'binary')).digest().toString('binary');
    const { error } = refusal(Buffer.from(toBinary(pfx), 'binary'), tripleDes.password);
    expect(error.code).toBe('excessive-iterations');
    expect(error.message).toMatch(/more than 10,000,000 key-derivation iterations in all/);
  });
});

describe('iteration rules', () => {
  it('allows every count from 1 to the limit and names the problem otherwise', () => {
    expect(iterationProblem(1, 'x')).toBeNull();
    expect(iterationProblem(2048, 'x')).toBeNull();
    expect(iterationProblem(600_000, 'x')).toBeNull();
    expect(iterationProblem(MAX_KDF_ITERATIONS, 'x')).toBeNull();
    expect(iterationProblem(MAX_KDF_ITERATIONS + 1, 'x')).toMatchObject({ code: 'excessive-iterations' });
    expect(iterationProblem(0, 'x')).toMatchObject({ code: 'corrupt' });
    expect(iterationProblem(Number.NaN, 'x')).toMatchObject({ code: 'corrupt' });
  });

  it('counts a file up to its budget and refuses the derivation that goes over', () => {
    const budget = new KdfBudget();
    expect(budget.spend(MAX_KDF_ITERATIONS, 7)).toBeNull();
    expect(budget.spend(MAX_KDF_WORK_PER_FILE - 7 * MAX_KDF_ITERATIONS, 1)).toBeNull();
    expect(budget.spend(1, 1)).toMatch(/more than 10,000,000/);
  });
});

describe('WebAssembly KDF in chunks', () => {
  it('derives the same keys as the JavaScript rounds for counts that span several calls', () => {
    warmUpKdf();
    warmUpKdf();
    const salt = Buffer.from('0102030405060708', 'hex');
    for (const iterations of [4095, 4096, 4097, 8193, 20_000]) {
      const wasm = Buffer.from(pkcs12Kdf(bmpPassword('Rotation2026Pass'), salt, 1, iterations, 24)).toString('hex');
      useSha1Engine('js');
      try {
        expect(Buffer.from(pkcs12Kdf(bmpPassword('Rotation2026Pass'), salt, 1, iterations, 24)).toString('hex'), `${iterations}`).toBe(wasm);
      } finally {
        useSha1Engine('wasm');
      }
    }
  });
});
