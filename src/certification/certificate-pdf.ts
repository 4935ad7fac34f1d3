// The certificate as a PDF: landscape letter, the program's name, the legal name, number, dates, specializations,
// the issuer, and a QR code that opens the certification's public registry entry (the URL is printed too).
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateData } from './certificate-data.ts';
import type { CertificationStatus } from './vocabulary.ts';

export const PROGRAM_CREDENTIAL = 'Certified Medi-Cal Peer Support Specialist';
export const DEFAULT_ISSUER = 'Certifying entity';

/** Specialization names as DHCS publishes them (PROGRAM.md §8); the certificate is in English. */
export const SPECIALIZATION_NAMES: Readonly<Record<string, string>> = {
  parent_caregiver_family: 'Parent, Caregiver, Family Member Peer',
  crisis_care: 'Peer Services in Crisis Care',
  unhoused: 'Peer Services for Unhoused',
  justice_involved: 'Peer Services for Justice-Involved',
};

export const STATUS_NAMES: Readonly<Record<CertificationStatus, string>> = {
  active: 'Active',
  expired: 'Expired',
  suspended: 'Suspended',
  revoked: 'Revoked',
  vacated: 'Vacated',
};

// Legal names need more than the PDF standard fonts' Latin-1 (Nguyễn, Łukasz): Public Sans, which the site already
// serves from USWDS, covers Latin Extended. USWDS exports no package.json; its main entry is dist/js/uswds.min.js.
const fontDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@uswds/uswds')), '..', 'fonts');
const FONTS = {
  title: path.join(fontDir, 'merriweather', 'Latin-Merriweather-Bold.ttf'),
  body: path.join(fontDir, 'public-sans', 'PublicSans-Regular.ttf'),
  bold: path.join(fontDir, 'public-sans', 'PublicSans-Bold.ttf'),
};

/** The documents' colours (USWDS ink, primary-dark, base-dark), shared with the registry's receipt. */
export const INK = '#1b1b1b';
export const ACCENT = '#1a4480';
export const MUTED = '#565c65';

/** The public registry address of a certification: what the QR code encodes and the certificate prints. */
export function registryUrl(base: string, number: string): string {
  return `${base.replace(/\/+$/, '')}/registry/${encodeURIComponent(number)}`;
}

/** The QR code image for a payload (the verify URL, exactly). */
export function certificateQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 8 });
}

/** 2026-11-19 → November 19, 2026: the date as people read it on a certificate. */
export function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
}

/** A pdfkit document with the site's fonts registered (title, body, bold), and its bytes once it is ended. */
export function startPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; finished: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('title', FONTS.title);
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  return { doc, finished };
}

export interface CertificatePdfOptions {
  /** pdfkit compresses page content by default; tests turn it off to read the text. */
  compress?: boolean;
  /** Renders the QR image from its payload (tests watch what it is given). */
  qrPng?: (payload: string) => Promise<Buffer>;
  issuer?: string;
}

/** One specialization a line, with the date it was completed. */
function specializationLines(data: CertificateData): string {
  if (data.specializations.length === 0) return 'None';
  return data.specializations.map((s) => `${SPECIALIZATION_NAMES[s.specialization] ?? s.specialization} (${longDate(s.completedOn)})`).join('\n');
}

export async function renderCertificatePdf(data: CertificateData, verifyUrl: string, options: CertificatePdfOptions = {}): Promise<Buffer> {
  const qr = await (options.qrPng ?? certificateQrPng)(verifyUrl);
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  const { doc, finished } = startPdf({
    size: 'LETTER',
    layout: 'landscape',
    margin: 48,
    compress: options.compress ?? true,
    info: { Title: `${PROGRAM_CREDENTIAL}: ${data.number}`, Author: issuer, Subject: `Certificate ${data.number}`, Creator: 'Medi-Cal Peer Support Services platform' },
  });

  const width = doc.page.width;
  const height = doc.page.height;
  doc.lineWidth(3).strokeColor(ACCENT).rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(0.75).rect(32, 32, width - 64, height - 64).stroke();

  const center = { align: 'center' as const, width: width - 96 };
  doc.font('body').fontSize(10).fillColor(MUTED).text('STATE OF CALIFORNIA · MEDI-CAL PEER SUPPORT SERVICES', 48, 58, { ...center, characterSpacing: 1.5 });
  doc.font('title').fontSize(28).fillColor(ACCENT).text(PROGRAM_CREDENTIAL, 48, 82, center);
  doc.font('body').fontSize(13).fillColor(INK).text('This certifies that', 48, 138, center);
  // A long legal name shrinks to one line rather than wrapping under the statement.
  let nameSize = 30;
  doc.font('bold');
  while (nameSize > 14 && doc.fontSize(nameSize).widthOfString(data.fullName) > width - 140) nameSize -= 1;
  doc.fontSize(nameSize).text(data.fullName, 48, 162, center);
  doc
    .font('body')
    .fontSize(12)
    .text(
      "has met the requirements of California's Medi-Cal Peer Support Services program and is certified as a Medi-Cal Peer Support Specialist.",
      120,
      210,
      { align: 'center', width: width - 240 },
    );

  const rows: Array<[string, string]> = [
    ['Certification number', data.number],
    ['First issued', longDate(data.firstIssuedOn)],
    ['Current term issued', longDate(data.issuedOn)],
    ['Valid through', longDate(data.validThrough)],
    ['Status', `${data.status ? STATUS_NAMES[data.status] : 'Not issued'} as of ${longDate(data.asOf)}`],
    ['Specializations', specializationLines(data)],
  ];
  let y = 270;
  for (const [label, value] of rows) {
    doc.font('bold').fontSize(11).fillColor(MUTED).text(label, 72, y, { width: 150 });
    const labelEnd = doc.y;
    doc.font('body').fontSize(11).fillColor(INK).text(value, 228, y, { width: 300 });
    // Either side may wrap (a long date in the label, several specializations): the next row starts below both.
    y = Math.max(labelEnd, doc.y) + 8;
  }

  const qrSize = 140;
  const qrX = width - 72 - qrSize - 30;
  doc.image(qr, qrX, 262, { width: qrSize, height: qrSize });
  doc.font('body').fontSize(8).fillColor(MUTED).text('Verify this certification at', qrX - 40, 262 + qrSize + 6, { width: qrSize + 80, align: 'center' });
  doc.fillColor(INK).text(verifyUrl, qrX - 40, doc.y + 1, { width: qrSize + 80, align: 'center' });

  const lineY = height - 96;
  doc.lineWidth(0.75).strokeColor(INK).moveTo(72, lineY).lineTo(330, lineY).stroke();
  doc.font('bold').fontSize(11).fillColor(INK).text(issuer, 72, lineY + 6, { width: 258 });
  doc.font('body').fontSize(9).fillColor(MUTED).text('Issuer, Medi-Cal Peer Support Services program', 72, doc.y + 1, { width: 258 });
  doc.text(`Printed ${longDate(data.asOf)}. The registry shows the status on any date.`, width - 72 - 300, lineY + 6, { width: 300, align: 'right' });

  doc.end();
  return finished;
}
