/**
 * The "next step" links of the workspaces: each switches workspace and puts focus where the work continues,
 * because the button that was pressed is gone with the workspace it was in.
 */
import { useAppStore } from '../stores/app-store';
import { usePreparationStore } from '../stores/preparation-store';
import { useStampsStore } from '../stores/stamps-store';
import { useValidationStore } from '../stores/validation-store';

/** Opens Certificates on the setup form with the share folder focused, for the active stamp. */
export function goValidateShare(stampId: number | null): void {
  const app = useAppStore.getState();
  if (stampId !== null) app.setActiveStamp(stampId);
  useValidationStore.getState().expandForm('share-root');
  app.setWorkspace('certificates');
}

/** Opens a stamp's editor with one field focused (`stamp-ca` for the current CA kind). */
export function goEditStamp(stampId: number, focusField: string): void {
  useStampsStore.getState().startEdit(stampId, focusField);
  useAppStore.getState().setWorkspace('stamps');
}

/** Opens Prepare ▸ Back up with the validated share filled in. */
export function goBackUpShare(share: string): void {
  const prep = usePreparationStore.getState();
  prep.setSection('backup');
  if (share.trim()) prep.setField('certificatesDir', share.trim());
  useAppStore.getState().setWorkspace('prepare');
  requestAnimationFrame(() => document.getElementById('main')?.focus());
}
