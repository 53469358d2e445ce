/**
 * The share password's character rules (`password-characters`).
 *
 * `Start-SecretRotation -CertificatePassword` breaks on some special characters; messages name the
 * offending character class or character but never echo the password.
 */

/** Characters that make the PEP fail (`validation-rules.md`). */
export const FORBIDDEN_PASSWORD_CHARACTERS = ['$', '*', '#', '@', '`', ')', '(', "'", '"', ';', '&', '|', '<', '>'] as const;

/** Verdict on a password. */
export interface PasswordVerdict {
  readonly status: 'ok' | 'warning' | 'fail';
  readonly message: string;
}

/** Judges a password without revealing it. */
export function judgePassword(password: string): PasswordVerdict {
  const forbidden = [...new Set([...password].filter((c) => (FORBIDDEN_PASSWORD_CHARACTERS as readonly string[]).includes(c)))];
  if (forbidden.length > 0) {
    return { status: 'fail', message: `The password contains ${forbidden.map((c) => `'${c}'`).join(', ')}, which the rotation cmdlet does not accept.` };
  }
  const problems: string[] = [];
  const other = [...new Set([...password].filter((c) => !/[A-Za-z0-9]/.test(c)))];
  if (other.length > 0) problems.push(`it contains special characters (${other.map((c) => `'${c}'`).join(', ')})`);
  if (password.length < 8) problems.push(`it has ${password.length} characters (fewer than 8)`);
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push(`it uses ${classes} of the 3 classes upper case, lower case and digits`);
  if (problems.length > 0) return { status: 'warning', message: `The password is weak or risky: ${problems.join('; ')}.` };
  return { status: 'ok', message: 'The password has 8+ characters of upper case, lower case and digits only.' };
}
