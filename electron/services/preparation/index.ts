/**
 * The preparation service: everything between "we need new certificates" and "the share is ready".
 *
 * Share placement and access tests, CSRs with key custody, PFX assembly and repackaging, and backups of
 * the share — one door for the CLI and the Electron backend, each action recorded in the audit log.
 */
export { actorFor, type PrepContext } from './context';
export { placePfxFiles, sansMatchEndpoint, certificatesDirOf, type PlacementEntry, type PlacementOptions, type PlacementResult, type PlacementStatus } from './placement';
export { makeShareTree, previewShareTree, recordShareTree } from './tree-preview';
export { testShareAccess, SHARE_PROBLEM_CODES, type ShareProblemCode, type ShareStep, type ShareTestOptions, type ShareTestResult, type ShareFs } from './share-access';
export { buildNetUseConnect, buildNetUseDisconnect, isUncPath, netUseProblem, uncShareRoot, type CommandRunner, type CommandSpec } from './net-use';
export { endpointLabel, generateRequests, planRequests, ALL_ENDPOINTS, type CsrOptions, type CsrResult, type GeneratedRequest, type RenewalEndpoint } from './csr';
export { KEY_SIZES, SIGNATURE_HASHES, parseSubject, type SignatureHash } from './csr-builder';
export { WrongPassphraseError, passphraseProblem, MIN_PASSPHRASE_LENGTH } from './key-custody';
export { exportKeys, listKeyRequests, type ExportedKey, type KeyExportResult } from './key-export';
export { assemblePfxFiles, type AssembleOptions, type AssembledPfx, type AssemblyProblem, type AssemblyResult } from './assemble';
export { repackagePfx, type RepackageOptions, type RepackageResult, type RepackageValidation, type RepackageVerdict } from './repackage';
export { MODERN_PROFILE_NOTE, stampBaseFromSans } from './output-validation';
export { PFX_PROFILES, type PfxProfile } from './pkcs12-writer';
export {
  cleanShare,
  createBackup,
  restoreBackup,
  verifyBackup,
  type BackupCreateResult,
  type BackupRestoreResult,
  type BackupVerifyResult,
  type ShareCleanResult,
} from './backup';
