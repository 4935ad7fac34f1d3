// Which webhook addresses are accepted. In production: https only, and not a literal private, loopback or
// link-local address. A host name is not resolved here, so DNS can still point one at such an address; the
// limitation is documented in docs/ARCHITECTURE.md ("Alerts").
import { isIP } from 'node:net';
import { AppError } from '../lib/errors.ts';

/** The longest address kept. */
const MAX_URL_LENGTH = 2000;

function ipv4Parts(host: string): number[] | null {
  if (isIP(host) !== 4) return null;
  return host.split('.').map(Number);
}

/** Whether a literal IPv4 address is private, loopback, link-local, shared, "this network", multicast or reserved. */
function isNonPublicIpv4(parts: number[]): boolean {
  const [a = 0, b = 0] = parts;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Whether a literal IPv6 address (without brackets) is loopback, unspecified, unique-local, link-local or maps a non-public IPv4 one. */
function isNonPublicIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === '::1' || h === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  if (mapped) {
    const parts = ipv4Parts(mapped);
    return parts === null || isNonPublicIpv4(parts);
  }
  // The URL parser writes a mapped IPv4 address in hex (::ffff:7f00:1); read it back.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (hexMapped) {
    const high = parseInt(hexMapped[1] ?? '0', 16);
    const low = parseInt(hexMapped[2] ?? '0', 16);
    return isNonPublicIpv4([high >> 8, high & 255, low >> 8, low & 255]);
  }
  return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || /^ff/.test(h);
}

/** Whether the host of a URL is a literal address that is not on the public internet. */
export function isNonPublicIpLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  const v4 = ipv4Parts(host);
  if (v4) return isNonPublicIpv4(v4);
  if (isIP(host) === 6) return isNonPublicIpv6(host);
  return false;
}

/** The address as it will be called, or a 400 saying what is wrong with it. */
export function checkWebhookUrl(raw: string, options: { production: boolean }): string {
  const refuse = (message: string): never => {
    throw new AppError('bad-request', message, [{ path: 'url', message }]);
  };
  const text = raw.trim();
  if (text === '') refuse('Enter the address of your webhook endpoint.');
  if (text.length > MAX_URL_LENGTH) refuse(`The address is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`"${text.slice(0, 100)}" is not a web address (https://example.org/hooks/pss).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('The address must start with https://.');
  if (options.production && url.protocol !== 'https:') refuse('The address must use https://.');
  if (url.username !== '' || url.password !== '') refuse('The address may not contain a user name or password; authenticate deliveries by their signature.');
  if (url.hash !== '') refuse('The address may not contain a #fragment.');
  if (options.production && (isNonPublicIpLiteral(url.hostname) || url.hostname.toLowerCase() === 'localhost')) {
    refuse('The address may not point at a private, loopback or link-local network address.');
  }
  return url.toString();
}
