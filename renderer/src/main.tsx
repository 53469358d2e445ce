/**
 * Renderer entry: mounts the app, and the bench hooks when the page was opened with `?bench`.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles/tokens.css';
import './styles/app.css';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  if (new URLSearchParams(window.location.search).has('bench')) {
    void import('./bench').then((m) => m.installBenchHooks());
  }
}
