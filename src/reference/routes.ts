import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoDate } from '../time/dates.ts';
import type { FastifyRequest } from 'fastify';
import { actorOf, access, principalOf } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, pageOf, pageQuery, toPage } from '../http/pagination.ts';
import { signerMismatch } from '../signing/production.ts';
import * as repo from './repository.ts';
import {
  centerSchema,
  codeSchema,
  createDepartmentSchema,
  createFeeSchema,
  createSeriesSchema,
  departmentSchema,
  feeSchema,
  seriesSchema,
  updateDepartmentSchema,
  updateFeeSchema,
} from './schemas.ts';
import * as service from './service.ts';

const tags = ['Reference data'];
const codeParams = z.object({ code: codeSchema });

/** Reference data: readable with any key, changed only by admin (the API conventions, README). */
const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const change = (request: FastifyRequest): service.Change => ({ actor: actorOf(principalOf(request)), now: app.clock() });

  app.get(
    '/v1/center',
    {
      config: { roles: access.anyKey },
      schema: { tags, summary: 'The center (delegated issuer)', response: { 200: centerSchema } },
    },
    async () => service.requireCenter(app.db),
  );

  app.put(
    '/v1/center',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Set the center’s name, tax code and address', body: centerSchema, response: { 200: centerSchema } },
    },
    async (request) => {
      // A center whose tax code the signing certificate contradicts would sign documents no verifier accepts.
      const mismatch = signerMismatch(app.signer, request.body.taxCode);
      if (mismatch) throw new AppError('CENTER_NOT_SIGNER', mismatch, [{ field: 'body.taxCode', message: mismatch }]);
      return app.db.transaction((tx) => service.setCenter(tx, request.body, change(request)));
    },
  );

  app.get(
    '/v1/departments',
    {
      config: { roles: access.anyKey },
      schema: { tags, summary: 'List departments', querystring: z.object(pageQuery), response: { 200: pageOf(departmentSchema) } },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await repo.listDepartments(app.db, { limit: limit + 1, after: decodeCursor(cursor, 'code') });
      return toPage(
        rows,
        limit,
        (d) => d,
        (d) => d.code,
      );
    },
  );

  app.post(
    '/v1/departments',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Create a department', body: createDepartmentSchema, response: { 201: departmentSchema } },
    },
    async (request, reply) => reply.code(201).send(await app.db.transaction((tx) => service.createDepartment(tx, request.body, change(request)))),
  );

  app.get(
    '/v1/departments/:code',
    {
      config: { roles: access.anyKey },
      schema: { tags, summary: 'One department', params: codeParams, response: { 200: departmentSchema } },
    },
    async (request) => service.requireDepartment(app.db, request.params.code),
  );

  app.patch(
    '/v1/departments/:code',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Change a department', params: codeParams, body: updateDepartmentSchema, response: { 200: departmentSchema } },
    },
    async (request) => app.db.transaction((tx) => service.updateDepartment(tx, request.params.code, request.body, change(request))),
  );

  app.get(
    '/v1/fees',
    {
      config: { roles: access.anyKey },
      schema: {
        tags,
        summary: 'List the fee catalog',
        querystring: z.object({ ...pageQuery, department: codeSchema.optional() }),
        response: { 200: pageOf(feeSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, department } = request.query;
      const rows = await repo.listFees(app.db, { limit: limit + 1, after: decodeCursor(cursor, 'code'), department });
      return toPage(
        rows,
        limit,
        (f) => f,
        (f) => f.code,
      );
    },
  );

  app.post(
    '/v1/fees',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Add a fee or charge to a department’s catalog', body: createFeeSchema, response: { 201: feeSchema } },
    },
    async (request, reply) => reply.code(201).send(await app.db.transaction((tx) => service.createFee(tx, request.body, change(request)))),
  );

  app.get(
    '/v1/fees/:code',
    {
      config: { roles: access.anyKey },
      schema: { tags, summary: 'One fee', params: codeParams, response: { 200: feeSchema } },
    },
    async (request) => service.requireFee(app.db, request.params.code),
  );

  app.patch(
    '/v1/fees/:code',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Change a fee (future receipts only)', params: codeParams, body: updateFeeSchema, response: { 200: feeSchema } },
    },
    async (request) => app.db.transaction((tx) => service.updateFee(tx, request.params.code, request.body, change(request))),
  );

  app.get(
    '/v1/series',
    {
      config: { roles: access.anyKey },
      schema: {
        tags,
        summary: 'List series',
        querystring: z.object({ ...pageQuery, department: codeSchema.optional(), year: z.coerce.number().int().min(2000).max(2099).optional() }),
        response: { 200: pageOf(seriesSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, department, year } = request.query;
      const rows = await repo.listSeries(app.db, { limit: limit + 1, after: decodeCursor(cursor, 'int'), department, year });
      return toPage(
        rows,
        limit,
        (s) => s,
        (s) => s.id,
      );
    },
  );

  app.post(
    '/v1/series',
    {
      config: { roles: access.admin },
      schema: { tags, summary: 'Register a series and the range delegated to the center', body: createSeriesSchema, response: { 201: seriesSchema } },
    },
    async (request, reply) => reply.code(201).send(await app.db.transaction((tx) => service.createSeries(tx, request.body, change(request)))),
  );

  app.get(
    '/v1/series/:id',
    {
      config: { roles: access.anyKey },
      schema: { tags, summary: 'One series', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: seriesSchema } },
    },
    async (request) => service.requireSeries(app.db, request.params.id),
  );

  app.post(
    '/v1/series/:id/terminate',
    {
      config: { roles: access.admin },
      schema: {
        tags,
        summary: 'End a series’ delegation early: no receipt on it from that day on (set once)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({ date: isoDate.describe('The first day without the delegation: today or later') }).strict(),
        response: { 200: seriesSchema },
      },
    },
    async (request) => app.db.transaction((tx) => service.terminateSeries(tx, request.params.id, request.body.date, change(request))),
  );
};

export default referenceRoutes;
