import { describe, expect, it } from 'vitest';
import { coverage, isValidWildcard, sanCoversHost } from '../../shared/certificates/dns-match';

describe('RFC 6125 wildcard matching', () => {
  it('matches exactly one left-most label', () => {
    expect(sanCoversHost('*.east.x.com', 'portal.east.x.com')).toBe(true);
    expect(sanCoversHost('*.east.x.com', 'a.blob.east.x.com')).toBe(false);
    expect(sanCoversHost('*.east.x.com', 'east.x.com')).toBe(false);
  });
  it('refuses partial and multiple wildcards', () => {
    expect(isValidWildcard('p*.east.x.com')).toBe(false);
    expect(sanCoversHost('p*.east.x.com', 'portal.east.x.com')).toBe(false);
    expect(isValidWildcard('*.*.x.com')).toBe(false);
    expect(sanCoversHost('*.*.x.com', 'a.b.x.com')).toBe(false);
    expect(isValidWildcard('portal.*.x.com')).toBe(false);
    expect(isValidWildcard('*.com')).toBe(false);
  });
  it('compares case-insensitively and ignores a trailing dot', () => {
    expect(sanCoversHost('PORTAL.EAST.X.COM', 'portal.east.x.com')).toBe(true);
    expect(sanCoversHost('*.EAST.x.com.', 'Portal.east.X.com')).toBe(true);
  });
  it('never lets a wildcard stand for a wildcard label', () => {
    expect(sanCoversHost('*.east.x.com', '*.east.x.com')).toBe(false);
  });
  it('requires a wildcard requirement to be present itself', () => {
    expect(coverage('*.blob.east.x.com', ['*.blob.east.x.com'])).toBe('exact');
    expect(coverage('*.blob.east.x.com', ['account.blob.east.x.com'])).toBe('missing');
    expect(coverage('*.blob.east.x.com', ['*.east.x.com'])).toBe('missing');
  });
  it('reports concrete names covered only by a wildcard', () => {
    expect(coverage('portal.east.x.com', ['*.east.x.com'])).toBe('wildcard');
    expect(coverage('portal.east.x.com', ['Portal.East.X.Com'])).toBe('exact');
    expect(coverage('portal.east.x.com', ['adminportal.east.x.com'])).toBe('missing');
  });
});
