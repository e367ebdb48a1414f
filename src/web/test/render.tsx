import './dom.ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { userEvent, type UserEvent } from '@testing-library/user-event';
import { afterEach } from 'node:test';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';

const clients: QueryClient[] = [];

// node:test has no global afterEach for Testing Library to hook into: unmount after each test,
// and drop the query caches (no garbage-collection timer may keep the process alive).
afterEach(() => {
  cleanup();
  for (const c of clients.splice(0)) c.clear();
});

export interface Rendered extends RenderResult {
  user: UserEvent;
  router: ReturnType<typeof createMemoryRouter>;
  queryClient: QueryClient;
}

/**
 * Renders `ui` at `path` inside the app's providers (a memory router, a fresh query client
 * without retries), with a user-event instance to type, click and press keys as a user does.
 */
export function renderPage(ui: ReactNode, { path = '/' }: { path?: string } = {}): Rendered {
  const queryClient = new QueryClient({
    defaultOptions: {
      // gcTime: Infinity schedules no 5-minute timer that would hold the test process open.
      queries: { retry: false, gcTime: Infinity },
      mutations: { retry: false, gcTime: Infinity },
    },
  });
  clients.push(queryClient);
  const router = createMemoryRouter(
    [
      { path, element: ui },
      { path: '*', element: <p>Elsewhere</p> },
    ],
    { initialEntries: [path] },
  );
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, user, router, queryClient };
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

interface Answer {
  status?: number;
  body?: unknown;
}
type Handler = (call: Call) => Answer | undefined | Promise<Answer | undefined>;

/**
 * Replaces `fetch` with a fake API: `handler` answers each call (JSON; a promise holds the answer
 * back), an unanswered call is a 500 so a test notices it. Every call is recorded with its parsed JSON body.
 */
export function mockApi(handler: Handler): { calls: Call[]; restore: () => void } {
  const original = globalThis.fetch;
  const calls: Call[] = [];
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://localhost',
    );
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, '') + url.search,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
    };
    calls.push(call);
    return Promise.resolve(handler(call)).then((found) => {
      const answer = found ?? { status: 500, body: { error: { code: 'unmocked' } } };
      const status = answer.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    });
  };
  return {
    calls,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
