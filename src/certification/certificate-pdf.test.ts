// The certificate PDF: what it says, and that its QR code carries exactly the registry address printed under it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import type { CertificateData } from './certificate-data.ts';
import { certificateQrPng, registryUrl, renderCertificatePdf } from './certificate-pdf.ts';
import { pdfText } from './pdf-text.testing.ts';

const data: CertificateData = {
  certificationId: '00000000-0000-4000-8000-000000000001',
  legalName: { first: 'María', middle: 'José', last: 'Nguyễn' },
  fullName: 'María José Nguyễn',
  number: 'PSS-100001',
  firstIssuedOn: '2022-11-20',
  issuedOn: '2024-11-20',
  expiresOn: '2026-11-20',
  validThrough: '2026-11-19',
  status: 'active',
  asOf: '2025-06-01',
  specializations: [
    { specialization: 'crisis_care', completedOn: '2023-04-01' },
    { specialization: 'justice_involved', completedOn: '2024-02-02' },
  ],
};
const verifyUrl = registryUrl('https://pss.example.org/', data.number);

describe('the certificate', () => {
  test('is a landscape letter PDF with the credential, the legal name, number, dates, specializations and issuer', async () => {
    const pdf = await renderCertificatePdf(data, verifyUrl, { compress: false });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 792 612\]/, 'letter, landscape (11 × 8.5 in)');
    const text = pdfText(pdf);
    for (const expected of [
      'Certified Medi-Cal Peer Support Specialist',
      'María José Nguyễn', // characters beyond the standard PDF fonts come through
      'PSS-100001',
      'November 20, 2022', // first issued
      'November 20, 2024', // this term issued
      'November 19, 2026', // valid through: the day before the half-open term ends
      'Status\nActive as of June 1, 2025',
      'Specializations\nPeer Services in Crisis Care (April 1, 2023)\nPeer Services for Justice-Involved (February 2, 2024)',
      'Certifying entity',
      'https://pss.example.org/registry/PSS-100001',
    ]) {
      assert.ok(text.includes(expected), `the certificate shows "${expected}":\n${text}`);
    }
    assert.ok(!text.includes('November 20, 2026'), 'the expiry date itself is not shown as a date of validity');
  });

  test('says so when the certification is not active, and when there are no specializations', async () => {
    const text = pdfText(await renderCertificatePdf({ ...data, status: 'suspended', specializations: [] }, verifyUrl, { compress: false }));
    assert.match(text, /Status\nSuspended as of June 1, 2025/);
    assert.match(text, /Specializations\nNone/);
  });

  test('gets its QR code from exactly the registry URL it prints, and embeds that image', async () => {
    const payloads: string[] = [];
    const pdf = await renderCertificatePdf(data, verifyUrl, {
      compress: false,
      qrPng: (payload) => {
        payloads.push(payload);
        return certificateQrPng(payload);
      },
    });
    assert.deepEqual(payloads, ['https://pss.example.org/registry/PSS-100001']);
    assert.match(pdf.toString('latin1'), /\/Subtype \/Image/);
    const qr = await certificateQrPng(verifyUrl);
    assert.deepEqual([...qr.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  });

  test('is compressed unless asked not to be, and says the same', async () => {
    const pdf = await renderCertificatePdf(data, verifyUrl);
    const plain = await renderCertificatePdf(data, verifyUrl, { compress: false });
    assert.match(pdf.toString('latin1'), /\/FlateDecode/);
    assert.ok(pdf.length < plain.length);
    assert.equal(pdfText(pdf), pdfText(plain));
  });
});

describe('the verify address', () => {
  test('is the registry page of the number under the base address, whatever its trailing slash', () => {
    assert.equal(registryUrl('https://pss.example.org', 'PSS-100001'), 'https://pss.example.org/registry/PSS-100001');
    assert.equal(registryUrl('http://127.0.0.1:3000/', 'PSS-100001'), 'http://127.0.0.1:3000/registry/PSS-100001');
  });

  test('fits a QR code a phone reads easily, holding the URL byte for byte', () => {
    const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' });
    assert.ok(qr.version <= 4, `version ${qr.version}: small enough to scan at 2 inches`);
    const segments = qr.segments as unknown as Array<{ data: Uint8Array | string }>;
    assert.equal(segments.map((s) => (typeof s.data === 'string' ? s.data : Buffer.from(s.data).toString('utf8'))).join(''), verifyUrl);
  });
});
