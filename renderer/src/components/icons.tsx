/**
 * Line icons drawn inline as SVG.
 *
 * No icon font or remote asset: the CSP allows only the app's own files, and SVG scales crisply at every
 * zoom level. Icons are decorative (aria-hidden); the control around them carries the accessible name.
 */
import type { ReactNode } from 'react';

function Icon({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** Server rack: the Stamps workspace. */
export function StampIcon() {
  return (
    <Icon>
      <rect x="2.5" y="2" width="11" height="4.5" rx="1" />
      <rect x="2.5" y="9.5" width="11" height="4.5" rx="1" />
      <path d="M5 4.25h.01M5 11.75h.01M8 4.25h3M8 11.75h3" />
    </Icon>
  );
}

/** Certificate with a seal: the Certificates workspace. */
export function CertificateIcon() {
  return (
    <Icon>
      <path d="M9.5 12.5H3a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v4" />
      <path d="M4.5 5.5h7M4.5 8h4" />
      <circle cx="12" cy="10.5" r="2" />
      <path d="M11 12.3V15l1-.7 1 .7v-2.7" />
    </Icon>
  );
}

/** Plus sign. */
export function PlusIcon() {
  return (
    <Icon>
      <path d="M8 3v10M3 8h10" />
    </Icon>
  );
}

/** Pencil. */
export function EditIcon() {
  return (
    <Icon>
      <path d="M10.5 2.5l3 3-8 8H2.5v-3z" />
      <path d="M9 4l3 3" />
    </Icon>
  );
}

/** Trash can. */
export function TrashIcon() {
  return (
    <Icon>
      <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.75 6.5v4.5M9.25 6.5v4.5" />
    </Icon>
  );
}

/** Open folder. */
export function FolderIcon() {
  return (
    <Icon>
      <path d="M1.5 4a1 1 0 0 1 1-1h3.3l1.5 1.5h6.2a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
    </Icon>
  );
}

/** Play triangle: start. */
export function PlayIcon() {
  return (
    <Icon>
      <path d="M4.5 2.75v10.5L13 8z" />
    </Icon>
  );
}

/** Square: stop / cancel. */
export function StopIcon() {
  return (
    <Icon>
      <rect x="3.5" y="3.5" width="9" height="9" rx="1" />
    </Icon>
  );
}

/** Arrow into a tray: export. */
export function ExportIcon() {
  return (
    <Icon>
      <path d="M8 2v8M4.75 6.75L8 10l3.25-3.25M2.5 11v2.5h11V11" />
    </Icon>
  );
}

/** Clock face: history. */
export function HistoryIcon() {
  return (
    <Icon>
      <circle cx="8" cy="8" r="5.75" />
      <path d="M8 4.75V8l2.25 1.5" />
    </Icon>
  );
}

/** Check mark used for "active". */
export function CheckIcon() {
  return (
    <Icon>
      <path d="M3 8.5l3 3 7-7" />
    </Icon>
  );
}

/** Magnifier. */
export function SearchIcon() {
  return (
    <Icon>
      <circle cx="7" cy="7" r="4.25" />
      <path d="M10.25 10.25L14 14" />
    </Icon>
  );
}

/** Small up/down chevron for sortable columns. */
export function SortIcon({ dir }: { dir: 'asc' | 'desc' | null }) {
  return (
    <Icon className="icon-sort">
      {dir === 'asc' ? <path d="M4.5 9.5L8 6l3.5 3.5" /> : dir === 'desc' ? <path d="M4.5 6.5L8 10l3.5-3.5" /> : <path d="M5 6.5L8 4l3 2.5M5 9.5L8 12l3-2.5" />}
    </Icon>
  );
}
