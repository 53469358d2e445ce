/**
 * The workspaces the sidebar offers, in order.
 *
 * Navigation, the main heading and the rendered workspace all come from this list, so a new workspace
 * (rotation runs, logs…) is one entry here.
 */
import type { ComponentType } from 'react';
import { CertificateIcon, StampIcon } from '../components/icons';
import { CertificatesWorkspace } from './certificates/certificates-workspace';
import { StampsWorkspace } from './stamps/stamps-workspace';

/** One workspace of the app frame. */
export interface WorkspaceDefinition {
  id: string;
  label: string;
  icon: ComponentType;
  component: ComponentType;
}

/** Every workspace, in sidebar order. */
export const WORKSPACES: readonly WorkspaceDefinition[] = [
  { id: 'stamps', label: 'Stamps', icon: StampIcon, component: StampsWorkspace },
  { id: 'certificates', label: 'Certificates', icon: CertificateIcon, component: CertificatesWorkspace },
];

/** The workspace with this id, or the first one. */
export function findWorkspace(id: string): WorkspaceDefinition {
  return WORKSPACES.find((w) => w.id === id) ?? (WORKSPACES[0] as WorkspaceDefinition);
}
