/**
 * Sidebar icons of the Procedures and Dashboard workspaces, drawn like the app's other line icons.
 */

/** A clipboard with ticks: the Procedures workspace. */
export function ChecklistIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M5.5 2.5h-2a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1v-10a1 1 0 0 0-1-1h-2" />
      <rect x="5.5" y="1.5" width="5" height="2.5" rx="0.6" />
      <path d="M4.75 7.5l1 1 1.75-1.75M9 8h2.5M4.75 11.25l1 1 1.75-1.75M9 11.75h2.5" />
    </svg>
  );
}

/** A gauge: the expiry Dashboard workspace. */
export function GaugeIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M2.2 11.5a6 6 0 1 1 11.6 0" />
      <path d="M8 10.5l3-4" />
      <circle cx="8" cy="10.5" r="1" />
    </svg>
  );
}
