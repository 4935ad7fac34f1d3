// What an upload may be: its type is read from the bytes (the browser's claimed type and the file name are not
// trusted), its size is bounded.
import { AppError } from '../lib/errors.ts';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const SIGNATURES: ReadonlyArray<{ contentType: string; magic: number[] }> = [
  { contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The content type of a JPEG, PNG or PDF, or a 400 with a message for the form field `path`. */
export function checkUpload(bytes: Buffer, path: string, maxBytes = MAX_UPLOAD_BYTES): string {
  if (bytes.length === 0) throw new AppError('bad-request', 'The file is empty.', [{ path, message: 'The file is empty.' }]);
  if (bytes.length > maxBytes) {
    const message = `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB.`;
    throw new AppError('bad-request', message, [{ path, message }]);
  }
  const match = SIGNATURES.find((s) => s.magic.every((byte, i) => bytes[i] === byte));
  if (!match) {
    const message = 'Upload a PDF, JPEG or PNG file.';
    throw new AppError('bad-request', message, [{ path, message }]);
  }
  return match.contentType;
}
