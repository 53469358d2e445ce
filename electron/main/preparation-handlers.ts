/**
 * Handlers of the Prepare workspace's channels (`prep.*`): thin adapters from the contract to the
 * preparation service, which records every action in the audit log itself.
 *
 * Secrets in requests (PFX password, key passphrase, share password) go straight to the service call and
 * nowhere else: not into the audit log, not into diagnostics.
 */
import path from 'node:path';
import type { RenewalSource } from '../../shared/ipc/preparation-contract';
import { AppError } from '../services/errors';
import type { PrepContext } from '../services/preparation/index';
import {
  assemblePfxFiles,
  cleanShare,
  createBackup,
  exportKeys,
  generateRequests,
  listKeyRequests,
  makeShareTree,
  placePfxFiles,
  previewShareTree,
  repackagePfx,
  restoreBackup,
  testShareAccess,
  verifyBackup,
} from '../services/preparation/index';
import type { RenewalEndpoint } from '../services/preparation/index';
import { errnoOf, describeErrno } from '../services/preparation/safe-files';
import { parseConnect } from '../services/probe/index';
import type { Store } from '../services/store/index';
import type { IpcRegistry } from './ipc-registry';

/** What the preparation handlers need from the backend. */
export interface PreparationHandlerContext {
  store: Store;
  actor: string;
  now: () => Date;
  platform: NodeJS.Platform;
}

/** The live endpoint of a renewal request: `HOST[:PORT]` and the optional address to connect to instead. */
function renewalEndpoint(source: Extract<RenewalSource, { kind: 'endpoint' }>): RenewalEndpoint {
  const target = parseConnect(source.endpoint);
  if (!target) throw new AppError('invalid-request', `"${source.endpoint}" is not HOST or HOST:PORT (port 1-65535).`, 'Enter the endpoint name, for example portal.east.azurestack.contoso.com.');
  const connect = source.connect ? parseConnect(source.connect) : null;
  if (source.connect && !connect) throw new AppError('invalid-request', `"${source.connect}" is not HOST or HOST:PORT (port 1-65535).`, 'Enter the address to connect to, for example 10.0.0.20:443, or leave it empty.');
  return { host: target.host, port: target.port, connect };
}

/**
 * Registers every `prep.*` handler on the registry.
 *
 * Errors an operator can act on leave as `AppError`s from the service; file-system errors of `make-dirs`
 * (which predates `AppError`) are wrapped here.
 */
export function registerPreparationHandlers(registry: IpcRegistry, options: PreparationHandlerContext): void {
  const ctx: PrepContext = { store: options.store, actor: options.actor, now: options.now };

  registry.handle('prep.previewTree', ({ shareRoot, identity }) => previewShareTree(shareRoot, identity));

  registry.handle('prep.makeDirs', ({ shareRoot, identity, paasDir, paas }) => {
    try {
      return makeShareTree(path.resolve(shareRoot), identity, { paasDir: paasDir ? path.resolve(paasDir) : null, paas }, ctx);
    } catch (error) {
      const code = errnoOf(error);
      throw new AppError(
        'io-error',
        code ? `Cannot create the tree under ${shareRoot}: ${describeErrno(code)}.` : `Cannot create the tree under ${shareRoot}: ${(error as Error).message}`,
        'Check that the share is reachable and writable for this account (run the share access test), then try again.',
        { cause: error },
      );
    }
  });

  registry.handle('prep.place', (request) => placePfxFiles({ ...request, paasDir: request.paasDir || null }, ctx));

  registry.handle('prep.shareTest', ({ path: target, user, password }) =>
    testShareAccess({ path: target, credential: user ? { user, password: password ?? '' } : null, platform: options.platform }, ctx),
  );

  registry.handle('prep.generateCsrs', (request) =>
    generateRequests(
      {
        region: request.region,
        fqdn: request.fqdn,
        identity: request.identity,
        subject: request.subject,
        paas: request.paas,
        single: request.single,
        keySize: request.keySize,
        outDir: request.outDir,
        passphrase: request.passphrase,
      },
      ctx,
    ),
  );

  registry.handle('prep.renewCsrs', (request) =>
    generateRequests(
      {
        region: request.region,
        fqdn: request.fqdn,
        identity: request.identity,
        paas: request.paas,
        single: request.single,
        fromCert: request.renewFrom.kind === 'file' ? request.renewFrom.file : null,
        fromEndpoint: request.renewFrom.kind === 'endpoint' ? renewalEndpoint(request.renewFrom) : null,
        outDir: request.outDir,
        passphrase: request.passphrase,
      },
      ctx,
    ),
  );

  registry.handle('prep.listKeys', () => listKeyRequests(ctx).map(({ keyFile: _keyFile, ...request }) => request));

  registry.handle('prep.exportKeys', ({ keyIds, outDir, passphrase }) => exportKeys({ keyIds, outDir, passphrase }, ctx));

  registry.handle('prep.assemble', (request) =>
    assemblePfxFiles(
      {
        issued: request.issued,
        chain: request.chain || null,
        outDir: request.outDir,
        password: request.password,
        passphrase: request.passphrase,
        profile: request.profile,
        currentCa: request.currentCa === 'unknown' ? null : request.currentCa,
      },
      ctx,
    ),
  );

  registry.handle('prep.repackage', (request) =>
    repackagePfx(
      {
        input: request.input,
        output: request.output,
        password: request.password,
        newPassword: request.newPassword,
        profile: request.profile,
        endpoint: request.endpoint,
        region: request.region,
        fqdn: request.fqdn,
        currentCa: request.currentCa === 'unknown' ? null : request.currentCa,
      },
      ctx,
    ),
  );

  registry.handle('prep.backupCreate', ({ certificatesDir, to }) => createBackup({ certificatesDir, to }, ctx));
  registry.handle('prep.backupVerify', ({ backupDir }) => verifyBackup(backupDir, ctx));
  registry.handle('prep.backupRestore', ({ backupDir, to }) => restoreBackup({ backupDir, to }, ctx));
  registry.handle('prep.cleanShare', ({ certificatesDir, backupDir }) => cleanShare({ certificatesDir, backupDir }, ctx));
}
