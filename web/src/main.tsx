import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, errorMessage } from './api.ts';
import { App } from './app.tsx';
import { makeQueryClient } from './lib/queries.ts';
import { SessionContext } from './lib/session.tsx';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const queries = makeQueryClient();

// Who is logged in comes first: without a session the client sends the browser to /login.
api.session().then(
  (session) =>
    root.render(
      <StrictMode>
        <QueryClientProvider client={queries}>
          <SessionContext.Provider value={session}>
            <App />
          </SessionContext.Provider>
        </QueryClientProvider>
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main>
        <h1>Downbeat</h1>
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
        <p>
          <a href="/login">Log in</a>
        </p>
      </main>,
    ),
);
