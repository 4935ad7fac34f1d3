// A verification receipt as a PDF for an audit file: the facts in words, and the signed receipt itself printed in
// full so the paper copy can be checked too (paste the JSON into POST /api/v1/registry/receipts/verify).
import { ACCENT, INK, longDate, MUTED, PROGRAM_CREDENTIAL, registryUrl, certificateQrPng, startPdf, STATUS_NAMES } from '../certification/certificate-pdf.ts';
import type { Receipt } from './receipts.ts';

export async function renderReceiptPdf(receipt: Receipt, options: { compress?: boolean } = {}): Promise<Buffer> {
  const r = receipt.receipt;
  const { doc, finished } = startPdf({
    size: 'LETTER',
    margin: 56,
    compress: options.compress ?? true,
    info: { Title: `Verification of ${r.number} on ${r.asOf}`, Subject: 'Certification verification receipt', Creator: 'Medi-Cal Peer Support Services platform' },
  });
  const width = doc.page.width - 112;
  doc.font('body').fontSize(9).fillColor(MUTED).text('MEDI-CAL PEER SUPPORT SERVICES · PUBLIC REGISTRY', { characterSpacing: 1.2 });
  doc.moveDown(0.4).font('title').fontSize(20).fillColor(ACCENT).text('Certification verification receipt');
  doc.moveDown(0.6).font('bold').fontSize(13).fillColor(INK).text(
    r.certified ? `${r.name} was a ${PROGRAM_CREDENTIAL} on ${longDate(r.asOf)}.` : `${r.name} was not certified on ${longDate(r.asOf)}.`,
    { width },
  );
  const rows: Array<[string, string]> = [
    ['Certification number', r.number],
    ['Date verified', longDate(r.asOf)],
    ['Status on that date', r.status === 'not_issued' ? 'Not yet issued' : STATUS_NAMES[r.status]],
    ['Term covering the date', r.term ? `${longDate(r.term.issuedOn)} through ${longDate(r.term.validThrough)}` : 'None'],
    ['Receipt issued', r.issuedAt],
    ['Issued by', r.issuer],
    ['Signing key', `${r.kid} (Ed25519, published at ${r.issuer.replace(/\/+$/, '')}/api/v1/registry/keys)`],
  ];
  let y = doc.y + 16;
  for (const [label, value] of rows) {
    doc.font('bold').fontSize(10).fillColor(MUTED).text(label, 56, y, { width: 150 });
    const labelEnd = doc.y;
    doc.font('body').fontSize(10).fillColor(INK).text(value, 216, y, { width: width - 160 });
    y = Math.max(labelEnd, doc.y) + 6;
  }
  const url = `${registryUrl(r.issuer, r.number)}?asOf=${r.asOf}`;
  doc.image(await certificateQrPng(url), doc.page.width - 56 - 96, 56, { width: 96, height: 96 });
  doc.font('bold').fontSize(10).fillColor(INK).text('The signed receipt', 56, y + 14);
  doc
    .font('body')
    .fontSize(8)
    .fillColor(MUTED)
    .text('The signature covers the "receipt" object as RFC 8785 canonical JSON. Anyone can check it with the published key, offline, or by sending this JSON to /api/v1/registry/receipts/verify.', { width });
  doc.moveDown(0.4).fontSize(7.5).fillColor(INK).text(JSON.stringify(receipt, null, 1), { width });
  doc.end();
  return finished;
}
