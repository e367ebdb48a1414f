import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A listener on 127.0.0.1 that records every connection made to it. Server-side fetches that the
 * guard refuses must never reach it.
 */
export interface Canary {
  port: number;
  connections: number;
  close(): Promise<void>;
}

export async function startCanary(): Promise<Canary> {
  const sockets = new Set<net.Socket>();
  const canary = {
    port: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((socket) => {
    canary.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\n\r\ncanary');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  canary.port = (server.address() as AddressInfo).port;
  return canary;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local web server for fixture pages: routes by path. */
export interface FixtureServer {
  port: number;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, Handler>): Promise<FixtureServer> {
  const server = http.createServer((req, res) => {
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (handler) return handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const html =
  (body: string, status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  };

/** Resolves names from a fixed table and fails for anything else: tests never ask real DNS. */
export const fakeResolver =
  (table: Record<string, string[]> = {}) =>
  (host: string): Promise<string[]> => {
    const found = table[host.toLowerCase()];
    if (!found) {
      return Promise.reject(
        Object.assign(new Error(`no such test host ${host}`), { code: 'ENOTFOUND' }),
      );
    }
    return Promise.resolve(found);
  };
