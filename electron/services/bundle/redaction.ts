/**
 * The support bundle's redaction pass: secrets always go; IP addresses, host names and user names are
 * masked when the operator asks, each distinct value to a stable token (`ip-1`, `host-1`, `user-1`).
 *
 * Consistency is the point of masking rather than deleting: support can still see that the same ERCS
 * address failed three times, or that two events name the same host, without learning which one.
 */
import { redactText } from '../logs/redact-text';
import { mapStrings } from '../../../shared/lib/map-strings';

/** What the operator chose to mask. */
export interface MaskOptions {
  ips: boolean;
  hosts: boolean;
  users: boolean;
}

/** No masking, secrets only. */
export const NO_MASKING: MaskOptions = { ips: false, hosts: false, users: false };

/** Values known to be host or user names (stamp domains, the operator's account), masked even where the patterns would miss them. */
export interface KnownNames {
  hosts?: readonly string[];
  users?: readonly string[];
}

/** How many distinct values each kind of mask replaced. */
export interface MaskCounts {
  ips: number;
  hosts: number;
  users: number;
}

/** A redactor for one bundle: the same input always maps to the same token. */
export interface Redactor {
  /** Text with secrets removed and the chosen kinds masked. */
  text(value: string): string;
  /** A deep copy of a JSON value with every string (keys included) redacted. */
  value<T>(value: T): T;
  /** How many distinct values were masked so far. */
  counts(): MaskCounts;
}

const IPV4 = String.raw`(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)`;
const IPV6 = String.raw`(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])`;

/**
 * Top-level domains a masked host may end in.
 *
 * A bare "word.word" pattern would also mask file names (`blob.pfx`) and event types (`stamp.create`), so
 * a name counts as a host only with one of these endings, or when it is a known host or under one.
 */
const TLDS = new Set(
  (
    'com net org edu gov mil int io info biz local localdomain internal intranet corp lan home arpa test example cloud azure ' +
    'us uk de fr nl be ch at it es pt se no dk fi pl cz ie ca au nz jp cn in br mx za sg hk kr tw ru ua eu asia'
  ).split(' '),
);

const HOST = /(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?![\w-]|\.[a-z0-9])/gi;
const DOWN_LEVEL_USER = /(?<![\\:\w.$-])([A-Za-z][\w.-]{0,14})\\([A-Za-z][\w.$-]{0,63})(?![\w$])/g;
const UPN = /(?<![\w.+-])([A-Za-z0-9._%+-]{1,64})@((?:[a-z0-9-]+\.)+[a-z]{2,63})(?![\w-])/gi;
const ACTOR = /(?<![\w-])((?:app|cli):)([A-Za-z0-9._$-]{1,64})/g;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds a redactor with its own token tables.
 *
 * Use one per bundle: tokens are stable within it, and meaningless across bundles on purpose.
 */
export function createRedactor(mask: MaskOptions, known: KnownNames = {}): Redactor {
  const tables = { ips: new Map<string, string>(), hosts: new Map<string, string>(), users: new Map<string, string>() };
  const token = (kind: keyof typeof tables, prefix: string, raw: string): string => {
    const key = raw.toLowerCase();
    let t = tables[kind].get(key);
    if (!t) {
      t = `${prefix}-${tables[kind].size + 1}`;
      tables[kind].set(key, t);
    }
    return t;
  };
  const knownHosts = [...new Set((known.hosts ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h.includes('.')))];
  const isHost = (name: string): boolean => {
    const lower = name.toLowerCase();
    if (knownHosts.some((h) => lower === h || lower.endsWith(`.${h}`))) return true;
    return TLDS.has(lower.slice(lower.lastIndexOf('.') + 1));
  };
  const knownUsers = [...new Set((known.users ?? []).map((u) => u.trim()).filter((u) => u.length >= 2))].sort((a, b) => b.length - a.length);
  const knownUserRe = knownUsers.length === 0 ? null : new RegExp(`(?<![\\w.$-])(?:${knownUsers.map(escapeRegExp).join('|')})(?![\\w$-])`, 'gi');
  const ipRe = new RegExp(`${IPV4}|${IPV6}`, 'gi');

  // Each pattern runs only when a cheap character test says it could match: most lines have no '@', no
  // backslash and no address, and a support bundle may hold a hundred thousand of them.
  const text = (value: string): string => {
    let out = redactText(value);
    if (mask.users) {
      if (out.includes('@')) out = out.replace(UPN, (m) => token('users', 'user', m));
      if (out.includes('\\')) out = out.replace(DOWN_LEVEL_USER, (m) => token('users', 'user', m));
      if (out.includes('app:') || out.includes('cli:')) out = out.replace(ACTOR, (_m, head: string, name: string) => `${head}${token('users', 'user', name)}`);
      if (knownUserRe) out = out.replace(knownUserRe, (m) => token('users', 'user', m));
    }
    if (mask.hosts && out.includes('.')) out = out.replace(HOST, (m) => (isHost(m) ? token('hosts', 'host', m) : m));
    if (mask.ips && (out.includes('.') || out.includes(':'))) out = out.replace(ipRe, (m) => token('ips', 'ip', m));
    return out;
  };
  return {
    text,
    value: <T>(value: T) => mapStrings(value, text),
    counts: () => ({ ips: tables.ips.size, hosts: tables.hosts.size, users: tables.users.size }),
  };
}

/**
 * Parses the CLI's `--mask ips,hosts,users` list.
 *
 * Returns the options and the unknown words, so the CLI can refuse a typo instead of silently not masking.
 */
export function parseMaskList(list: string): { mask: MaskOptions; unknown: string[] } {
  const mask: MaskOptions = { ...NO_MASKING };
  const unknown: string[] = [];
  for (const word of list.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean)) {
    if (word === 'ips' || word === 'ip') mask.ips = true;
    else if (word === 'hosts' || word === 'host') mask.hosts = true;
    else if (word === 'users' || word === 'user') mask.users = true;
    else unknown.push(word);
  }
  return { mask, unknown };
}
