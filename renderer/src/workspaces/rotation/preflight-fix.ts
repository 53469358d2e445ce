/**
 * Opens the workspace that fixes a pre-flight finding, prepared for the fix.
 *
 * The stamp profile opens in its editor; the share opens in Certificates ready to validate, or in Prepare's
 * backup section ready to back up or restore. The rotation form keeps what was typed (its store outlives the
 * workspace), so coming back to Rotate only needs pre-flight run again.
 */
import type { PreflightFix } from '../../../../shared/rotation/rotation-run';
import { useAppStore } from '../../stores/app-store';
import { usePreparationStore } from '../../stores/preparation-store';
import { useStampsStore } from '../../stores/stamps-store';
import { useValidationStore } from '../../stores/validation-store';

/**
 * Switches to the workspace of `fix`, filled in with the stamp and the share of the run.
 *
 * Focus moves to the new workspace's main region: the link that was pressed is gone with the Rotate
 * workspace, and keyboard users continue where the fix is.
 */
export function openPreflightFix(fix: PreflightFix, context: { stampId: number; share: string }): void {
  const share = context.share.trim();
  const app = useAppStore.getState();
  switch (fix.target) {
    case 'stamps':
      useStampsStore.getState().startEdit(context.stampId);
      app.setWorkspace('stamps');
      break;
    case 'certificates':
      if (share) useValidationStore.getState().setField('root', share);
      app.setWorkspace('certificates');
      break;
    case 'prepare-backup': {
      const prep = usePreparationStore.getState();
      prep.setSection('backup');
      if (share) prep.setField('certificatesDir', share);
      app.setWorkspace('prepare');
      break;
    }
  }
  requestAnimationFrame(() => document.getElementById('main')?.focus());
}
