// Certificate downloads: a peer's own (GET /my-certification/certificate.pdf) and any, for certifying staff
// (GET /workbench/certifications/:id/certificate.pdf). The QR code points at the public registry entry.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { AppError } from '../lib/errors.ts';
import { contextOf } from '../web/form-refusal.ts';
import { ownCertificateData, staffCertificateData, type CertificateData } from './certificate-data.ts';
import { registryUrl, renderCertificatePdf } from './certificate-pdf.ts';

export const certificatePages: FastifyPluginAsync<DomainOptions> = async (app, { db, publicUrl }) => {
  // In production PUBLIC_URL is required, so a QR code never carries an address taken from a Host header.
  const baseOf = (req: FastifyRequest) => publicUrl ?? `${req.protocol}://${req.host}`;

  const send = async (req: FastifyRequest, reply: FastifyReply, data: CertificateData) => {
    const pdf = await renderCertificatePdf(data, registryUrl(baseOf(req), data.number));
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="certificate-${data.number}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  };

  app.get(
    '/my-certification/certificate.pdf',
    {
      schema: { hide: true },
      onRequest: async (req) => {
        if (req.actor.kind === 'anonymous') throw new AppError('unauthorized', 'Sign in to download your certificate.');
        if (req.actor.kind !== 'user') throw new AppError('forbidden', 'A certificate belongs to a person; an API token has none.');
      },
    },
    async (req, reply) => send(req, reply, await ownCertificateData(db, contextOf(req))),
  );

  app.get(
    '/workbench/certifications/:id/certificate.pdf',
    { schema: { hide: true }, onRequest: async (req) => requireAllowed(req, 'certifications.status.change') },
    async (req, reply) => send(req, reply, await staffCertificateData(db, (req.params as { id: string }).id, contextOf(req))),
  );
};
