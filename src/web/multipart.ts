// Reading upload forms (multipart/form-data). @fastify/multipart puts each part on req.body as an object; these
// turn that into plain fields and checked files, and give the CSRF check the form's token either way.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

interface MultipartValue {
  type: 'field' | 'file';
  value?: unknown;
  filename?: string;
  mimetype?: string;
  _buf?: Buffer;
  toBuffer?: () => Promise<Buffer>;
}

function isPart(value: unknown): value is MultipartValue {
  return typeof value === 'object' && value !== null && 'type' in value && ((value as MultipartValue).type === 'field' || (value as MultipartValue).type === 'file');
}

/** The form's CSRF token: a url-encoded or multipart `_csrf` field, or the `x-csrf-token` header (API clients, tests). */
export function csrfTokenOf(req: FastifyRequest): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const field = body?._csrf;
  if (typeof field === 'string') return field;
  if (isPart(field) && typeof field.value === 'string') return field.value;
  const header = req.headers['x-csrf-token'] ?? req.headers['csrf-token'];
  return typeof header === 'string' ? header : undefined;
}

/** Whether the request is an upload form. */
export function isMultipart(req: FastifyRequest): boolean {
  return req.isMultipart();
}

/** The text fields of a multipart (or url-encoded) form, as strings; repeated fields keep their last value. */
export function formFields(req: FastifyRequest): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const [name, raw] of Object.entries(body)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string') fields[name] = value;
    else if (isPart(value) && value.type === 'field' && typeof value.value === 'string') fields[name] = value.value;
  }
  return fields;
}

export interface UploadedFile {
  filename: string;
  /** As the browser claimed it; checkUpload() decides from the bytes. */
  claimedType: string;
  bytes: Buffer;
}

/** The file in field `name`, or undefined when none was chosen (browsers send an empty part). */
export async function formFile(req: FastifyRequest, name: string): Promise<UploadedFile | undefined> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = body[name];
  const part = Array.isArray(raw) ? raw[0] : raw;
  if (!isPart(part) || part.type !== 'file') return undefined;
  const bytes = part._buf ?? (part.toBuffer ? await part.toBuffer() : Buffer.alloc(0));
  if ((part as { file?: { truncated?: boolean } }).file?.truncated) throw new AppError('bad-request', 'The file is too large.', [{ path: name, message: 'The file is too large.' }]);
  if (bytes.length === 0 && !part.filename) return undefined;
  return { filename: part.filename ?? 'upload', claimedType: part.mimetype ?? 'application/octet-stream', bytes };
}

/** A CSV sent to an API route: the text/csv body itself, or the `file` part of a multipart form; undefined if neither. */
export async function uploadedCsv(req: FastifyRequest): Promise<{ filename: string | undefined; bytes: Buffer } | undefined> {
  if (Buffer.isBuffer(req.body)) return { filename: undefined, bytes: req.body };
  if (!req.isMultipart()) return undefined;
  const file = await formFile(req, 'file');
  return file && { filename: file.filename, bytes: file.bytes };
}
