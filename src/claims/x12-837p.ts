// ASC X12 837P 005010X222A1 for a batch of claims (STANDARDS.md §4): envelopes with unique, increasing control
// numbers; the billing provider (2000A/2010AA); per claim the subscriber (2000B/2010BA, the member), the payer
// (2010BB), the claim (2300 CLM with its frequency, REF*F8 for a replacement or void), the rendering peer (2310B
// with PRV*PE*PXC*175T00000X) and its lines (2400 LX/SV1/DTP*472/REF*6R). Every file is parsed back with node-x12
// and checked (segment counts, HL parentage, CLM total = its lines, unique REF*6R, REF*F8 where needed) before it
// is offered: `check837` returns what is wrong, and `write837` refuses a file with any problem.
import { X12Parser, type X12Interchange } from 'node-x12';
import { PEER_TAXONOMY } from './claim-edits.ts';

export interface X12Parties {
  receiverName: string;
  receiverId: string;
  payerName: string;
  payerId: string;
  usage: 'T' | 'P';
}

export interface BillingProvider {
  name: string;
  npi: string;
  taxId: string;
  street: string;
  city: string;
  state: string;
  zip: string;
}

export interface ClaimToSend {
  controlNumber: string;
  frequency: '1' | '7' | '8';
  payerControlNumber: string | null;
  placeOfService: string;
  totalCents: number;
  member: { id: string; firstName: string; lastName: string; birthDate: string; sex: string; street: string; city: string; zip: string };
  rendering: { firstName: string; lastName: string; npi: string };
  lines: ReadonlyArray<{ procedureCode: string; modifiers: string; chargeCents: number; units: number; serviceDate: string; controlNumber: string; diagnosisCode: string }>;
}

export interface Envelope {
  interchangeControl: number;
  /** When the file is made: YYYYMMDD and HHMM. */
  date: string;
  time: string;
  batchReference: string;
}

/** Element text X12 can carry: upper case, no separators, single spaces. */
export function x12Text(value: string, max = 60): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[*:^~\r\n]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** Cents as an X12 decimal amount: 12000 → "120", 12050 → "120.5", 2649 → "26.49". */
export function x12Amount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

const pad = (value: string, width: number) => value.padEnd(width, ' ').slice(0, width);
const ymd = (iso: string) => iso.replaceAll('-', '');
const zip9 = (zip: string) => zip.replace('-', '').padEnd(9, '0').slice(0, 9);

/** The segments of one claim (2000B to its last 2400), numbered from `hl` under the billing provider's HL 1. */
export function claimSegments(claim: ClaimToSend, parties: X12Parties, hl: number): string[][] {
  const segments: string[][] = [
    ['HL', String(hl), '1', '22', '0'],
    ['SBR', 'P', '18', '', '', '', '', '', '', 'MC'],
    ['NM1', 'IL', '1', x12Text(claim.member.lastName), x12Text(claim.member.firstName), '', '', '', 'MI', claim.member.id],
    ['N3', x12Text(claim.member.street, 55)],
    ['N4', x12Text(claim.member.city, 30), 'CA', zip9(claim.member.zip)],
    ['DMG', 'D8', ymd(claim.member.birthDate), claim.member.sex],
    ['NM1', 'PR', '2', x12Text(parties.payerName), '', '', '', '', 'PI', parties.payerId],
    ['CLM', claim.controlNumber, x12Amount(claim.totalCents), '', '', `${claim.placeOfService}:B:${claim.frequency}`, 'Y', 'A', 'Y', 'Y'],
  ];
  if (claim.frequency !== '1' && claim.payerControlNumber) segments.push(['REF', 'F8', claim.payerControlNumber]);
  // The claim's diagnoses are its lines' own, in order of first use (at most 12); each line points to its own.
  const diagnoses = [...new Set(claim.lines.map((l) => l.diagnosisCode))].slice(0, 12);
  segments.push(['HI', ...diagnoses.map((dx, i) => `${i === 0 ? 'ABK' : 'ABF'}:${dx}`)]);
  segments.push(['NM1', '82', '1', x12Text(claim.rendering.lastName), x12Text(claim.rendering.firstName), '', '', '', 'XX', claim.rendering.npi]);
  segments.push(['PRV', 'PE', 'PXC', PEER_TAXONOMY]);
  claim.lines.forEach((line, i) => {
    const dx = Math.max(1, diagnoses.indexOf(line.diagnosisCode) + 1);
    segments.push(['LX', String(i + 1)]);
    segments.push(['SV1', ['HC', line.procedureCode, ...line.modifiers.split(':').filter(Boolean)].join(':'), x12Amount(line.chargeCents), 'UN', String(line.units), '', '', String(dx)]);
    segments.push(['DTP', '472', 'D8', ymd(line.serviceDate)]);
    segments.push(['REF', '6R', line.controlNumber]);
  });
  return segments;
}

const line = (elements: readonly string[]) => `${elements.join('*').replace(/\*+$/, '')}~`;

