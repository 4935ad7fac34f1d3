// Fixtures for the training tests: people in the program, staff and provider members, and upload forms.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { UseCaseContext } from '../access/context.ts';
import type { Actor } from '../access/roles.ts';
import { actorHeaders, createPerson } from '../accounts/testing.ts';
import { peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';

/** A person in the program (a peer record), found by rosters through this email and last name. */
export async function addPeer(db: Db, input: { first: string; last: string; email: string }) {
  const [peer] = await db.insert(peers).values({ legalFirstName: input.first, legalLastName: input.last, email: input.email }).returning();
  if (!peer) throw new Error('insert returned no row');
  return peer;
}

export function userActor(role: 'certification_staff' | 'training_provider' | 'enforcement_staff' | 'peer'): Actor & { kind: 'user' } {
  return { kind: 'user', userId: randomUUID(), roles: [{ role, countyFips: null }] };
}

/** A person with the actor's id and roles, and the use-case context they act in. */
export async function personContext(db: Db, actor: Actor & { kind: 'user' }, email?: string): Promise<UseCaseContext> {
  await createPerson(db, { id: actor.userId, roles: actor.roles, ...(email ? { email } : {}) });
  return { actor, ip: '127.0.0.1', userAgent: 'training test' };
}

/** Headers signing a request in as the actor, who must not exist yet (actorHeaders creates the person). */
export function signedIn(app: FastifyInstance, actor: Actor): Promise<Record<string, string>> {
  return actorHeaders(app, actor);
}

/** A multipart/form-data body as a browser sends an upload form. */
export async function multipartBody(fields: Record<string, string>, files: Record<string, { filename: string; type: string; content: string | Buffer }>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, file] of Object.entries(files)) {
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    form.append(name, new Blob([new Uint8Array(bytes)], { type: file.type }), file.filename);
  }
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
}

/** The smallest file checkUpload accepts as a PDF. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
