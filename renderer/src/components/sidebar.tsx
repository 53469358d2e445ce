/**
 * The left navigation: one entry per workspace, built from the workspace registry.
 *
 * Arrow keys move between entries (like a native source list); Tab leaves the list.
 */
import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useAppStore } from '../stores/app-store';
import type { ThemeSetting } from '../stores/app-store';
import { WORKSPACES } from '../workspaces/registry';

const THEMES: { value: ThemeSetting; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Sidebar with brand, workspace navigation and the theme setting. */
export function Sidebar() {
  const workspace = useAppStore((s) => s.workspace);
  const setWorkspace = useAppStore((s) => s.setWorkspace);
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const setTheme = useAppStore((s) => s.setTheme);
  const listRef = useRef<HTMLUListElement>(null);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const buttons = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    let next = -1;
    if (e.key === 'ArrowDown') next = (index + 1) % buttons.length;
    else if (e.key === 'ArrowUp') next = (index - 1 + buttons.length) % buttons.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    if (next < 0) return;
    e.preventDefault();
    buttons[next]?.focus();
  }

  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          AZS
        </span>
        <span className="brand-text">
          <span className="brand-name">Rotation Workbench</span>
          <span className="brand-sub">for Azure Stack Hub</span>
        </span>
      </div>
      <nav aria-label="Workspaces" className="nav">
        <ul ref={listRef} onKeyDown={onKeyDown}>
          {WORKSPACES.map((w) => {
            const Icon = w.icon;
            const current = w.id === workspace;
            return (
              <li key={w.id}>
                <button
                  type="button"
                  className={current ? 'nav-item nav-item-current' : 'nav-item'}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => setWorkspace(w.id)}
                >
                  <Icon />
                  <span>{w.label}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <label className="field-label" htmlFor="theme-setting">
          Appearance
        </label>
        <select id="theme-setting" className="select select-compact" value={theme} onChange={(e) => void setTheme(e.target.value as ThemeSetting)}>
          {THEMES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
    </aside>
  );
}