/** The whole file as text, one segment per line (the `~` terminator ends each). */
export function render837(envelope: Envelope, parties: X12Parties, billing: BillingProvider, claims: readonly ClaimToSend[], submitterId: string): string {
  const control = String(envelope.interchangeControl).padStart(9, '0');
  const gs = String(envelope.interchangeControl);
  const out: string[] = [];
  out.push(`ISA*00*${pad('', 10)}*00*${pad('', 10)}*ZZ*${pad(submitterId, 15)}*ZZ*${pad(parties.receiverId, 15)}*${envelope.date.slice(2)}*${envelope.time}*^*00501*${control}*1*${parties.usage}*:~`);
  out.push(line(['GS', 'HC', submitterId, parties.receiverId, envelope.date, envelope.time, gs, 'X', '005010X222A1']));
  const body: string[][] = [
    ['ST', '837', '0001', '005010X222A1'],
    ['BHT', '0019', '00', envelope.batchReference, envelope.date, envelope.time, 'CH'],
    ['NM1', '41', '2', x12Text(billing.name), '', '', '', '', '46', submitterId],
    ['PER', 'IC', 'BILLING', 'TE', '0000000000'],
    ['NM1', '40', '2', x12Text(parties.receiverName), '', '', '', '', '46', parties.receiverId],
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', x12Text(billing.name), '', '', '', '', 'XX', billing.npi],
    ['N3', x12Text(billing.street, 55)],
    ['N4', x12Text(billing.city, 30), billing.state, zip9(billing.zip)],
    ['REF', 'EI', billing.taxId],
  ];
  claims.forEach((claim, i) => body.push(...claimSegments(claim, parties, i + 2)));
  body.push(['SE', String(body.length + 1), '0001']);
  for (const segment of body) out.push(line(segment));
  out.push(line(['GE', '1', gs]));
  out.push(line(['IEA', '1', control]));
  return `${out.join('\n')}\n`;
}

/** What is wrong with an 837P file, read back with node-x12 (empty: nothing). */
export function check837(text: string): string[] {
  const problems: string[] = [];
  let interchange;
  try {
    interchange = new X12Parser(true).parse(text) as X12Interchange;
  } catch (err) {
    return [`The file does not parse: ${(err as Error).message}`];
  }
  const value = (segment: { elements: Array<{ value: string }> }, n: number) => segment.elements[n - 1]?.value ?? '';
  if (value(interchange.header, 13) !== value(interchange.trailer, 2)) problems.push('ISA13 and IEA02 differ.');
  if (Number(value(interchange.trailer, 1)) !== interchange.functionalGroups.length) problems.push('IEA01 is not the number of functional groups.');
  const controls = new Set<string>();
  for (const group of interchange.functionalGroups) {
    if (value(group.header, 6) !== value(group.trailer, 2)) problems.push('GS06 and GE02 differ.');
    if (Number(value(group.trailer, 1)) !== group.transactions.length) problems.push('GE01 is not the number of transaction sets.');
    for (const tx of group.transactions) {
      if (value(tx.header, 2) !== value(tx.trailer, 2)) problems.push('ST02 and SE02 differ.');
      const hls = new Set<string>();
      let expectedHl = 1;
      let claim: { id: string; total: number; lines: number; frequency: string; hasF8: boolean } | null = null;
      const closeClaim = () => {
        if (!claim) return;
        if (Math.round(claim.total * 100) !== claim.lines) problems.push(`CLM ${claim.id}: the total is not the sum of its lines.`);
        if ((claim.frequency === '7' || claim.frequency === '8') && !claim.hasF8) problems.push(`CLM ${claim.id}: a replacement or void needs REF*F8.`);
        claim = null;
      };
      for (const segment of tx.segments) {
        const tag = segment.tag;
        if (tag === 'HL') {
          closeClaim();
          const id = value(segment, 1);
          const parent = value(segment, 2);
          if (Number(id) !== expectedHl++) problems.push(`HL ${id} is out of sequence.`);
          if (parent !== '' && !hls.has(parent)) problems.push(`HL ${id} names a parent (${parent}) that does not come before it.`);
          hls.add(id);
        } else if (tag === 'CLM') {
          closeClaim();
          claim = { id: value(segment, 1), total: Number(value(segment, 2)), lines: 0, frequency: value(segment, 5).split(':')[2] ?? '', hasF8: false };
        } else if (tag === 'SV1' && claim) {
          claim.lines += Math.round(Number(value(segment, 2)) * 100);
        } else if (tag === 'REF' && value(segment, 1) === 'F8' && claim) {
          claim.hasF8 = true;
        } else if (tag === 'REF' && value(segment, 1) === '6R') {
          const ref = value(segment, 2);
          if (controls.has(ref)) problems.push(`REF*6R ${ref} appears twice.`);
          controls.add(ref);
        } else if (tag === 'PRV' && value(segment, 1) === 'PE' && value(segment, 3) !== PEER_TAXONOMY) {
          problems.push(`A rendering provider's taxonomy is ${value(segment, 3)}, not ${PEER_TAXONOMY}.`);
        }
      }
      closeClaim();
    }
  }
  return problems;
}
