import type { FastifyReply } from 'fastify';

const types = { xml: 'application/xml', csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

/**
 * Sends a document to download: stored XML byte for byte, or a CSV. A string
 * body skips the route's response serializer, whose 200 schema describes the
 * JSON form of the same resource.
 */
export function sendAttachment(reply: FastifyReply, kind: keyof typeof types, filename: string, body: string | Buffer): FastifyReply {
  reply.type(types[kind]).header('content-disposition', `attachment; filename="${filename}"`);
  if (typeof body === 'string') reply.serializer((s: string) => s);
  return reply.send(body);
}
