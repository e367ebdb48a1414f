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
  tabs();
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

// --- The tabs of one browser share one session (decision 065) ---
//
// A refresh token works once, and every tab holds the same refresh cookie: tabs that refresh
// each on their own race for it (the server forgives a race of a few seconds, but each is still
// a refresh). So the tab that refreshes tells the others, which adopt its access token, and a tab
// about to refresh first asks the others for a session they already have. Same-origin tabs only:
// nothing here reaches a page another origin controls.

type TabMessage =
  | { type: 'session'; user: User; accessToken: string }
  | { type: 'ask' }
  | { type: 'none' }
  | { type: 'refreshing' };

/** A token with less left than this is not worth adopting: it would need a refresh at once. */
const MIN_REMAINING_MS = 5_000;
const TAB_LOCK = 'jobforge.tab';

let channel: BroadcastChannel | null | undefined;
let joined: Promise<void> = Promise.resolve();
const answerListeners = new Set<(m: TabMessage) => void>();
let lastRefreshingAt = 0;

/** The channel to the other tabs (created on first use), or null where there is none. */
function tabs(): BroadcastChannel | null {
  if (channel !== undefined) return channel;
  channel = null;
  if (typeof window === 'undefined' || typeof BroadcastChannel !== 'function') return channel;
  channel = new BroadcastChannel('jobforge.session');
  // Under Node (component tests) an open channel would keep the process alive.
  (channel as unknown as { unref?: () => void }).unref?.();
  channel.onmessage = (e: MessageEvent<TabMessage>) => onTabMessage(e.data);
  // Every tab holds a shared lock for its lifetime, so a tab can count the others (askOtherTabs).
  joined = new Promise<void>((granted) => {
    if (!navigator.locks) return granted();
    navigator.locks
      .request(TAB_LOCK, { mode: 'shared' }, () => {
        granted();
        return new Promise<never>(() => {});
      })
      .catch(() => granted());
  });
  return channel;
}

function onTabMessage(m: TabMessage): void {
  if (m.type === 'ask') {
    const { status, user, accessToken } = state;
    tabs()?.postMessage(
      status === 'signed-in' && user && accessToken
        ? { type: 'session', user, accessToken }
        : { type: 'none' },
    );
  } else if (m.type === 'session') {
    adopt(m.user, m.accessToken);
  } else if (m.type === 'refreshing') {
    lastRefreshingAt = Date.now();
  }
  for (const l of answerListeners) l(m);
}

/** When the token expires (its `exp`), in ms; 0 when it cannot be read. */
function expiresAt(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const exp = (
      JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/**
 * Takes another tab's session when it is the same person's and fresher than this tab's. A tab
 * that is signed out stays out (the person signed out here, or never signed in).
 */
function adopt(user: User, accessToken: string): void {
  if (state.status === 'signed-out') return;
  if (state.status === 'signed-in' && state.user?.id !== user.id) return;
  if (accessToken === state.accessToken) return;
  const theirs = expiresAt(accessToken);
  if (theirs - Date.now() < MIN_REMAINING_MS) return;
  if (state.accessToken && expiresAt(state.accessToken) >= theirs) return;
  setHint(true);
  emit({ status: 'signed-in', user, accessToken, message: null });
}

/** This tab holds a usable access token other than `stale` (another tab's, adopted). */
export function hasFresherSession(stale: string | null): boolean {
  const t = state.accessToken;
  return (
    state.status === 'signed-in' &&
    t !== null &&
    t !== stale &&
    expiresAt(t) - Date.now() >= MIN_REMAINING_MS
  );
}

/** After this tab refreshed: the other tabs take the new access token instead of refreshing. */
export function shareSession(): void {
  const { status, user, accessToken } = state;
  if (status === 'signed-in' && user && accessToken) {
    tabs()?.postMessage({ type: 'session', user, accessToken } satisfies TabMessage);
  }
}

/**
 * Asks the other tabs for a session they already have. Answers true once one was adopted; false
 * when every other tab answered without one, or after `timeoutMs`. Needs Web Locks to know how
 * many tabs there are: without them it does not ask (see announceRefreshing).
 */
export async function askOtherTabs(stale: string | null, timeoutMs = 1_000): Promise<boolean> {
  const ch = tabs();
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!ch || !locks) return false;
  await joined;
  const held = (await locks.query()).held ?? [];
  const others = held.filter((l) => l.name === TAB_LOCK).length - 1;
  if (others <= 0) return hasFresherSession(stale);
  return new Promise<boolean>((resolve) => {
    let answers = 0;
    const done = (found: boolean) => {
      clearTimeout(timer);
      answerListeners.delete(listen);
      resolve(found);
    };
    const listen = (m: TabMessage) => {
      if (m.type !== 'session' && m.type !== 'none') return;
      if (hasFresherSession(stale)) return done(true);
      answers += 1;
      if (answers >= others) done(false);
    };
    const timer = setTimeout(() => done(hasFresherSession(stale)), timeoutMs);
    answerListeners.add(listen);
    ch.postMessage({ type: 'ask' } satisfies TabMessage);
  });
}

/**
 * Without Web Locks (a page served over plain HTTP on a network name is not a secure context):
 * a tab about to refresh says so, and a tab that heard it within the last few seconds waits for
 * that tab's session instead of refreshing too. Two tabs starting at the same instant may still
 * both refresh; the server's reuse grace keeps both signed in.
 */
export function announceRefreshing(): void {
  tabs()?.postMessage({ type: 'refreshing' } satisfies TabMessage);
}

export async function refreshedElsewhere(stale: string | null, waitMs = 5_000): Promise<boolean> {
  if (!tabs() || Date.now() - lastRefreshingAt > waitMs) return hasFresherSession(stale);
  return new Promise<boolean>((resolve) => {
    const listen = () => {
      if (!hasFresherSession(stale)) return;
      clearTimeout(timer);
      answerListeners.delete(listen);
      resolve(true);
    };
    const timer = setTimeout(() => {
      answerListeners.delete(listen);
      resolve(hasFresherSession(stale));
    }, waitMs);
    answerListeners.add(listen);
    listen();
  });
}
