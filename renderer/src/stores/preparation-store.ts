/**
 * The Prepare workspace: CSRs (new or renewed from a certificate file or a live endpoint), key export, PFX
 * assembly and repackaging, share tree, placement, share access test, backup/restore.
 *
 * Each section keeps its own form, busy flag, last result and error. Secrets (PFX password, key
 * passphrase, share password) live only in this store's memory and are wiped as soon as the request that
 * needed them has been sent, so nothing secret survives a call, a section switch or a reload.
 */
import { create } from 'zustand';
import type { PaasProvider } from '../../../shared/endpoints/catalog';
import type { IpcError, IpcResponse, IpcResult } from '../../../shared/ipc/contract';
import { fqdnProblem, regionProblem } from '../../../shared/stamps/stamp';
import type { CaKind, Stamp } from '../../../shared/stamps/stamp';
import { call } from '../lib/ipc';
import type { LastJob } from './app-store';
import { useAppStore } from './app-store';
import { useStampsStore } from './stamps-store';

/** The sections of the workspace, in the order of the preparation work. */
export const PREP_SECTIONS = [
  { id: 'csr', label: 'Requests' },
  { id: 'keyExport', label: 'Key export' },
  { id: 'assemble', label: 'Assembly' },
  { id: 'repackage', label: 'Repackage' },
  { id: 'tree', label: 'Share tree' },
  { id: 'place', label: 'Placement' },
  { id: 'access', label: 'Share access' },
  { id: 'backup', label: 'Backup' },
] as const;
/** A section id. */
export type PrepSection = (typeof PREP_SECTIONS)[number]['id'];

/** The stamp facts every section works with: the active stamp's, or typed in. */
export interface StampContext {
  region: string;
  fqdn: string;
  identity: 'aad' | 'adfs';
  paas: PaasProvider[];
  currentCa: CaKind | 'unknown';
}

/** The active stamp, or null (ad-hoc values). */
export function activePrepStamp(): Stamp | null {
  const id = useAppStore.getState().activeStampId;
  return id === null ? null : (useStampsStore.getState().stamps.find((s) => s.id === id) ?? null);
}

/** The context a request uses: the stamp's facts, else the ad-hoc fields. */
export function effectiveContext(adhoc: StampContext, stamp: Stamp | null): StampContext {
  return stamp
    ? { region: stamp.region, fqdn: stamp.externalFqdn, identity: stamp.identity, paas: stamp.resourceProviders, currentCa: stamp.currentCaKind }
    : adhoc;
}

/** Problems of the ad-hoc context (none with a stamp). */
export function contextProblems(adhoc: StampContext, stamp: Stamp | null): { region?: string; fqdn?: string } {
  if (stamp) return {};
  const out: { region?: string; fqdn?: string } = {};
  const r = regionProblem(adhoc.region.trim());
  if (r) out.region = r;
  const f = fqdnProblem(adhoc.fqdn.trim());
  if (f) out.fqdn = f;
  return out;
}

/** One section's request state. */
export interface Slot<R> {
  busy: boolean;
  result: R | null;
  error: IpcError | null;
}

const idle = <R>(): Slot<R> => ({ busy: false, result: null, error: null });

/** Folder fields that Browse can fill. */
export type FolderField = 'shareRoot' | 'paasDir' | 'pfxFolder' | 'accessPath' | 'csrOutDir' | 'issued' | 'chain' | 'assembleOutDir' | 'certificatesDir' | 'backupDir' | 'exportOutDir';

/** Where the requests' subject, key size and signature algorithm come from. */
export type CsrSource = 'subject' | 'file' | 'endpoint';

/** `HOST` or `HOST:PORT` (IPv6 in brackets), as the renewal channel takes it. */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** Every field the forms hold. */
export interface PrepForm {
  shareRoot: string;
  paasDir: string;
  pfxFolder: string;
  placePassword: string;
  accessPath: string;
  accessUser: string;
  accessPassword: string;
  csrSource: CsrSource;
  subject: string;
  renewFile: string;
  renewEndpoint: string;
  renewConnect: string;
  csrPaas: PaasProvider[];
  single: boolean;
  keySize: 2048 | 3072 | 4096;
  csrOutDir: string;
  csrPassphrase: string;
  issued: string;
  chain: string;
  assembleOutDir: string;
  profile: 'azure-stack' | 'modern';
  assemblePassword: string;
  assemblePassphrase: string;
  exportOutDir: string;
  exportPassphrase: string;
  /** Keys ticked for export; none ticked exports them all. */
  exportKeyIds: string[];
  repackInput: string;
  repackOutput: string;
  repackProfile: 'azure-stack' | 'modern';
  /** Endpoint to validate the output against; empty: the endpoints its SANs serve. */
  repackEndpoint: string;
  repackPassword: string;
  repackNewPassword: string;
  certificatesDir: string;
  backupDir: string;
}

