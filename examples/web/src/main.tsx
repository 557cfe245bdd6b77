import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createApolloClient } from './apollo/createApolloClient.js';
import { AuthProvider } from './auth/AuthProvider.js';
import { createUserManager } from './auth/createUserManager.js';
import { finishRedirect } from './auth/finishRedirect.js';
import { loadConfig } from './config/loadConfig.js';
import './styles.css';

/**
 * Reads where the API and the sign-in are, finishes a sign-in redirect if the page was opened by
 * one, and renders the page with an Apollo Client that sends the patient's token.
 */
async function start(root: ReturnType<typeof createRoot>) {
  const config = await loadConfig();
  const userManager = createUserManager(config);
  const initial = await finishRedirect(userManager);
  const client = createApolloClient({
    uri: config.apiUrl,
    async getToken() {
      const user = await userManager.getUser();
      return user && !user.expired ? user.access_token : undefined;
    },
  });
  root.render(
    <StrictMode>
      <ApolloProvider client={client}>
        <AuthProvider userManager={userManager} initial={initial}>
          <App />
        </AuthProvider>
      </ApolloProvider>
    </StrictMode>,
  );
}

const root = createRoot(document.getElementById('root')!);
start(root).catch((error: unknown) => {
  root.render(
    <main className="layout">
      <p className="notice notice-error" role="alert">
        The booking page could not start: {(error as Error).message}
      </p>
    </main>,
  );
});
