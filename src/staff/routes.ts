import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, access, principalOf } from '../http/access.ts';
import { idParams } from '../http/ids.ts';
import { wholeList } from '../http/pagination.ts';
import { allStaff } from './repository.ts';
import { createStaffSchema, staffMemberSchema } from './schemas.ts';
import { createStaff, requireStaff, setDisabled } from './service.ts';

const tags = ['Staff'];

/** The people behind keys (admin). Keys reference them; separation of duties compares them. */
const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Staff members', response: { 200: wholeList(staffMemberSchema) } },
    },
    async () => ({ data: await allStaff(app.db), nextCursor: null }),
  );

  app.post(
    '/v1/staff',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'Add a staff member, once per person',
        description:
          'A name that looks like an existing member’s (case, accents, spacing, invisible or look-alike characters aside) ' +
          'is refused with STAFF_NAME_SIMILAR, unless the admin names those members in distinctFrom as other people.',
        body: createStaffSchema,
        response: { 201: staffMemberSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(principalOf(request));
      return reply.code(201).send(await app.db.transaction((tx) => createStaff(tx, request.body, actor, app.clock())));
    },
  );

  app.get(
    '/v1/staff/:id',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'One staff member', params: idParams, response: { 200: staffMemberSchema } },
    },
    async (request) => requireStaff(app.db, request.params.id),
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/v1/staff/:id/${action}`,
      {
        config: { roles: access.admin },
        schema: {
          tags,
          summary: disabled ? 'Disable a staff member: every key and console login of theirs stops at once' : 'Enable a disabled staff member again',
          params: idParams,
          response: { 200: staffMemberSchema },
        },
      },
      async (request) => {
        const actor = actorOf(principalOf(request));
        return app.db.transaction((tx) => setDisabled(tx, request.params.id, disabled, actor, app.clock()));
      },
    );
  }
};

export default staffRoutes;
