/**
 * The IPC channels of the Prepare workspace, merged into `IPC_CONTRACT`: share tree, placement, share
 * access, CSRs with key custody (and their renewal from a certificate file or a live endpoint), key export,
 * PFX assembly and repackaging, backups.
 *
 * Request schemas carry secrets (PFX password, key-custody passphrase, share password) only for the one
 * call that needs them; main uses them in memory and never stores or logs them. Response schemas mirror
 * the JSON documents of the matching CLI commands (`cli.md`), so the screens and scripts see one shape.
 */
import { z } from 'zod';
import { CA_KINDS } from '../stamps/stamp';

const identity = z.enum(['aad', 'adfs']);
const paasProvider = z.enum(['appservices', 'dbadapter', 'eventhubs', 'iothub', 'acr']);
const folder = (what: string) => z.string().trim().min(1, `Choose ${what}.`).max(4096);
const region = z.string().trim().min(1, 'Enter the region, for example "east".').max(63);
const fqdn = z.string().trim().min(1, 'Enter the external domain, for example "azurestack.contoso.com".').max(253);
const pfxProfile = z.enum(['azure-stack', 'modern']);
const file = (what: string) => z.string().trim().min(1, `Enter the path of ${what}.`).max(4096);
/** `HOST` or `HOST:PORT` (IPv6 in brackets), as `--from-endpoint` and `--connect` take it. */
const hostPort = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${what}.`)
    .max(300)
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, `Write ${what} as HOST or HOST:PORT.`);

/** The share tree as it is and as `make-dirs` would complete it. */
export const treePreviewSchema = z.object({
  certificatesDir: z.string(),
  identityDir: z.string(),
  folders: z.array(z.object({ path: z.string(), relative: z.string(), exists: z.boolean() })),
  unexpected: z.array(z.string()),
  rootExists: z.boolean(),
});
/** What `make-dirs` would create, and what is already there. */
export type TreePreview = z.infer<typeof treePreviewSchema>;

/** The `make-dirs --json` document: folders created, already there, and entries that do not belong. */
export const makeDirsResultSchema = z.object({
  schemaVersion: z.literal(1),
  root: z.string(),
  identity,
  certificatesDir: z.string(),
  created: z.array(z.string()),
  existing: z.array(z.string()),
  unexpected: z.array(z.string()),
});

const placementStatus = z.enum(['placed', 'already-placed', 'no-match', 'multiple-matches', 'duplicate', 'occupied', 'unreadable', 'failed', 'skipped']);
/** The `place --json` document: every source file with its outcome. */
export const placementResultSchema = z.object({
  schemaVersion: z.literal(1),
  source: z.string(),
  shareRoot: z.string(),
  identity,
  certificatesDir: z.string(),
  files: z.array(
    z.object({
      file: z.string(),
      status: placementStatus,
      endpoint: z.string().nullable(),
      candidates: z.array(z.string()),
      target: z.string().nullable(),
      sans: z.array(z.string()),
      message: z.string(),
    }),
  ),
  summary: z.object({ placed: z.number().int(), alreadyPlaced: z.number().int(), notPlaced: z.number().int() }),
});
/** The `place --json` document. */
export type PlacementResultView = z.infer<typeof placementResultSchema>;

const shareStep = z.enum(['connect', 'list', 'create', 'read', 'delete']);
/** The `share-test --json` document: each step and the one problem, if any. */
export const shareTestResultSchema = z.object({
  schemaVersion: z.literal(1),
  path: z.string(),
  ok: z.boolean(),
  steps: z.array(z.object({ step: shareStep, status: z.enum(['ok', 'fail', 'skipped']), ms: z.number() })),
  problem: z
    .object({ code: z.enum(['not-found', 'access-denied', 'read-only', 'no-space', 'other']), step: shareStep, message: z.string(), hint: z.string() })
    .nullable(),
  leftover: z.string().nullable(),
});
/** The `share-test --json` document. */
export type ShareTestResultView = z.infer<typeof shareTestResultSchema>;

/** What a CSR generation wrote (the `csr --json` fields plus subject, key size and notes). */
export const csrResultSchema = z.object({
  schemaVersion: z.literal(1),
  outDir: z.string(),
  keyBits: z.number().int(),
  signatureHash: z.enum(['sha256', 'sha384', 'sha512']),
  requests: z.array(z.object({ endpoint: z.string(), endpoints: z.array(z.string()), file: z.string(), dnsNames: z.array(z.string()), keyId: z.string(), subject: z.string() })),
  notes: z.array(z.string()),
});
/** What a CSR generation wrote. */
export type CsrResultView = z.infer<typeof csrResultSchema>;

/** One stored request of key custody, as screens list it (never the key, never its file). */
export const keyRequestSchema = z.object({
  keyId: z.string(),
  endpoint: z.string(),
  endpoints: z.array(z.string()),
  dnsNames: z.array(z.string()),
  subject: z.string(),
  region: z.string(),
  fqdn: z.string(),
  identity,
  keyBits: z.number().int(),
  signatureHash: z.string(),
  publicKeySha256: z.string(),
  requestFile: z.string(),
  createdAt: z.string(),
  assembledAt: z.string().nullable(),
  certificateThumbprint: z.string().nullable(),
});
/** One stored request (never its key). */
export type KeyRequestView = z.infer<typeof keyRequestSchema>;

const checkStatus = z.enum(['ok', 'warning', 'fail', 'skipped']);
const certificateStatus = z.enum(['ok', 'warning', 'fail']);
/** The `pfx assemble --json` document: PFX files written with their validation, and what was not assembled. */
export const assemblyResultSchema = z.object({
  schemaVersion: z.literal(1),
  outDir: z.string(),
  profile: pfxProfile,
  outputs: z.array(
    z.object({
      issued: z.string(),
      file: z.string(),
      keyId: z.string(),
      endpoint: z.string(),
      subject: z.string(),
      thumbprint: z.string(),
      chain: z.array(z.string()),
      status: certificateStatus,
      validations: z.array(z.object({ endpoint: z.string(), status: certificateStatus, issues: z.array(z.object({ id: z.string(), status: checkStatus, message: z.string() })) })),
    }),
  ),
  problems: z.array(
    z.object({
      file: z.string(),
      code: z.enum(['unreadable', 'no-matching-key', 'chain-incomplete', 'wrong-passphrase', 'key-unavailable', 'duplicate', 'write-failed']),
      subject: z.string().nullable(),
      message: z.string(),
    }),
  ),
  summary: z.object({ assembled: z.number().int(), ok: z.number().int(), warning: z.number().int(), fail: z.number().int(), problems: z.number().int() }),
});
/** The `pfx assemble --json` document. */
export type AssemblyResultView = z.infer<typeof assemblyResultSchema>;

/** The `backup create --json` document. */
export const backupCreateResultSchema = z.object({
  schemaVersion: z.literal(1),
  backupDir: z.string(),
  source: z.string(),
  files: z.number().int(),
  bytes: z.number().int(),
  manifest: z.string(),
  verified: z.boolean(),
});
/** The `backup verify --json` document: every missing, extra or changed file. */
export const backupVerifyResultSchema = z.object({
  schemaVersion: z.literal(1),
  backupDir: z.string(),
  ok: z.boolean(),
  source: z.string().nullable(),
  createdAt: z.string().nullable(),
  files: z.number().int(),
  problems: z.array(z.object({ code: z.enum(['missing', 'extra', 'changed', 'manifest-missing', 'manifest-invalid']), path: z.string(), message: z.string() })),
});
/** The `backup restore --json` document. */
export const backupRestoreResultSchema = z.object({
  schemaVersion: z.literal(1),
  backupDir: z.string(),
  target: z.string(),
  restored: z.array(z.string()),
  unchanged: z.array(z.string()),
  extra: z.array(z.string()),
  verified: z.boolean(),
});
/** The `backup clean --json` document: files removed, files kept and why. */
export const shareCleanResultSchema = z.object({
  schemaVersion: z.literal(1),
  certificatesDir: z.string(),
  backupDir: z.string(),
  removed: z.array(z.string()),
  kept: z.array(z.object({ path: z.string(), reason: z.string() })),
});
/** Backup results. */
export type BackupCreateResultView = z.infer<typeof backupCreateResultSchema>;
/** A backup verification. */
export type BackupVerifyResultView = z.infer<typeof backupVerifyResultSchema>;
/** A restore. */
export type BackupRestoreResultView = z.infer<typeof backupRestoreResultSchema>;
/** A share clean-up. */
export type ShareCleanResultView = z.infer<typeof shareCleanResultSchema>;

/** The `keys export --json` document: one encrypted PKCS#8 file per key. */
export const keyExportResultSchema = z.object({
  schemaVersion: z.literal(1),
  outDir: z.string(),
  keys: z.array(z.object({ keyId: z.string(), endpoint: z.string(), file: z.string() })),
});
/** A key export. */
export type KeyExportResultView = z.infer<typeof keyExportResultSchema>;

const repackagedCertificate = z.object({ subject: z.string(), thumbprint: z.string() });
/** The `pfx repackage --json` document, with the engine's validation of the output. */
export const repackageResultSchema = z.object({
  schemaVersion: z.literal(1),
  input: z.string(),
  output: z.string(),
  profile: pfxProfile,
  chain: z.array(repackagedCertificate),
  chainComplete: z.boolean(),
  missingIssuer: z.string().nullable(),
  dropped: z.array(repackagedCertificate),
  reordered: z.boolean(),
  machineKeySetAdded: z.boolean(),
  passwordChanged: z.boolean(),
  written: z.object({ keyEncryption: z.string().nullable(), certificateEncryption: z.string().nullable(), mac: z.string().nullable(), machineKeySet: z.boolean() }),
  validation: z.object({
    basis: z.enum(['endpoint', 'sans', 'none']),
    region: z.string().nullable(),
    fqdn: z.string().nullable(),
    status: certificateStatus,
    note: z.string(),
    results: z.array(z.object({ endpoint: z.string().nullable(), status: certificateStatus, issues: z.array(z.object({ id: z.string(), status: checkStatus, message: z.string() })) })),
  }),
});
/** A repackaging and its validation. */
export type RepackageResultView = z.infer<typeof repackageResultSchema>;

/** Where a renewal takes subject, key size and signature algorithm from. */
export const renewalSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: file('the current certificate (.cer, .crt, .pem, .p7b)') }).strict(),
  z
    .object({
      kind: z.literal('endpoint'),
      /** The endpoint's DNS name (sent as SNI), optionally with its port. */
      endpoint: hostPort('the endpoint, for example portal.east.azurestack.contoso.com'),
      /** Connect here instead of resolving the name (a test bench, DNS not set up yet). */
      connect: hostPort('the address to connect to').nullable(),
    })
    .strict(),
]);
/** A renewal's source. */
export type RenewalSource = z.infer<typeof renewalSourceSchema>;

/** The Prepare workspace's channels. */
export const PREPARATION_CHANNELS = {
  'prep.previewTree': {
    request: z.object({ shareRoot: folder('the share folder'), identity }).strict(),
    response: treePreviewSchema,
  },
  'prep.makeDirs': {
    request: z.object({ shareRoot: folder('the share folder'), identity, paasDir: z.string().max(4096).nullable(), paas: z.array(paasProvider).max(5) }).strict(),
    response: makeDirsResultSchema,
  },
  'prep.place': {
    request: z
      .object({
        pfxFolder: folder('the folder with the PFX files'),
        shareRoot: folder('the share folder'),
        identity,
        region,
        fqdn,
        paasDir: z.string().max(4096).nullable(),
        /** The PFX password: used for this call only, never stored or logged. */
        password: z.string().max(1024),
      })
      .strict(),
    response: placementResultSchema,
  },
  'prep.shareTest': {
    request: z
      .object({
        path: folder('the share folder'),
        /** Windows only: connect with `net use` as this account first. */
        user: z.string().max(256).nullable(),
        /** The share password: passed to `net use` on stdin for this test only, never stored. */
        password: z.string().max(1024).nullable(),
      })
      .strict(),
    response: shareTestResultSchema,
  },
  'prep.generateCsrs': {
    request: z
      .object({
        region,
        fqdn,
        identity,
        subject: z.string().trim().min(1, 'Enter the subject, for example "C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub".').max(1024),
        paas: z.array(paasProvider).max(5),
        single: z.boolean(),
        keySize: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]),
        outDir: folder('the output folder'),
        /** The key-custody passphrase: used for this call only, never stored or logged. */
        passphrase: z.string().min(8, 'Use at least 8 characters for the key passphrase.').max(1024),
      })
      .strict(),
    response: csrResultSchema,
  },
  'prep.renewCsrs': {
    request: z
      .object({
        region,
        fqdn,
        identity,
        renewFrom: renewalSourceSchema,
        paas: z.array(paasProvider).max(5),
        single: z.boolean(),
        outDir: folder('the output folder'),
        /** The key-custody passphrase: used for this call only, never stored or logged. */
        passphrase: z.string().min(8, 'Use at least 8 characters for the key passphrase.').max(1024),
      })
      .strict(),
    response: csrResultSchema,
  },
  'prep.listKeys': { request: z.object({}).strict(), response: z.array(keyRequestSchema) },
  'prep.exportKeys': {
    request: z
      .object({
        /** Key ids to export; empty exports every stored key. */
        keyIds: z.array(z.string().regex(/^[0-9a-f]{16}$/, 'Not a key id.')).max(1000),
        outDir: folder('the export folder'),
        /** The key-custody passphrase: opens the keys and protects the exported files; never stored. */
        passphrase: z.string().min(1, 'Enter the key passphrase.').max(1024),
      })
      .strict(),
    response: keyExportResultSchema,
  },
  'prep.assemble': {
    request: z
      .object({
        issued: folder('the folder with the issued certificates'),
        chain: z.string().max(4096).nullable(),
        outDir: folder('the output folder'),
        profile: pfxProfile,
        currentCa: z.enum([...CA_KINDS, 'unknown']),
        /** The new PFX files' password and the key-custody passphrase: this call only, never stored. */
        password: z.string().min(1, 'Enter the PFX password for the new files.').max(1024),
        passphrase: z.string().min(1, 'Enter the key passphrase.').max(1024),
      })
      .strict(),
    response: assemblyResultSchema,
  },
  'prep.repackage': {
    request: z
      .object({
        input: file('the PFX to repackage'),
        output: file('the new PFX'),
        profile: pfxProfile,
        /** The endpoint to validate against; null: the endpoints its SANs serve. */
        endpoint: z.string().max(100).nullable(),
        /** The stamp's region and domain for the validation; null: read from the SANs. */
        region: region.nullable(),
        fqdn: fqdn.nullable(),
        currentCa: z.enum([...CA_KINDS, 'unknown']),
        /** The input's password and the output's new one (null: keep it): this call only, never stored. */
        password: z.string().max(1024),
        newPassword: z.string().min(1, 'Enter the new password, or leave it empty to keep the current one.').max(1024).nullable(),
      })
      .strict(),
    response: repackageResultSchema,
  },
  'prep.backupCreate': {
    request: z.object({ certificatesDir: folder('the Certificates folder'), to: folder('the backup folder') }).strict(),
    response: backupCreateResultSchema,
  },
  'prep.backupVerify': { request: z.object({ backupDir: folder('the backup folder') }).strict(), response: backupVerifyResultSchema },
  'prep.backupRestore': {
    request: z.object({ backupDir: folder('the backup folder'), to: folder('the Certificates folder') }).strict(),
    response: backupRestoreResultSchema,
  },
  'prep.cleanShare': {
    request: z.object({ certificatesDir: folder('the Certificates folder'), backupDir: folder('the backup folder') }).strict(),
    response: shareCleanResultSchema,
  },
} as const;
