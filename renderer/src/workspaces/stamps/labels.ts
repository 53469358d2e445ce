/**
 * Words for stamp profile values, shared by the Stamps and Certificates workspaces.
 */
import type { PaasProvider } from '../../../../shared/endpoints/catalog';
import type { CaKind } from '../../../../shared/stamps/stamp';

/** Display name of each CA kind. */
export const CA_KIND_LABELS: Record<CaKind | 'unknown', string> = {
  'self-signed': 'Self-signed (deployment CA)',
  enterprise: 'Enterprise CA',
  public: 'Public CA',
  unknown: 'Unknown',
};

/** Short CA kind names for table cells. */
export const CA_KIND_SHORT: Record<CaKind | 'unknown', string> = {
  'self-signed': 'Self-signed',
  enterprise: 'Enterprise',
  public: 'Public',
  unknown: 'Unknown',
};

/** Display name of each PaaS resource provider. */
export const PROVIDER_LABELS: Record<PaasProvider, string> = {
  appservices: 'App Service',
  dbadapter: 'SQL / MySQL adapter',
  eventhubs: 'Event Hubs',
  iothub: 'IoT Hub',
  acr: 'Container registry (ACR)',
};

/** Display name of an identity system. */
export function identityLabel(identity: 'aad' | 'adfs'): string {
  return identity === 'adfs' ? 'AD FS' : 'Azure AD';
}
