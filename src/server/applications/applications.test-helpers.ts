import assert from 'node:assert/strict';
import type { TestServer } from '../../../test/helpers/server.ts';

export const DESCRIPTION =
  'We are hiring an engineer to design and build reliable payment systems.';

/** Create and list applications over HTTP, asserting success; server() is read at call time. */
export function applicationsApi(server: () => TestServer) {
  return {
    create: async (token: string, body: Record<string, unknown> = {}) => {
      const res = await server().request('POST', '/api/v1/applications', {
        token,
        body: {
          company_name: 'Acme',
          role_title: 'Engineer',
          job_description: DESCRIPTION,
          ...body,
        },
      });
      assert.equal(res.status, 201, res.text);
      return res.body;
    },
    list: async (token: string, query = '') => {
      const res = await server().request('GET', `/api/v1/applications${query}`, { token });
      assert.equal(res.status, 200, res.text);
      return res.body;
    },
  };
}
