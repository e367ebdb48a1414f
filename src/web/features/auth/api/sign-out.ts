import { api } from '../../../lib/api-client.ts';
import { signedOut } from '../../../lib/session-store.ts';

/** Ends the session on the server (and its cookie), then locally even if the server failed. */
export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/auth/logout');
  } finally {
    signedOut('You have signed out.');
  }
}