const EMPTY_FORM: PrepForm = {
  shareRoot: '',
  paasDir: '',
  pfxFolder: '',
  placePassword: '',
  accessPath: '',
  accessUser: '',
  accessPassword: '',
  csrSource: 'subject',
  subject: '',
  renewFile: '',
  renewEndpoint: '',
  renewConnect: '',
  csrPaas: [],
  single: false,
  keySize: 2048,
  csrOutDir: '',
  csrPassphrase: '',
  issued: '',
  chain: '',
  assembleOutDir: '',
  profile: 'azure-stack',
  assemblePassword: '',
  assemblePassphrase: '',
  exportOutDir: '',
  exportPassphrase: '',
  exportKeyIds: [],
  repackInput: '',
  repackOutput: '',
  repackProfile: 'azure-stack',
  repackEndpoint: '',
  repackPassword: '',
  repackNewPassword: '',
  certificatesDir: '',
  backupDir: '',
};

/** A restore or clean waiting for the operator's confirmation. */
export type PendingConfirm = 'restore' | 'clean' | null;

/** State and actions of the Prepare workspace. */
export interface PreparationState {
  section: PrepSection;
  adhoc: StampContext;
  form: PrepForm;
  /** Fields whose problem is shown (after a submit attempt). */
  submitted: Partial<Record<PrepSection, boolean>>;
  tree: Slot<IpcResponse<'prep.previewTree'>> & { made: IpcResponse<'prep.makeDirs'> | null };
  place: Slot<IpcResponse<'prep.place'>>;
  access: Slot<IpcResponse<'prep.shareTest'>>;
  csr: Slot<IpcResponse<'prep.generateCsrs'>>;
  keys: Slot<IpcResponse<'prep.listKeys'>>;
  keyExport: Slot<IpcResponse<'prep.exportKeys'>>;
  assemble: Slot<IpcResponse<'prep.assemble'>>;
  repackage: Slot<IpcResponse<'prep.repackage'>>;
  backup: Slot<
    | { kind: 'create'; value: IpcResponse<'prep.backupCreate'> }
    | { kind: 'verify'; value: IpcResponse<'prep.backupVerify'> }
    | { kind: 'restore'; value: IpcResponse<'prep.backupRestore'> }
    | { kind: 'clean'; value: IpcResponse<'prep.cleanShare'> }
  >;
  confirm: PendingConfirm;
  browseError: IpcError | null;
  setSection(section: PrepSection): void;
  setAdhoc<K extends keyof StampContext>(key: K, value: StampContext[K]): void;
  setField<K extends keyof PrepForm>(key: K, value: PrepForm[K]): void;
  browse(field: FolderField): Promise<void>;
  previewTree(): Promise<void>;
  makeDirs(): Promise<void>;
  placeFiles(): Promise<void>;
  testAccess(): Promise<void>;
  generateCsrs(): Promise<void>;
  loadKeys(): Promise<void>;
  toggleExportKey(keyId: string, on: boolean): void;
  exportKeys(): Promise<void>;
  assemblePfx(): Promise<void>;
  repackagePfx(): Promise<void>;
  backupCreate(): Promise<void>;
  backupVerify(): Promise<void>;
  askConfirm(kind: PendingConfirm): void;
  confirmPending(): Promise<void>;
}

const BROWSE_TITLES: Record<FolderField, string> = {
  shareRoot: 'Choose the share folder (Certificates goes inside it)',
  paasDir: 'Choose the PaaS certificates folder',
  pfxFolder: 'Choose the folder with the PFX files to place',
  accessPath: 'Choose the share folder to test',
  csrOutDir: 'Choose where the requests go',
  issued: 'Choose the folder with the issued certificates',
  chain: 'Choose the folder with the CA certificates',
  assembleOutDir: 'Choose where the PFX files go',
  certificatesDir: "Choose the share's Certificates folder",
  backupDir: 'Choose the backup folder',
  exportOutDir: 'Choose where the encrypted key files go',
};

