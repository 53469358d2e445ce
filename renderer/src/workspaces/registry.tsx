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
import { DashboardWorkspace } from './dashboard/dashboard-workspace';
import { ChecklistIcon, GaugeIcon } from './procedures/procedure-icons';
import { ProceduresWorkspace } from './procedures/procedures-workspace';
import { LogsIcon } from './logs/logs-icon';
import { LogsWorkspace } from './logs/logs-workspace';
import { PrepareIcon } from './preparation/preparation-icon';
import { PreparationWorkspace } from './preparation/preparation-workspace';
import { RotateIcon } from './rotation/rotation-icon';
import { RotationWorkspace } from './rotation/rotation-workspace';
import { ReviewChecklists, ReviewPrepare, reviewAware } from './review/review-workspaces';

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
  { id: 'prepare', label: 'Prepare', icon: PrepareIcon, component: reviewAware(PreparationWorkspace, ReviewPrepare) },
  { id: 'procedures', label: 'Procedures', icon: ChecklistIcon, component: reviewAware(ProceduresWorkspace, ReviewChecklists) },
  { id: 'rotation', label: 'Rotate', icon: RotateIcon, component: RotationWorkspace },
  { id: 'dashboard', label: 'Dashboard', icon: GaugeIcon, component: DashboardWorkspace },
  { id: 'logs', label: 'Logs', icon: LogsIcon, component: LogsWorkspace },
];

/** The workspace with this id, or the first one. */
export function findWorkspace(id: string): WorkspaceDefinition {
  return WORKSPACES.find((w) => w.id === id) ?? (WORKSPACES[0] as WorkspaceDefinition);
}
