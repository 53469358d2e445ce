/**
 * Form pieces the Prepare sections share: a folder field with Browse, a typed path or address field, a
 * secret field, result lists.
 *
 * Secret inputs never autocomplete and are cleared by the store once their request has left.
 */
import { Field } from '../../components/field';
import { FolderIcon } from '../../components/icons';
import type { FolderField, PrepForm } from '../../stores/preparation-store';
import { usePreparationStore } from '../../stores/preparation-store';

/** A path field with a Browse button that opens the native folder dialog. */
export function FolderInput({ field, label, hint, problem, disabled }: { field: FolderField; label: string; hint?: string; problem?: string | null; disabled?: boolean }) {
  const value = usePreparationStore((s) => s.form[field]);
  const setField = usePreparationStore((s) => s.setField);
  const browse = usePreparationStore((s) => s.browse);
  const id = `prep-${field}`;
  return (
    <Field id={id} label={label} hint={hint} problem={problem ?? null}>
      {(a) => (
        <div className="input-group">
          <input
            {...a}
            className="input mono"
            value={value}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            onChange={(e) => setField(field, e.target.value)}
          />
          <button type="button" className="btn" disabled={disabled} onClick={() => void browse(field)}>
            <FolderIcon />
            Browse…
          </button>
        </div>
      )}
    </Field>
  );
}

/** Keys of the form that hold a typed file path or network address. */
export type TextKey = 'renewFile' | 'renewEndpoint' | 'renewConnect' | 'repackInput' | 'repackOutput';

/**
 * A file path or `HOST[:PORT]` field: monospace, no spell check, no autocomplete.
 *
 * File paths are typed or pasted: the app's dialogs pick folders, and a file's folder plus its name is what
 * operators copy from Explorer anyway.
 */
export function TextInput({ field, label, hint, problem, disabled, placeholder }: { field: TextKey; label: string; hint?: string; problem?: string | null; disabled?: boolean; placeholder?: string }) {
  const value = usePreparationStore((s) => s.form[field]);
  const setField = usePreparationStore((s) => s.setField);
  return (
    <Field id={`prep-${field}`} label={label} hint={hint} problem={problem ?? null}>
      {(a) => (
        <input
          {...a}
          className="input mono"
          value={value}
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          disabled={disabled}
          onChange={(e) => setField(field, e.target.value)}
        />
      )}
    </Field>
  );
}

/** Keys of the form that hold secrets. */
type SecretKey = 'placePassword' | 'accessPassword' | 'csrPassphrase' | 'assemblePassword' | 'assemblePassphrase' | 'exportPassphrase' | 'repackPassword' | 'repackNewPassword';

/** A password or passphrase field: masked, never autocompleted, wiped after use. */
export function SecretInput({ field, label, hint, problem, disabled }: { field: SecretKey; label: string; hint?: string; problem?: string | null; disabled?: boolean }) {
  const value = usePreparationStore((s) => s.form[field]);
  const setField = usePreparationStore((s) => s.setField);
  return (
    <Field id={`prep-${field}`} label={label} hint={hint} problem={problem ?? null}>
      {(a) => (
        <input
          {...a}
          type="password"
          className="input"
          value={value}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          onChange={(e) => setField(field, e.target.value as PrepForm[SecretKey])}
        />
      )}
    </Field>
  );
}

/** The last part of a path, for compact lists (the full path is in the title). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** A path shown in monospace, shortened to its last parts with the full path on hover. */
export function PathText({ path, parts = 3 }: { path: string; parts?: number }) {
  const segments = path.split(/[\\/]/).filter(Boolean);
  const shown = segments.length > parts ? `…/${segments.slice(-parts).join('/')}` : path;
  return (
    <span className="mono prep-path" title={path}>
      {shown}
    </span>
  );
}