/** Required-field problems of a section's form, shown after a submit attempt. */
export function sectionProblems(section: PrepSection, form: PrepForm, adhoc: StampContext, stamp: Stamp | null): Record<string, string> {
  const out: Record<string, string> = {};
  const need = (key: keyof PrepForm, message: string) => {
    if (typeof form[key] === 'string' && !(form[key] as string).trim()) out[key] = message;
  };
  const ctx = contextProblems(adhoc, stamp);
  switch (section) {
    case 'tree':
      need('shareRoot', 'Choose the share folder.');
      break;
    case 'place':
      need('pfxFolder', 'Choose the folder with the PFX files.');
      need('shareRoot', 'Choose the share folder.');
      Object.assign(out, ctx);
      break;
    case 'access':
      need('accessPath', 'Choose the folder to test.');
      if (form.accessUser.trim() && !form.accessPassword) out.accessPassword = 'Enter the password of the share account.';
      break;
    case 'csr':
      if (form.csrSource === 'subject') need('subject', 'Enter the subject, for example C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub.');
      if (form.csrSource === 'file') need('renewFile', 'Enter the path of the current certificate (.cer, .crt, .pem or .p7b).');
      if (form.csrSource === 'endpoint') {
        need('renewEndpoint', 'Enter the endpoint, for example portal.east.azurestack.contoso.com.');
        if (form.renewEndpoint.trim() && !HOST_PORT.test(form.renewEndpoint.trim())) out.renewEndpoint = 'Write it as HOST or HOST:PORT, without https://.';
        if (form.renewConnect.trim() && !HOST_PORT.test(form.renewConnect.trim())) out.renewConnect = 'Write it as HOST or HOST:PORT, for example 10.0.0.20:443.';
      }
      need('csrOutDir', 'Choose where the requests go.');
      if (form.csrPassphrase.length < 8) out.csrPassphrase = 'Use at least 8 characters; keep the passphrase: assembly needs it.';
      Object.assign(out, ctx);
      break;
    case 'assemble':
      need('issued', 'Choose the folder with the issued certificates.');
      need('assembleOutDir', 'Choose where the PFX files go.');
      if (!form.assemblePassword) out.assemblePassword = 'Enter the password for the new PFX files (the share password).';
      if (!form.assemblePassphrase) out.assemblePassphrase = 'Enter the key passphrase used when the requests were made.';
      break;
    case 'keyExport':
      need('exportOutDir', 'Choose where the encrypted key files go.');
      if (!form.exportPassphrase) out.exportPassphrase = 'Enter the key passphrase used when the requests were made.';
      break;
    case 'repackage':
      need('repackInput', 'Enter the path of the PFX to repackage.');
      need('repackOutput', 'Enter the path of the new PFX.');
      if (form.repackInput.trim() && form.repackInput.trim() === form.repackOutput.trim()) out.repackOutput = 'Write to another file: keep the original until the new one validates.';
      break;
    case 'backup':
      need('certificatesDir', "Choose the share's Certificates folder.");
      need('backupDir', 'Choose the backup folder.');
      break;
  }
  return out;
}

