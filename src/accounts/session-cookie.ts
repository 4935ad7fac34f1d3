// The session cookie: HttpOnly, SameSite=Lax, Secure outside development, lasting no longer than the session may.
import type { FastifyReply } from 'fastify';
import { ABSOLUTE_TIMEOUT_MS, SESSION_COOKIE } from './sessions.ts';

export function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
