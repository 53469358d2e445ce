/**
 * Bounds on the password-based key derivation a PFX can ask for (PKCS#12 KDF and PBKDF2).
 *
 * A PFX names its own iteration counts, and opening it costs time in proportion: a MAC or bag asking for
 * 20,000,000 iterations kept a validation computing for minutes. What real exporters write is far below
 * any useful bound: Windows (certutil, Export-PfxCertificate, the certificate MMC) writes 2,000 for the
 * PKCS#12 KDF and the MAC, OpenSSL 3 writes 2,048 (PBKDF2 and MAC), other tools 10,000 to 600,000 (this
 * project's own key backups use PBKDF2 with 600,000). A limit of 1,000,000 per count leaves room for
 * every one of those and for hardened exports, and keeps one derivation under a second; counts above it
 * are refused before any computing, with the count and the limit named. A count below 1 is a malformed
 * file. Because a file may hold many encrypted bags, the total a file may ask for is bounded too.
 */

/** The largest iteration count of one key derivation (a MAC, or one encrypted bag) that is computed. */
export const MAX_KDF_ITERATIONS = 1_000_000;

/**
 * The most derivation work one file may ask for, in iterations times output blocks: a file with every
 * count at the limit (MAC, TripleDES certificate and key bags: 7 blocks) fits; a file of a thousand such
 * bags does not. About a second of computing at the limit.
 */
export const MAX_KDF_WORK_PER_FILE = 10_000_000;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Why `iterations` cannot be used for `what` (e.g. "its MAC"), or null when it can.
 *
 * The answer is a clause for an operator: what the file asks for, what is allowed, and what to do.
 */
export function iterationProblem(iterations: number, what: string): { code: 'corrupt' | 'excessive-iterations'; message: string } | null {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    return { code: 'corrupt', message: `the PFX file is malformed: ${what} gives an iteration count of ${iterations}, and a count is at least 1; export the PFX again` };
  }
  if (iterations > MAX_KDF_ITERATIONS) {
    return {
      code: 'excessive-iterations',
      message: `${what} asks for ${count(iterations)} iterations, more than the ${count(MAX_KDF_ITERATIONS)} this tool computes for one key derivation (Windows writes 2,000 and OpenSSL 2,048); export the PFX again with a usual iteration count`,
    };
  }
  return null;
}

/** The derivation work of one file, counted before each derivation runs. */
export class KdfBudget {
  private spent = 0;

  /**
   * Counts a derivation of `iterations` for `blocks` output blocks; returns why it may not run when the
   * file's total would go over {@link MAX_KDF_WORK_PER_FILE}, else null.
   */
  spend(iterations: number, blocks: number): string | null {
    this.spent += iterations * blocks;
    if (this.spent <= MAX_KDF_WORK_PER_FILE) return null;
    return `opening it takes more than ${count(MAX_KDF_WORK_PER_FILE)} key-derivation iterations in all (its MAC and encrypted bags together), far more than any exporter writes; export the PFX again with a usual iteration count`;
  }
}
