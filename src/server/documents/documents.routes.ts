import { z } from 'zod';
import { errorBody, idParams } from '../../contracts/common.ts';
import {
  document,
  documentParams,
  documentVersion,
  putDocumentBody,
} from '../../contracts/documents.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { DocumentsService } from './documents.service.ts';

export function documentsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new DocumentsService(deps.tenant, deps.compute);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
  const tags = ['documents'];

  app.get(
    '/applications/:id/documents',
    {
      onRequest,
      schema: {
        tags,
        summary: "An application's documents (at most one of each type)",
        params: idParams,
        response: { 200: z.object({ items: z.array(document) }), ...errors },
      },
    },
    (req) => service.list(authOf(req), req.params.id),
  );

  app.get(
    '/applications/:id/documents/:type',
    {
      onRequest,
      schema: {
        tags,
        summary: "An application's document of one type",
        params: documentParams,
        response: { 200: document, ...errors },
      },
    },
    (req) => service.get(authOf(req), req.params.id, req.params.type),
  );

  app.put(
    '/applications/:id/documents/:type',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Save a document: create it (201, version 1) or replace it (200, next version)',
        description:
          'Every saved content is kept as a version. Sending the current content again changes ' +
          'nothing and answers 200 with the document as it is.',
        params: documentParams,
        body: putDocumentBody,
        response: { 200: document, 201: document, ...errors },
      },
    },
    async (req, reply) => {
      const { id, type } = req.params;
      const saved = await service.save(authOf(req), id, type, req.body.content);
      return reply.code(saved.created ? 201 : 200).send(saved.document);
    },
  );

  app.delete(
    '/applications/:id/documents/:type',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete a document and all its versions',
        params: documentParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.delete(authOf(req), req.params.id, req.params.type);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/applications/:id/documents/:type/versions',
    {
      onRequest,
      schema: {
        tags,
        summary: "A document's saved versions, newest first (the current one included)",
        params: documentParams,
        response: { 200: z.object({ items: z.array(documentVersion) }), ...errors },
      },
    },
    (req) => service.versions(authOf(req), req.params.id, req.params.type),
  );
}
