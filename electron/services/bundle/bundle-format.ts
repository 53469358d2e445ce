/**
 * The support bundle's file format: entry names, the manifest and the limits a reader enforces.
 *
 * A bundle is a zip whose `manifest.json` lists every other entry with its size and SHA-256. The manifest
 * proves the bundle arrived as it was written (a cut download, an edited file); it is not a signature and
 * says nothing about who wrote it.
 */
import { z } from 'zod';

/** Name of the manifest entry. */
export const MANIFEST_NAME = 'manifest.json';
/** Value of the manifest's `format` field, so a random zip is told apart from a bundle. */
export const BUNDLE_FORMAT = 'azs-rotation-workbench-support-bundle';
/** Largest single entry a reader accepts once uncompressed (256 MiB): far above a real bundle, far below a zip bomb. */
export const MAX_ENTRY_BYTES = 256 * 1024 * 1024;
/** Largest total of all entries a reader accepts (1 GiB). */
export const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
/** Most entries a reader accepts. */
export const MAX_ENTRIES = 10_000;
/** Largest manifest a reader parses (16 MiB). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** Entry names of the bundle's fixed parts. */
export const ENTRY = {
  events: 'events.jsonl',
  environment: 'environment.json',
  stamps: 'stamps.json',
  checklists: 'checklists.json',
} as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The schema of `manifest.json` (schemaVersion 1).
 *
 * A reader refuses a manifest that does not parse, so a random zip with a `manifest.json` is not mistaken for a bundle.
 */
export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  format: z.literal(BUNDLE_FORMAT),
  createdAt: z.string(),
  appVersion: z.string(),
  runs: z.array(z.string()),
  eventCount: z.number().int().nonnegative(),
  redaction: z.object({
    secrets: z.literal(true),
    masked: z.object({ ips: z.boolean(), hosts: z.boolean(), users: z.boolean() }),
    counts: z.object({ ips: z.number().int(), hosts: z.number().int(), users: z.number().int() }),
  }),
  entries: z.array(z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: sha256Hex })),
});
/** The parsed `manifest.json`. */
export type BundleManifest = z.infer<typeof manifestSchema>;

/**
 * Why an entry name is unsafe, or null when it is fine.
 *
 * Zip-slip: a name that climbs out (`../`), starts at a root (`/x`, `C:x`), or uses backslashes (which
 * Windows tools treat as separators) could write outside the folder a careless tool extracts to.
 */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'an empty name';
  if (name.length > 255) return 'a name longer than 255 characters';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'a control character';
  const parts = name.split('/');
  if (parts.includes('..')) return 'a ".." segment';
  if (parts.some((p) => p === '' || p === '.')) return 'an empty or "." segment';
  return null;
}
