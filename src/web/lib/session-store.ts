import { useSyncExternalStore } from 'react';
import type { User } from '../../contracts/users.ts';

/**
 * The signed-in user and access token, in memory only: the refresh token never reaches
 * JavaScript (an httpOnly cookie), so a reload restores the session through /auth/refresh.
 */
export interface SessionState {
  status: 'unknown' | 'signed-in' | 'signed-out';
  user: User | null;
  accessToken: string | null;
  /** Why the user was signed out, shown on the sign-in page. */
  message: string | null;
}

// A hint, not a secret: it only tells a fresh page that a refresh cookie may exist, so a first
// visit does not fire a refresh that can only fail (a 401 is a console error in the browser).
const HINT_KEY = 'jobforge.session-hint';

let state: SessionState = {
  status: hasSessionHint() ? 'unknown' : 'signed-out',
  user: null,
  accessToken: null,
  message: null,
};
const listeners = new Set<() => void>();

function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function setHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // Private mode without storage: every reload starts signed out, which is still correct.
  }
}

function emit(next: SessionState): void {
  state = next;
  for (const l of listeners) l();
}

export const getSession = (): SessionState => state;

export function signedIn(user: User, accessToken: string): void {
  setHint(true);
  emit({ status: 'signed-in', user, accessToken, message: null });
}

export function updateUser(user: User): void {
  if (state.status === 'signed-in') emit({ ...state, user });
}

export function signedOut(message: string | null = null): void {
  setHint(false);
  emit({ status: 'signed-out', user: null, accessToken: null, message });
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const useSession = (): SessionState => useSyncExternalStore(subscribe, getSession);
