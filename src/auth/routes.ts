import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../http/ids.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { apiKeySchema, apiKeyView, createApiKey, createApiKeySchema, listApiKeys, revokeApiKey } from './api-keys.ts';
import { actorOf, access, principalOf } from '../http/access.ts';

const tags = ['API keys'];

const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/api-keys',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'List API keys (never their secrets)', querystring: z.object(pageQuery), response: { 200: pageOf(apiKeySchema) } },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listApiKeys(app.db, { limit, after: decodeCursor(cursor, 'uuid') });
      return toPage(rows, limit, apiKeyView, (r) => r.id);
    },
  );

  app.post(
    '/v1/api-keys',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'Create an API key; the secret is returned once',
        body: createApiKeySchema,
        response: { 201: apiKeySchema.extend({ secret: z.string().describe('Shown once; only its hash is stored') }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(principalOf(request));
      const { key, secret } = await app.db.transaction((tx) => createApiKey(tx, request.body, actor, app.clock()));
      return reply.code(201).send({ ...key, secret });
    },
  );

  app.post(
    '/v1/api-keys/:id/revoke',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Revoke an API key; it stops working at once', params: idParams, response: { 200: apiKeySchema } },
    },
    async (request) => {
      const actor = actorOf(principalOf(request));
      return app.db.transaction((tx) => revokeApiKey(tx, request.params.id, actor, app.clock()));
    },
  );
};

export default apiKeyRoutes;
