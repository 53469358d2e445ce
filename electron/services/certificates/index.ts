/**
 * The certificate service: share validation, single-file validation, PFX inspection and share trees.
 *
 * The one door the CLI and the Electron main process use for certificate work.
 */
export { validateFile, validateShare } from './validate-share';
export type { CommonValidationOptions, ShareValidationOptions } from './validate-share';
export { ShareAccessError } from './share-structure';
export { NOT_A_REGULAR_FILE, describeFsCode, describeFsError, pathKind } from './fs-errors';
export type { PathKind } from './fs-errors';
export { inspectPfx } from './inspect';
export type { PfxInspection } from './inspect';
export { makeShareDirs } from './make-dirs';
export type { MakeDirsResult } from './make-dirs';
// The benchmark switches the KDF of the bundled engine it measures: importing pkcs12-kdf.ts on its own
// would give it a second copy of the module, and switching that one changes nothing it times.
export { sha1EngineInUse, useSha1Engine, warmUpKdf } from './pkcs12-kdf';
