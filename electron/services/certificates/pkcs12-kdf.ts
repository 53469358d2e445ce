/**
 * The PKCS#12 password-based key derivation (RFC 7292, appendix B.2), fast.
 *
 * Opening one TripleDES PFX runs this KDF three times per encrypted bag plus once for the MAC: about
 * 14,000 chained hashes of a single digest-sized block. Calling a hash API per round (node-forge, or
 * `crypto.createHash`) costs 1–2 µs of call overhead per round, 25 ms a file, which is what made validation
 * slower than OpenSSL. Here the chained rounds run in one tight loop over preallocated 32-bit words with
 * the compression function inlined — SHA-1 (TripleDES files, the Azure Stack profile) in WebAssembly, SHA-256
 * in JavaScript — so a file costs a few milliseconds. Other digests (SHA-224, SHA-384, SHA-512 and
 * SHA-512/224, SHA-512/256) fall back to Node's crypto, which is still correct, only slower.
 */
import { createHash } from 'node:crypto';
import { SHA1_ROUNDS_WASM } from './wasm/sha1-rounds-wasm';

interface Sha1Wasm {
  readonly words: Int32Array;
  readonly run: (rounds: number) => void;
}

let sha1Wasm: Sha1Wasm | null = null;

/** The WebAssembly SHA-1 round loop (`wasm/sha1-rounds.wat`), instantiated once per thread. */
function wasmSha1(): Sha1Wasm {
  if (!sha1Wasm) {
    const module = new WebAssembly.Module(Buffer.from(SHA1_ROUNDS_WASM, 'base64'));
    const instance = new WebAssembly.Instance(module);
    const memory = instance.exports.memory as WebAssembly.Memory;
    sha1Wasm = { words: new Int32Array(memory.buffer, 0, 5), run: instance.exports.sha1Rounds as (rounds: number) => void };
  }
  return sha1Wasm;
}

/** Which SHA-1 round loop to use: WebAssembly (default) or the JavaScript one (reference for tests). */
let sha1Engine: 'wasm' | 'js' = 'wasm';

/** Selects the SHA-1 round implementation; tests compare both, the benchmark reports both. */
export function useSha1Engine(engine: 'wasm' | 'js'): void {
  sha1Engine = engine;
}

/** Digest names this KDF accepts (Node's names). */
export type KdfDigest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha512-224' | 'sha512-256';

const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const SHA256_INIT = new Int32Array([
  0x6a09e667, 0xbb67ae85 | 0, 0x3c6ef372, 0xa54ff53a | 0, 0x510e527f, 0x9b05688c | 0, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * Applies `rounds` more SHA-1 rounds to the 20-byte digest in `h` (each round hashes the previous digest).
 *
 * The single message block of a 20-byte input has fixed padding, so only the five digest words change;
 * the 16-word schedule rolls in place, which measured faster in V8 than an 80-word expansion.
 */
function sha1Rounds(h: Int32Array, rounds: number): void {
  const w = new Int32Array(16);
  let h0 = h[0]!;
  let h1 = h[1]!;
  let h2 = h[2]!;
  let h3 = h[3]!;
  let h4 = h[4]!;
  for (let round = 0; round < rounds; round++) {
    w[0] = h0;
    w[1] = h1;
    w[2] = h2;
    w[3] = h3;
    w[4] = h4;
    w[5] = 0x80000000 | 0;
    w[6] = 0;
    w[7] = 0;
    w[8] = 0;
    w[9] = 0;
    w[10] = 0;
    w[11] = 0;
    w[12] = 0;
    w[13] = 0;
    w[14] = 0;
    w[15] = 160;
    let a = 0x67452301;
    let b = 0xefcdab89 | 0;
    let c = 0x98badcfe | 0;
    let d = 0x10325476;
    let e = 0xc3d2e1f0 | 0;
    for (let t = 0; t < 80; t++) {
      let wt: number;
      if (t < 16) wt = w[t]!;
      else {
        const x = w[(t - 3) & 15]! ^ w[(t - 8) & 15]! ^ w[(t - 14) & 15]! ^ w[t & 15]!;
        wt = (x << 1) | (x >>> 31);
        w[t & 15] = wt;
      }
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + wt) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (0x67452301 + a) | 0;
    h1 = ((0xefcdab89 | 0) + b) | 0;
    h2 = ((0x98badcfe | 0) + c) | 0;
    h3 = (0x10325476 + d) | 0;
    h4 = ((0xc3d2e1f0 | 0) + e) | 0;
  }
  h[0] = h0;
  h[1] = h1;
  h[2] = h2;
  h[3] = h3;
  h[4] = h4;
}

/** {@link sha1Rounds} in WebAssembly: about 1.4 times faster than the JIT-compiled loop (measured here). */
function sha1RoundsWasm(h: Int32Array, rounds: number): void {
  const wasm = wasmSha1();
  wasm.words.set(h);
  wasm.run(rounds);
  h.set(wasm.words);
}

/** Applies `rounds` more SHA-256 rounds to the 32-byte digest in `h`, like {@link sha1Rounds}. */
function sha256Rounds(h: Int32Array, rounds: number): void {
  const w = new Int32Array(16);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 8; i++) w[i] = h[i]!;
    w[8] = 0x80000000 | 0;
    w[9] = 0;
    w[10] = 0;
    w[11] = 0;
    w[12] = 0;
    w[13] = 0;
    w[14] = 0;
    w[15] = 256;
    let a = SHA256_INIT[0]!;
    let b = SHA256_INIT[1]!;
    let c = SHA256_INIT[2]!;
    let d = SHA256_INIT[3]!;
    let e = SHA256_INIT[4]!;
    let f = SHA256_INIT[5]!;
    let g = SHA256_INIT[6]!;
    let hh = SHA256_INIT[7]!;
    for (let t = 0; t < 64; t++) {
      let wt: number;
      if (t < 16) wt = w[t]!;
      else {
        const x = w[(t - 15) & 15]!;
        const y = w[(t - 2) & 15]!;
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        wt = (w[t & 15]! + s0 + w[(t - 7) & 15]! + s1) | 0;
        w[t & 15] = wt;
      }
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + SHA256_K[t]! + wt) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (SHA256_INIT[0]! + a) | 0;
    h[1] = (SHA256_INIT[1]! + b) | 0;
    h[2] = (SHA256_INIT[2]! + c) | 0;
    h[3] = (SHA256_INIT[3]! + d) | 0;
    h[4] = (SHA256_INIT[4]! + e) | 0;
    h[5] = (SHA256_INIT[5]! + f) | 0;
    h[6] = (SHA256_INIT[6]! + g) | 0;
    h[7] = (SHA256_INIT[7]! + hh) | 0;
  }
}

