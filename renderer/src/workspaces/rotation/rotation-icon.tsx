/**
 * The Rotate workspace's sidebar icon: two arrows turning around a key slot.
 *
 * Drawn like the shared icons (16×16, stroke only, decorative) so the sidebar stays uniform.
 */

/** Circular arrows: the Rotate workspace. */
export function RotateIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M13 6.5A5 5 0 0 0 3.8 4.6" />
      <path d="M3.5 2.5v2.4h2.4" />
      <path d="M3 9.5a5 5 0 0 0 9.2 1.9" />
      <path d="M12.5 13.5v-2.4h-2.4" />
      <circle cx="8" cy="8" r="1.2" />
    </svg>
  );
}
