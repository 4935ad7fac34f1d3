// Reading the text of a PDF made by pdfkit, for tests: the certificate embeds its fonts, so text is written as glyph
// ids, which each font's ToUnicode map turns back into characters (as a PDF reader's search does).
import { inflateSync } from 'node:zlib';

/** The PDF with every compressed stream inflated in place (latin1 keeps bytes and characters one to one). */
function inflateStreams(pdf: string): string {
  let out = '';
  let at = 0;
  // A stream's dictionary gives its exact byte length: the data may end in any byte, a newline included.
  for (const m of pdf.matchAll(/<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    if (start < at) continue;
    const dict = m[1] ?? '';
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
    if (!/\/Filter \/FlateDecode/.test(dict) || length < 0) continue;
    out += pdf.slice(at, start) + inflateSync(Buffer.from(pdf.slice(start, start + length), 'latin1')).toString('latin1');
    at = start + length;
  }
  return out + pdf.slice(at);
}

/** Each `N 0 obj … endobj` body by object number. */
function objects(pdf: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of pdf.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) map.set(m[1] ?? '', m[2] ?? '');
  return map;
}

function utf16(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** glyph id (4 hex digits) → text, from a ToUnicode CMap's bfrange arrays (the form pdfkit writes). */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/gi)) {
    const start = parseInt(range[1] ?? '0', 16);
    [...(range[3] ?? '').matchAll(/<([0-9a-f ]+)>/gi)].forEach((entry, i) => {
      map.set((start + i).toString(16).padStart(4, '0'), utf16((entry[1] ?? '').replace(/ /g, '')));
    });
  }
  return map;
}

/** The text of every text-showing operation, one line each, in page order. */
export function pdfText(bytes: Buffer): string {
  const pdf = inflateStreams(bytes.toString('latin1'));
  const objs = objects(pdf);
  const fonts = new Map<string, Map<string, string>>();
  for (const [, body] of objs) {
    const resources = /\/Font\s*<<([^>]*)>>/.exec(body)?.[1];
    if (!resources) continue;
    for (const ref of resources.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objs.get(ref[2] ?? '') ?? '';
      const cmapRef = /\/ToUnicode (\d+) 0 R/.exec(font)?.[1];
      if (cmapRef) fonts.set(ref[1] ?? '', toUnicode(objs.get(cmapRef) ?? ''));
    }
  }
  const lines: string[] = [];
  let current = new Map<string, string>();
  for (const op of pdf.matchAll(/\/(\w+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[-\d.\s])*)\] TJ/gi)) {
    if (op[1] !== undefined) {
      current = fonts.get(op[1]) ?? new Map();
      continue;
    }
    const hex = [...(op[2] ?? '').matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1] ?? '').join('');
    let text = '';
    for (let i = 0; i < hex.length; i += 4) text += current.get(hex.slice(i, i + 4).toLowerCase()) ?? '\ufffd';
    lines.push(text);
  }
  return lines.join('\n');
}