/** H^iterations(message): the first round through Node's crypto, the chained ones in the loops above. */
function iteratedHash(digest: KdfDigest, message: Uint8Array, iterations: number): Uint8Array {
  const first = createHash(digest).update(message).digest();
  const chain = digest === 'sha1' ? (sha1Engine === 'wasm' ? sha1RoundsWasm : sha1Rounds) : digest === 'sha256' ? sha256Rounds : null;
  if (!chain) {
    let current: Uint8Array = first;
    for (let round = 1; round < iterations; round++) current = createHash(digest).update(current).digest();
    return current;
  }
  const words = new Int32Array(first.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = first.readInt32BE(i * 4);
  chain(words, iterations - 1);
  const out = Buffer.alloc(first.length);
  for (let i = 0; i < words.length; i++) out.writeInt32BE(words[i]!, i * 4);
  return out;
}

// SHA-224 is SHA-256 truncated and SHA-512/t is SHA-512 truncated: each keeps its parent's block length.
const BLOCK_LENGTH: Record<KdfDigest, number> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128, 'sha512-224': 128, 'sha512-256': 128 };
const DIGEST_LENGTH: Record<KdfDigest, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64, 'sha512-224': 28, 'sha512-256': 32 };

/**
 * Output length in bytes of a KDF digest.
 *
 * The MAC key of a PFX is as long as its digest's output (RFC 7292 appendix B.4).
 */
export function digestLength(digest: KdfDigest): number {
  return DIGEST_LENGTH[digest];
}

/**
 * Encodes a password as PKCS#12 wants it: UTF-16 big-endian (BMPString) with a two-byte terminator.
 *
 * `null` means "no password at all" (zero bytes), which some Windows exports use for empty passwords
 * while OpenSSL uses the terminator alone; callers try both for an empty password.
 */
export function bmpPassword(password: string | null): Uint8Array {
  if (password === null) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const code = password.charCodeAt(i);
    out[i * 2] = code >> 8;
    out[i * 2 + 1] = code & 0xff;
  }
  return out;
}

/**
 * Derives `length` bytes of key material (RFC 7292 B.2).
 *
 * `id` is 1 for cipher keys, 2 for IVs and 3 for MAC keys; `password` is the BMPString encoding.
 */
export function pkcs12Kdf(
  password: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
  digest: KdfDigest = 'sha1',
): Uint8Array {
  if (!(iterations >= 1)) throw new RangeError('PKCS#12 key derivation needs at least one iteration');
  const v = BLOCK_LENGTH[digest];
  const u = DIGEST_LENGTH[digest];
  const saltLength = salt.length === 0 ? 0 : v * Math.ceil(salt.length / v);
  const passwordLength = password.length === 0 ? 0 : v * Math.ceil(password.length / v);
  const I = new Uint8Array(saltLength + passwordLength);
  for (let i = 0; i < saltLength; i++) I[i] = salt[i % salt.length]!;
  for (let i = 0; i < passwordLength; i++) I[saltLength + i] = password[i % password.length]!;
  const message = new Uint8Array(v + I.length);
  message.fill(id, 0, v);
  const result = new Uint8Array(length);
  const B = new Uint8Array(v);
  for (let produced = 0; produced < length; ) {
    message.set(I, v);
    const A = iteratedHash(digest, message, iterations);
    result.set(A.subarray(0, Math.min(u, length - produced)), produced);
    produced += u;
    if (produced >= length) break;
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += I[j + k]! + B[k]!;
        I[j + k] = carry & 0xff;
        carry >>>= 8;
      }
    }
  }
  return result;
}
