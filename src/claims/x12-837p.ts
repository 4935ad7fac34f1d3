// ASC X12 837P 005010X222A1 for a batch of claims (STANDARDS.md §4): envelopes with unique, increasing control
// numbers; the billing provider (2000A/2010AA); per claim the subscriber (2000B/2010BA, the member), the payer
// (2010BB), the claim (2300 CLM with its frequency, REF*F8 for a replacement or void), the rendering peer (2310B
// with PRV*PE*PXC*175T00000X) and its lines (2400 LX/SV1/DTP*472/REF*6R). Every file is parsed back with node-x12
// and checked (segment counts, HL parentage, CLM total = its lines, unique REF*6R, REF*F8 where needed) before it
// is offered: `check837` returns what is wrong, and `write837` refuses a file with any problem.
import { X12Parser, type X12Interchange } from 'node-x12';
import { PEER_TAXONOMY } from './claim-edits.ts';
import { elementOf, EnvelopeCheck, forEachSegment, type SegmentLike } from './x12-envelope.ts';

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
/** Plain printable ASCII without X12's separators needs only upper case and spaces tidied (most names and streets). */
const PLAIN = /^[ !-)+-9;-\]_-}]*$/;

export function x12Text(value: string, max = 60): string {
  if (PLAIN.test(value)) return value.toUpperCase().replace(/\s+/g, ' ').trim().slice(0, max);
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
  // Plain loops here and below: this runs once per claim of a million-line file.
  const diagnoses: string[] = [];
  for (const l of claim.lines) if (diagnoses.length < 12 && !diagnoses.includes(l.diagnosisCode)) diagnoses.push(l.diagnosisCode);
  const hi = ['HI'];
  for (let i = 0; i < diagnoses.length; i++) hi.push(`${i === 0 ? 'ABK' : 'ABF'}:${diagnoses[i]}`);
  segments.push(hi);
  segments.push(['NM1', '82', '1', x12Text(claim.rendering.lastName), x12Text(claim.rendering.firstName), '', '', '', 'XX', claim.rendering.npi]);
  segments.push(['PRV', 'PE', 'PXC', PEER_TAXONOMY]);
  for (let i = 0; i < claim.lines.length; i++) {
    const line = claim.lines[i]!;
    const dx = Math.max(1, diagnoses.indexOf(line.diagnosisCode) + 1);
    const procedure = line.modifiers === '' ? `HC:${line.procedureCode}` : `HC:${line.procedureCode}:${line.modifiers}`;
    segments.push(['LX', String(i + 1)]);
    segments.push(['SV1', procedure, x12Amount(line.chargeCents), 'UN', String(line.units), '', '', String(dx)]);
    segments.push(['DTP', '472', 'D8', ymd(line.serviceDate)]);
    segments.push(['REF', '6R', line.controlNumber]);
  }
  return segments;
}

const line = (elements: readonly string[]) => `${elements.join('*').replace(/\*+$/, '')}~`;

/**
 * An 837P written piece by piece — the envelope's start, each claim, the trailers — so a file of a million lines is
 * streamed, never held: the writer only counts segments (SE01) and HL numbers as it goes.
 */
export class Writer837 {
  private segments = 0;
  private claims = 0;
  private readonly control: string;
  private readonly gs: string;

  constructor(
    private readonly envelope: Envelope,
    private readonly parties: X12Parties,
    private readonly billing: BillingProvider,
    private readonly submitterId: string,
  ) {
    this.control = String(envelope.interchangeControl).padStart(9, '0');
    this.gs = String(envelope.interchangeControl);
  }

  private body(segments: readonly string[][]): string {
    this.segments += segments.length;
    let text = '';
    for (const s of segments) text += `${line(s)}\n`;
    return text;
  }

  begin(): string {
    const { envelope, parties, billing, submitterId } = this;
    const isa = `ISA*00*${pad('', 10)}*00*${pad('', 10)}*ZZ*${pad(submitterId, 15)}*ZZ*${pad(parties.receiverId, 15)}*${envelope.date.slice(2)}*${envelope.time}*^*00501*${this.control}*1*${parties.usage}*:~\n`;
    const gs = `${line(['GS', 'HC', submitterId, parties.receiverId, envelope.date, envelope.time, this.gs, 'X', '005010X222A1'])}\n`;
    return (
      isa +
      gs +
      this.body([
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
      ])
    );
  }

  claim(claim: ClaimToSend): string {
    this.claims++;
    return this.body(claimSegments(claim, this.parties, this.claims + 1));
  }

  end(): string {
    return `${line(['SE', String(this.segments + 1), '0001'])}\n${line(['GE', '1', this.gs])}\n${line(['IEA', '1', this.control])}\n`;
  }
}

