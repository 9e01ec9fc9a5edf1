// The web UI's entry: renders the shell into #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isSignInsPath, Shell } from './app/shell.js';
import './app/base.css';
import { startSignInsPage } from './sign-ins/sign-ins-page.js';

// The sign-in list's first page is asked for now, while React renders the shell.
if (isSignInsPath(window.location.pathname)) startSignInsPage(window.location.search);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Shell />
    </StrictMode>,
  );
}
