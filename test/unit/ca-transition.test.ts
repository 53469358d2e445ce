import { describe, expect, it } from 'vitest';
import { judgeTransition, minimumVersionFor } from '../../shared/certificates/ca-transition';

describe('CA transition matrix', () => {
  it('never allows a move to self-signed', () => {
    for (const from of ['self-signed', 'enterprise', 'public'] as const) {
      expect(minimumVersionFor(from, 'self-signed')).toBeNull();
      expect(judgeTransition(from, 'self-signed', '2301').status).toBe('fail');
    }
  });
  it('gates self-signed → enterprise and public → enterprise at 1903', () => {
    expect(judgeTransition('self-signed', 'enterprise', '1902').status).toBe('fail');
    expect(judgeTransition('self-signed', 'enterprise', '1903').status).toBe('ok');
    expect(judgeTransition('public', 'enterprise', '1811').status).toBe('fail');
    expect(judgeTransition('public', 'enterprise', '1910').status).toBe('ok');
  });
  it('allows moves to public from 1803', () => {
    expect(judgeTransition('self-signed', 'public', '1803').status).toBe('ok');
    expect(judgeTransition('enterprise', 'public', '1805').status).toBe('ok');
  });
  it('warns that enterprise → enterprise before 1904 needs the same CA', () => {
    const verdict = judgeTransition('enterprise', 'enterprise', '1811');
    expect(verdict.status).toBe('warning');
    expect(verdict.message).toMatch(/same enterprise CA/);
    expect(judgeTransition('enterprise', 'enterprise', '2008').status).toBe('ok');
  });
  it('warns when the current kind or a needed version is unknown', () => {
    expect(judgeTransition('unknown', 'public', '2108').status).toBe('warning');
    expect(judgeTransition(null, 'public', '2108').status).toBe('warning');
    expect(judgeTransition('self-signed', 'enterprise', null).status).toBe('warning');
    expect(judgeTransition('self-signed', 'public', null).status).toBe('ok');
  });
});