/** The whole file as text, one segment per line (the `~` terminator ends each). */
export function render837(envelope: Envelope, parties: X12Parties, billing: BillingProvider, claims: readonly ClaimToSend[], submitterId: string): string {
  const writer = new Writer837(envelope, parties, billing, submitterId);
  return writer.begin() + claims.map((c) => writer.claim(c)).join('') + writer.end();
}

/**
 * Checks an 837P segment by segment as a parser reads it back: the envelope (EnvelopeCheck), HL numbering and
 * parentage, each CLM total against its lines, REF*F8 on a replacement or void, unique REF*6R, the peer taxonomy.
 * It keeps only counters and the line control numbers seen.
 */
export class Checker837 {
  private readonly problems: string[] = [];
  private readonly envelope = new EnvelopeCheck();
  private hls = new Set<string>();
  private expectedHl = 1;
  private claim: { id: string; total: number; lines: number; frequency: string; hasF8: boolean } | null = null;
  private readonly controls = new Set<string>();

  private problem(text: string | null) {
    if (text !== null && this.problems.length < 50) this.problems.push(text);
  }

  private closeClaim() {
    const claim = this.claim;
    if (!claim) return;
    if (Math.round(claim.total * 100) !== claim.lines) this.problem(`CLM ${claim.id}: the total ${claim.total} is not the sum of its lines (${claim.lines / 100}).`);
    if ((claim.frequency === '7' || claim.frequency === '8') && !claim.hasF8) this.problem(`CLM ${claim.id}: a replacement or void needs REF*F8.`);
    this.claim = null;
  }

  segment(segment: SegmentLike): void {
    if (segment.tag === 'SE') this.closeClaim();
    this.problem(this.envelope.segment(segment));
    switch (segment.tag) {
      case 'ST':
        this.hls = new Set();
        this.expectedHl = 1;
        return;
      case 'HL': {
        this.closeClaim();
        const id = elementOf(segment, 1);
        const parent = elementOf(segment, 2);
        if (Number(id) !== this.expectedHl++) this.problem(`HL ${id} is out of sequence.`);
        if (parent !== '' && !this.hls.has(parent)) this.problem(`HL ${id} names a parent (${parent}) that does not come before it.`);
        // Only parents are remembered: in an 837P every subscriber's parent is the billing provider.
        if (elementOf(segment, 4) === '1') this.hls.add(id);
        return;
      }
      case 'CLM':
        this.closeClaim();
        this.claim = { id: elementOf(segment, 1), total: Number(elementOf(segment, 2)), lines: 0, frequency: elementOf(segment, 5).split(':')[2] ?? '', hasF8: false };
        return;
      case 'SV1':
        if (this.claim) this.claim.lines += Math.round(Number(elementOf(segment, 2)) * 100);
        return;
      case 'REF':
        if (elementOf(segment, 1) === 'F8' && this.claim) this.claim.hasF8 = true;
        if (elementOf(segment, 1) === '6R') {
          if (this.controls.has(elementOf(segment, 2))) this.problem(`REF*6R ${elementOf(segment, 2)} appears twice.`);
          this.controls.add(elementOf(segment, 2));
        }
        return;
      case 'PRV':
        if (elementOf(segment, 1) === 'PE' && elementOf(segment, 3) !== PEER_TAXONOMY) this.problem(`A rendering provider's taxonomy is ${elementOf(segment, 3)}, not ${PEER_TAXONOMY}.`);
        return;
      default:
        return;
    }
  }

  finish(): string[] {
    this.problem(this.envelope.finish());
    return [...this.problems];
  }
}

/** What is wrong with an 837P file held as text, read back strictly with node-x12 (empty: nothing). */
export function check837(text: string): string[] {
  let interchange;
  try {
    interchange = new X12Parser(true).parse(text) as X12Interchange;
  } catch (err) {
    return [`The file does not parse: ${(err as Error).message}`];
  }
  const checker = new Checker837();
  checker.segment(interchange.header);
  for (const group of interchange.functionalGroups) {
    checker.segment(group.header);
    for (const tx of group.transactions) {
      checker.segment(tx.header);
      for (const segment of tx.segments) checker.segment(segment);
      checker.segment(tx.trailer);
    }
    checker.segment(group.trailer);
  }
  checker.segment(interchange.trailer);
  return checker.finish();
}

/** What is wrong with an 837P file on disk, streamed back through node-x12's parser. */
export async function check837File(path: string): Promise<string[]> {
  const checker = new Checker837();
  try {
    await forEachSegment({ path }, (segment) => checker.segment(segment));
  } catch (err) {
    return [`The file does not parse: ${(err as Error).message}`];
  }
  return checker.finish();
}
