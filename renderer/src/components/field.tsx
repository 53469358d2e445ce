/**
 * A labelled form field with its hint and inline problem.
 *
 * The control is passed as a render function so it receives the ids and ARIA attributes that tie the
 * label, hint and problem to it (aria-invalid, aria-describedby).
 */
import type { ReactNode } from 'react';

/** ARIA wiring handed to a field's control. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** One field: label above, control, then hint or problem below. */
export function Field({
  id,
  label,
  hint,
  problem,
  className,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  problem?: string | null;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const problemId = problem ? `${id}-problem` : undefined;
  const describedBy = [problemId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${problem ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(problem), 'aria-describedby': describedBy })}
      {problem ? (
        <p className="field-problem" id={problemId}>
          <span aria-hidden="true">✗ </span>
          {problem}
        </p>
      ) : hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
