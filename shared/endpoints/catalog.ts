/**
 * The Azure Stack Hub endpoint catalog: share folders, DNS names, identity systems and PaaS providers.
 *
 * Source of truth for the share layout (`endpoints.md`): the rotation share holds
 * `Certificates/<AAD|ADFS>/<folder>/<one>.pfx`, and each endpoint needs a SAN covering its name.
 */

/** Identity system of a stamp; decides the second level folder and the two AD FS-only endpoints. */
export type IdentitySystem = 'aad' | 'adfs';

/** Folder name under `Certificates` for each identity system, exactly as the PEP expects it. */
export const IDENTITY_FOLDER: Record<IdentitySystem, 'AAD' | 'ADFS'> = { aad: 'AAD', adfs: 'ADFS' };

/** PaaS / value-add provider keys accepted by `--paas` lists. */
export type PaasProvider = 'appservices' | 'dbadapter' | 'eventhubs' | 'iothub' | 'acr';

/** Every PaaS provider key, in catalog order. */
export const PAAS_PROVIDERS: readonly PaasProvider[] = ['appservices', 'dbadapter', 'eventhubs', 'iothub', 'acr'];

/** One required DNS name of an endpoint, relative to `<region>.<fqdn>`. */
export interface RequiredName {
  /** Name pattern with `{base}` standing for `<region>.<fqdn>`, e.g. `*.blob.{base}`. */
  readonly pattern: string;
  /**
   * True for a concrete name that a broader wildcard must not stand in for (App Service API, publishing,
   * identity): the SAN must hold the name itself.
   */
  readonly concreteOnly?: boolean;
}

/** An endpoint that needs its own certificate (one folder, one PFX). */
export interface EndpointDefinition {
  /** Stable name used by `--endpoint` and in reports (equals the folder for mandatory endpoints). */
  readonly name: string;
  /** Folder path relative to the identity folder (mandatory) or to the PaaS root (PaaS), `/`-separated. */
  readonly folder: string;
  readonly kind: 'mandatory' | 'paas';
  /** Identity systems that need this endpoint (mandatory endpoints only). */
  readonly identities: readonly IdentitySystem[];
  /** The PaaS provider the endpoint belongs to (PaaS only). */
  readonly provider?: PaasProvider;
  readonly names: readonly RequiredName[];
  readonly description: string;
}

const BOTH: readonly IdentitySystem[] = ['aad', 'adfs'];

function mandatory(folder: string, pattern: string, description: string, identities = BOTH): EndpointDefinition {
  return { name: folder, folder, kind: 'mandatory', identities, names: [{ pattern }], description };
}

function paas(
  name: string,
  folder: string,
  provider: PaasProvider,
  names: readonly RequiredName[],
  description: string,
): EndpointDefinition {
  return { name, folder, kind: 'paas', identities: BOTH, provider, names, description };
}

/** All endpoints in the documented order: 13 mandatory (11 for AAD) then the PaaS ones. */
export const ENDPOINTS: readonly EndpointDefinition[] = [
  mandatory('Public Portal', 'portal.{base}', 'User portal'),
  mandatory('Admin Portal', 'adminportal.{base}', 'Administrator portal'),
  mandatory('ARM Public', 'management.{base}', 'Azure Resource Manager (users)'),
  mandatory('ARM Admin', 'adminmanagement.{base}', 'Azure Resource Manager (administrators)'),
  mandatory('ACSBlob', '*.blob.{base}', 'Storage blobs'),
  mandatory('ACSTable', '*.table.{base}', 'Storage tables'),
  mandatory('ACSQueue', '*.queue.{base}', 'Storage queues'),
  mandatory('KeyVault', '*.vault.{base}', 'Key Vault (users)'),
  mandatory('KeyVaultInternal', '*.adminvault.{base}', 'Key Vault (administrators)'),
  mandatory('Public Extension Host', '*.hosting.{base}', 'Portal extension host (users)'),
  mandatory('Admin Extension Host', '*.adminhosting.{base}', 'Portal extension host (administrators)'),
  mandatory('ADFS', 'adfs.{base}', 'AD FS', ['adfs']),
  mandatory('Graph', 'graph.{base}', 'Graph', ['adfs']),
  paas(
    'AppServices/DefaultDomain',
    'AppServices/DefaultDomain',
    'appservices',
    [{ pattern: '*.appservice.{base}' }, { pattern: '*.scm.appservice.{base}' }, { pattern: '*.sso.appservice.{base}' }],
    'App Service default domain',
  ),
  paas('AppServices/API', 'AppServices/API', 'appservices', [{ pattern: 'api.appservice.{base}', concreteOnly: true }], 'App Service API'),
  paas(
    'AppServices/Publishing',
    'AppServices/Publishing',
    'appservices',
    [{ pattern: 'ftp.appservice.{base}', concreteOnly: true }],
    'App Service publishing',
  ),
  paas(
    'AppServices/Identity',
    'AppServices/Identity',
    'appservices',
    [{ pattern: 'sso.appservice.{base}', concreteOnly: true }],
    'App Service identity',
  ),
  paas('DBAdapter', 'DBAdapter', 'dbadapter', [{ pattern: '*.dbadapter.{base}' }], 'SQL / MySQL adapter'),
  paas('EventHubs', 'EventHubs', 'eventhubs', [{ pattern: '*.eventhub.{base}' }], 'Event Hubs'),
  paas('IoTHub', 'IoTHub', 'iothub', [{ pattern: '*.mgmtiothub.{base}' }], 'IoT Hub'),
  paas('ACR', 'ACR', 'acr', [{ pattern: '*.azsacr.{base}' }], 'Container registry (2108+)'),
];

/** The mandatory endpoints for an identity system, in documented order (11 for AAD, 13 for AD FS). */
export function mandatoryEndpoints(identity: IdentitySystem): EndpointDefinition[] {
  return ENDPOINTS.filter((e) => e.kind === 'mandatory' && e.identities.includes(identity));
}

/** The PaaS endpoints, optionally only those of the given providers. */
export function paasEndpoints(providers?: readonly PaasProvider[]): EndpointDefinition[] {
  return ENDPOINTS.filter((e) => e.kind === 'paas' && (!providers || providers.includes(e.provider as PaasProvider)));
}

/** Finds an endpoint by name or folder, case-insensitively (`--endpoint` accepts either). */
export function findEndpoint(name: string): EndpointDefinition | undefined {
  const wanted = name.replace(/\\/g, '/').toLowerCase();
  return ENDPOINTS.find((e) => e.name.toLowerCase() === wanted || e.folder.toLowerCase() === wanted);
}

/** `<region>.<fqdn>`, lower-cased: the base of every external name. */
export function externalBase(region: string, fqdn: string): string {
  return `${region}.${fqdn}`.toLowerCase().replace(/\.$/, '');
}

/** The concrete DNS names an endpoint requires for a stamp, e.g. `*.blob.east.azurestack.contoso.com`. */
export function requiredNames(endpoint: EndpointDefinition, region: string, fqdn: string): string[] {
  const base = externalBase(region, fqdn);
  return endpoint.names.map((n) => n.pattern.replace('{base}', base));
}

/** Parses a `--paas` comma list; returns the unknown entries separately so callers can name them. */
export function parsePaasList(list: string): { providers: PaasProvider[]; unknown: string[] } {
  const providers: PaasProvider[] = [];
  const unknown: string[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    if ((PAAS_PROVIDERS as readonly string[]).includes(item)) {
      if (!providers.includes(item as PaasProvider)) providers.push(item as PaasProvider);
    } else unknown.push(raw.trim());
  }
  return { providers, unknown };
}
