// Building a multipart/form-data body for app.inject, as a browser's upload form sends it.
import { randomBytes } from 'node:crypto';

export interface TestFile {
  name: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** The body and content-type header of a multipart form with these text fields and files. */
export function multipartBody(fields: Record<string, string>, files: TestFile[] = []): { payload: Buffer; headers: { 'content-type': string } } {
  const boundary = `----pss${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
