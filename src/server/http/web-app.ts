import type { FastifyInstance } from 'fastify';

/** Serves the single-page web app at / (built by Vite). Filled in by the web-app work (issue 4). */
export async function registerWebApp(_app: FastifyInstance): Promise<void> {}
