/**
 * Keeps `dist/renderer` in step with its sources for the e2e tests and the renderer bench.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, RENDERER_DIST } from './env';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer unless `dist/renderer` is newer than every renderer and shared source. */
export function ensureRendererBuilt(): void {
  const index = path.join(RENDERER_DIST, 'index.html');
  const sources = Math.max(newestMtime(path.join(REPO_ROOT, 'renderer')), newestMtime(path.join(REPO_ROOT, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}
