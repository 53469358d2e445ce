import { describe, expect, it } from 'vitest';
import { FORBIDDEN_PASSWORD_CHARACTERS, judgePassword } from '../../shared/certificates/password-rules';

describe('password-characters', () => {
  it('accepts 8+ characters of the three classes', () => {
    expect(judgePassword('Rotation2026Pass').status).toBe('ok');
  });
  it('fails every forbidden character and names it without echoing the password', () => {
    for (const c of FORBIDDEN_PASSWORD_CHARACTERS) {
      const verdict = judgePassword(`Rotation${c}2026Pass`);
      expect(verdict.status, c).toBe('fail');
      expect(verdict.message).toContain(`'${c}'`);
      expect(verdict.message).not.toContain('Rotation');
    }
  });
  it('warns for other special characters, short passwords and too few classes', () => {
    expect(judgePassword('Rotation!2026Pass').status).toBe('warning');
    expect(judgePassword('Rot2026').status).toBe('warning');
    expect(judgePassword('rotation2026pass').status).toBe('warning');
    expect(judgePassword('').status).toBe('warning');
    expect(judgePassword('Pässwörd2026').status).toBe('warning');
  });
});