/** The Prepare store. */
export const usePreparationStore = create<PreparationState>()((set, get) => {
  /** Runs a request for one slot: busy on, result or error in, busy off. */
  async function run<K extends 'tree' | 'place' | 'access' | 'csr' | 'keys' | 'keyExport' | 'assemble' | 'repackage', T>(
    slot: K,
    request: () => Promise<IpcResult<T>>,
    label: string | null,
    judge?: (value: T) => LastJob['status'],
  ): Promise<T | null> {
    set({ [slot]: { ...get()[slot], busy: true, error: null } } as unknown as Partial<PreparationState>);
    const result = await request();
    set({ [slot]: { ...get()[slot], busy: false, result: result.ok ? result.value : get()[slot].result, error: result.ok ? null : result.error } } as unknown as Partial<PreparationState>);
    // The secrets were wiped on sending: after a success their "required" problems would only nag.
    if (result.ok && slot !== 'keys') set({ submitted: { ...get().submitted, [slot]: false } });
    // A call that worked can still have produced a file that fails validation: the status bar says so.
    if (label) useAppStore.getState().reportJob({ label, status: result.ok ? (judge?.(result.value) ?? 'ok') : 'error', at: new Date().toISOString() });
    return result.ok ? result.value : null;
  }

  function guard(section: PrepSection): boolean {
    const problems = sectionProblems(section, get().form, get().adhoc, activePrepStamp());
    if (Object.keys(problems).length > 0) {
      set({ submitted: { ...get().submitted, [section]: true } });
      return false;
    }
    return true;
  }

  const context = () => effectiveContext(get().adhoc, activePrepStamp());

  async function backupCall(kind: 'create' | 'verify' | 'restore' | 'clean') {
    const form = get().form;
    set({ backup: { ...get().backup, busy: true, error: null } });
    let result: IpcResult<unknown>;
    if (kind === 'create') result = await call((api) => api.prep.backupCreate({ certificatesDir: form.certificatesDir.trim(), to: form.backupDir.trim() }));
    else if (kind === 'verify') result = await call((api) => api.prep.backupVerify({ backupDir: form.backupDir.trim() }));
    else if (kind === 'restore') result = await call((api) => api.prep.backupRestore({ backupDir: form.backupDir.trim(), to: form.certificatesDir.trim() }));
    else result = await call((api) => api.prep.cleanShare({ certificatesDir: form.certificatesDir.trim(), backupDir: form.backupDir.trim() }));
    set({
      backup: {
        busy: false,
        result: result.ok ? ({ kind, value: result.value } as PreparationState['backup']['result']) : get().backup.result,
        error: result.ok ? null : result.error,
      },
    });
    if (result.ok) set({ submitted: { ...get().submitted, backup: false } });
    const labels = { create: 'Backup of the share', verify: 'Backup verification', restore: 'Restore into the share', clean: 'Clean-up of the share' };
    useAppStore.getState().reportJob({ label: labels[kind], status: result.ok ? 'ok' : 'error', at: new Date().toISOString() });
  }

  return {
    section: 'csr',
    adhoc: { region: '', fqdn: '', identity: 'adfs', paas: [], currentCa: 'unknown' },
    form: { ...EMPTY_FORM },
    submitted: {},
    tree: { ...idle(), made: null },
    place: idle(),
    access: idle(),
    csr: idle(),
    keys: idle(),
    keyExport: idle(),
    assemble: idle(),
    repackage: idle(),
    backup: idle(),
    confirm: null,
    browseError: null,

    setSection(section) {
      set({ section });
    },

    setAdhoc(key, value) {
      set({ adhoc: { ...get().adhoc, [key]: value } });
    },

    setField(key, value) {
      set({ form: { ...get().form, [key]: value } });
    },

    async browse(field) {
      const result = await call((api) => api.dialogs.openFolder({ title: BROWSE_TITLES[field] }));
      if (!result.ok) {
        set({ browseError: result.error });
        return;
      }
      set({ browseError: null });
      if (result.value.path === null) return;
      set({ form: { ...get().form, [field]: result.value.path } });
    },

    async previewTree() {
      if (!guard('tree')) return;
      await run('tree', () => call((api) => api.prep.previewTree({ shareRoot: get().form.shareRoot.trim(), identity: context().identity })), null);
    },

    async makeDirs() {
      if (!guard('tree')) return;
      const ctx = context();
      set({ tree: { ...get().tree, busy: true, error: null } });
      const result = await call((api) =>
        api.prep.makeDirs({ shareRoot: get().form.shareRoot.trim(), identity: ctx.identity, paasDir: get().form.paasDir.trim() || null, paas: get().form.paasDir.trim() ? ctx.paas : [] }),
      );
      set({ tree: { ...get().tree, busy: false, made: result.ok ? result.value : get().tree.made, error: result.ok ? null : result.error } });
      useAppStore.getState().reportJob({ label: 'Share tree', status: result.ok ? 'ok' : 'error', at: new Date().toISOString() });
      if (result.ok) await get().previewTree();
    },

    async placeFiles() {
      if (!guard('place')) return;
      const ctx = context();
      const form = get().form;
      const password = form.placePassword;
      set({ form: { ...form, placePassword: '' } });
      await run(
        'place',
        () =>
          call((api) =>
            api.prep.place({ pfxFolder: form.pfxFolder.trim(), shareRoot: form.shareRoot.trim(), identity: ctx.identity, region: ctx.region.trim(), fqdn: ctx.fqdn.trim(), paasDir: form.paasDir.trim() || null, password }),
          ),
        'Placement into the share',
      );
    },

    async testAccess() {
      if (!guard('access')) return;
      const form = get().form;
      const password = form.accessPassword;
      set({ form: { ...form, accessPassword: '' } });
      await run(
        'access',
        () => call((api) => api.prep.shareTest({ path: form.accessPath.trim(), user: form.accessUser.trim() || null, password: form.accessUser.trim() ? password : null })),
        'Share access test',
      );
    },

    async generateCsrs() {
      if (!guard('csr')) return;
      const ctx = context();
      const form = get().form;
      const passphrase = form.csrPassphrase;
      set({ form: { ...form, csrPassphrase: '' } });
      if (form.csrSource !== 'subject') {
        const renewFrom =
          form.csrSource === 'file'
            ? ({ kind: 'file', file: form.renewFile.trim() } as const)
            : ({ kind: 'endpoint', endpoint: form.renewEndpoint.trim(), connect: form.renewConnect.trim() || null } as const);
        const renewed = await run(
          'csr',
          () =>
            call((api) =>
              api.prep.renewCsrs({
                region: ctx.region.trim(),
                fqdn: ctx.fqdn.trim(),
                identity: ctx.identity,
                renewFrom,
                paas: form.csrPaas,
                single: form.single,
                outDir: form.csrOutDir.trim(),
                passphrase,
              }),
            ),
          'Renewal requests',
        );
        if (renewed) await get().loadKeys();
        return;
      }
      const value = await run(
        'csr',
        () =>
          call((api) =>
            api.prep.generateCsrs({
              region: ctx.region.trim(),
              fqdn: ctx.fqdn.trim(),
              identity: ctx.identity,
              subject: form.subject.trim(),
              paas: form.csrPaas,
              single: form.single,
              keySize: form.keySize,
              outDir: form.csrOutDir.trim(),
              passphrase,
            }),
          ),
        'Certificate requests',
      );
      if (value) await get().loadKeys();
    },

    async loadKeys() {
      await run('keys', () => call((api) => api.prep.listKeys({})), null);
    },

    toggleExportKey(keyId, on) {
      const ids = get().form.exportKeyIds.filter((id) => id !== keyId);
      set({ form: { ...get().form, exportKeyIds: on ? [...ids, keyId] : ids } });
    },

    async exportKeys() {
      if (!guard('keyExport')) return;
      const form = get().form;
      const passphrase = form.exportPassphrase;
      set({ form: { ...form, exportPassphrase: '' } });
      // Only ids still in the store: a key list reloaded since the ticks must not export a stale id.
      const known = new Set((get().keys.result ?? []).map((k) => k.keyId));
      const keyIds = form.exportKeyIds.filter((id) => known.has(id));
      await run('keyExport', () => call((api) => api.prep.exportKeys({ keyIds, outDir: form.exportOutDir.trim(), passphrase })), 'Key export');
    },

    async repackagePfx() {
      if (!guard('repackage')) return;
      const stamp = activePrepStamp();
      const ctx = context();
      const form = get().form;
      // Region and domain for the validation: the stamp's, or the typed ones when they are valid; else the
      // service reads them from the SANs.
      const haveContext = Object.keys(contextProblems(get().adhoc, stamp)).length === 0;
      const { repackPassword: password, repackNewPassword: newPassword } = form;
      set({ form: { ...form, repackPassword: '', repackNewPassword: '' } });
      await run(
        'repackage',
        () =>
          call((api) =>
            api.prep.repackage({
              input: form.repackInput.trim(),
              output: form.repackOutput.trim(),
              profile: form.repackProfile,
              endpoint: form.repackEndpoint || null,
              region: haveContext ? ctx.region.trim() : null,
              fqdn: haveContext ? ctx.fqdn.trim() : null,
              currentCa: ctx.currentCa,
              password,
              newPassword: newPassword || null,
            }),
          ),
        'PFX repackage',
        (value) => value.validation.status,
      );
    },

    async assemblePfx() {
      if (!guard('assemble')) return;
      const ctx = context();
      const form = get().form;
      const { assemblePassword: password, assemblePassphrase: passphrase } = form;
      set({ form: { ...form, assemblePassword: '', assemblePassphrase: '' } });
      const value = await run(
        'assemble',
        () =>
          call((api) =>
            api.prep.assemble({ issued: form.issued.trim(), chain: form.chain.trim() || null, outDir: form.assembleOutDir.trim(), profile: form.profile, currentCa: ctx.currentCa, password, passphrase }),
          ),
        'PFX assembly',
        (value) => (value.summary.fail > 0 || value.summary.problems > 0 ? 'fail' : value.summary.warning > 0 ? 'warning' : 'ok'),
      );
      if (value) await get().loadKeys();
    },

    async backupCreate() {
      if (!guard('backup')) return;
      await backupCall('create');
    },

    async backupVerify() {
      if (!get().form.backupDir.trim()) {
        set({ submitted: { ...get().submitted, backup: true } });
        return;
      }
      await backupCall('verify');
    },

    askConfirm(kind) {
      if (kind && !guard('backup')) return;
      set({ confirm: kind });
    },

    async confirmPending() {
      const kind = get().confirm;
      set({ confirm: null });
      if (kind) await backupCall(kind);
    },
  };
});
