/**
 * The Prepare workspace's sidebar icon: a folder with a key.
 *
 * Drawn like the shared icons (16×16, stroke only, decorative) so the sidebar stays uniform.
 */

/** A folder with a key: the Prepare workspace. */
export function PrepareIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M1.5 4.5v8a1 1 0 0 0 1 1h6M1.5 4.5a1 1 0 0 1 1-1h3l1.5 1.5h6a1 1 0 0 1 1 1v2" />
      <circle cx="11" cy="11" r="2" />
      <path d="M12.5 12.5l2 2M13.5 13.5l.8-.8" />
    </svg>
  );
}
