// 835 005010X221A1 remittance ingest (STANDARDS.md §5): the file is parsed with node-x12 and checked whole before
// anything is posted — a malformed or unbalanced file is refused naming the segment and the reason, posting
// nothing. Claims are matched by CLP01 (our CLM01), lines by REF*6R and then by code and date; paid amounts and
// CAS adjustments are posted, CLP07 is kept for voids and replacements, and anything unmatched is reported and kept
// with the remittance, never dropped. The file's SHA-256 makes a second import of the same file change nothing.
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { X12Parser, type X12Interchange, type X12Segment } from 'node-x12';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { organizationsInScope } from '../organizations/organization-access.ts';
import { centsOf } from './fee-schedule.ts';
import { recordClaimState, type ClaimState } from './claim-status.ts';
import { claimLines, claims, remittances, type Adjustment } from './claims.schema.ts';

export interface Remittance835Result {
  remittanceId: string;
  alreadyImported: boolean;
  claimsMatched: number;
  linesPosted: number;
  paidCents: number;
  unmatched: Array<{ segment: string; reference: string; reason: string }>;
}

interface ParsedLine {
  procedureCode: string;
  chargeCents: number;
  paidCents: number;
  units: number;
  serviceDate: string | null;
  controlNumber: string | null;
  adjustments: Adjustment[];
  segmentNumber: number;
}

interface ParsedClaim {
  controlNumber: string;
  status: string;
  chargeCents: number;
  paidCents: number;
  payerControlNumber: string;
  adjustments: Adjustment[];
  lines: ParsedLine[];
  segmentNumber: number;
}

export interface Parsed835 {
  paymentCents: number;
  paidOn: string | null;
  traceNumber: string | null;
  payerName: string | null;
  claims: ParsedClaim[];
}

const refuse = (segment: string, n: number, reason: string) => new AppError('bad-request', `The 835 was not posted: segment ${n} (${segment}) ${reason}`, [{ path: `segment ${n}`, message: `${segment}: ${reason}` }]);
const el = (s: X12Segment, n: number) => s.elements[n - 1]?.value ?? '';
const amount = (text: string, segment: string, n: number): number => {
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw refuse(segment, n, `has "${text}" where an amount belongs`);
  return text.startsWith('-') ? -centsOf(text.slice(1)) : centsOf(text);
};
const isoOf = (ccyymmdd: string) => (/^\d{8}$/.test(ccyymmdd) ? `${ccyymmdd.slice(0, 4)}-${ccyymmdd.slice(4, 6)}-${ccyymmdd.slice(6, 8)}` : null);

/** CAS*<group>*<reason>*<amount>[*<qty>*<reason>*<amount>…]: up to six reason/amount pairs. */
function casAdjustments(s: X12Segment, n: number): Adjustment[] {
  const group = el(s, 1);
  if (!['CO', 'PR', 'OA', 'PI', 'CR'].includes(group)) throw refuse('CAS', n, `has the group code "${group}" (expected CO, PR, OA, PI or CR)`);
  const out: Adjustment[] = [];
  for (let i = 2; i <= 17; i += 3) {
    const reason = el(s, i);
    if (!reason) continue;
    out.push({ group, reason, cents: amount(el(s, i + 1), 'CAS', n) });
  }
  return out;
}

const sum = (adjustments: readonly Adjustment[]) => adjustments.reduce((t, a) => t + a.cents, 0);

/** The file read and checked: structure (node-x12, strict), amounts, and the balancing rules of §5.1. */
export function parse835(text: string): Parsed835 {
  let interchange: X12Interchange;
  try {
    interchange = new X12Parser(true).parse(text) as X12Interchange;
  } catch (err) {
    throw new AppError('bad-request', `The 835 was not posted: it is not a readable X12 file (${(err as Error).message}).`);
  }
  const tx = interchange.functionalGroups[0]?.transactions[0];
  if (!tx || el(tx.header, 1) !== '835') throw new AppError('bad-request', 'The 835 was not posted: the file holds no 835 transaction set (ST*835).');
  const result: Parsed835 = { paymentCents: 0, paidOn: null, traceNumber: null, payerName: null, claims: [] };
  let claim: ParsedClaim | null = null;
  let line: ParsedLine | null = null;
  let sawBpr = false;
  tx.segments.forEach((s, i) => {
    const n = i + 2; // ST is segment 1
    switch (s.tag) {
      case 'BPR':
        sawBpr = true;
        result.paymentCents = amount(el(s, 2), 'BPR', n);
        result.paidOn = isoOf(el(s, 16));
        break;
      case 'TRN':
        result.traceNumber = el(s, 2) || null;
        break;
      case 'N1':
        if (el(s, 1) === 'PR') result.payerName = el(s, 2) || null;
        break;
      case 'CLP':
        if (!el(s, 1)) throw refuse('CLP', n, 'has no claim control number (CLP01)');
        line = null;
        claim = { controlNumber: el(s, 1), status: el(s, 2), chargeCents: amount(el(s, 3), 'CLP', n), paidCents: amount(el(s, 4) || '0', 'CLP', n), payerControlNumber: el(s, 7), adjustments: [], lines: [], segmentNumber: n };
        result.claims.push(claim);
        break;
      case 'SVC': {
        if (!claim) throw refuse('SVC', n, 'comes before any CLP');
        const [qualifier, code = ''] = el(s, 1).split(':');
        if (qualifier !== 'HC' || !/^[A-Z0-9]{5}$/.test(code)) throw refuse('SVC', n, `has the procedure "${el(s, 1)}" (expected HC:<HCPCS>)`);
        line = { procedureCode: code, chargeCents: amount(el(s, 2), 'SVC', n), paidCents: amount(el(s, 3) || '0', 'SVC', n), units: Number(el(s, 5) || '1'), serviceDate: null, controlNumber: null, adjustments: [], segmentNumber: n };
        claim.lines.push(line);
        break;
      }
      case 'DTM':
        if (line && el(s, 1) === '472') line.serviceDate = isoOf(el(s, 2));
        break;
      case 'CAS':
        if (line) line.adjustments.push(...casAdjustments(s, n));
        else if (claim) claim.adjustments.push(...casAdjustments(s, n));
        else throw refuse('CAS', n, 'comes before any CLP');
        break;
      case 'REF':
        if (line && el(s, 1) === '6R') line.controlNumber = el(s, 2) || null;
        break;
      default:
        break;
    }
  });
  if (!sawBpr) throw new AppError('bad-request', 'The 835 was not posted: it has no BPR (payment) segment.');
  for (const c of result.claims) {
    for (const l of c.lines) {
      if (l.chargeCents - l.paidCents !== sum(l.adjustments)) throw refuse('SVC', l.segmentNumber, `does not balance: charge ${l.chargeCents / 100} − paid ${l.paidCents / 100} is not the sum of its CAS adjustments (${sum(l.adjustments) / 100})`);
    }
    const allAdjustments = sum(c.adjustments) + c.lines.reduce((t, l) => t + sum(l.adjustments), 0);
    if (c.chargeCents - c.paidCents !== allAdjustments) throw refuse('CLP', c.segmentNumber, `does not balance: charge ${c.chargeCents / 100} − paid ${c.paidCents / 100} is not the sum of the claim's adjustments (${allAdjustments / 100})`);
  }
  const paid = result.claims.reduce((t, c) => t + c.paidCents, 0);
  if (paid !== result.paymentCents) throw refuse('BPR', 2, `pays ${result.paymentCents / 100}, but the claims' payments add up to ${paid / 100}`);
  return result;
}

/** The claim's state after the payer's answer: CLP02 1–3 processed, 4 denied, 22 a reversal of a payment. */
function stateAfter(c: ParsedClaim): ClaimState {
  if (c.status === '22') return 'voided';
  if (c.status === '4' || c.paidCents === 0) return 'denied';
  return c.paidCents >= c.chargeCents ? 'paid' : 'partly_paid';
}

export async function ingest835(db: Db, input: { text: string; fileName: string }, context: UseCaseContext): Promise<Remittance835Result> {
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const [already] = await db.select().from(remittances).where(eq(remittances.sha256, sha256));
  if (already) return { remittanceId: already.id, alreadyImported: true, claimsMatched: already.claimsMatched, linesPosted: already.linesPosted, paidCents: already.paymentCents, unmatched: already.unmatched };
  const parsed = parse835(input.text);
  const scope = await organizationsInScope(db, 'claims.manage', context, { peerWork: false });
  const found = parsed.claims.length === 0 ? [] : await db.select().from(claims).where(inArray(claims.controlNumber, parsed.claims.map((c) => c.controlNumber)));
  // Claims of organizations out of the actor's reach are reported as unmatched, exactly like unknown ones.
  const ours = new Map(found.filter((c) => scope === 'all' || scope.includes(c.organizationId)).map((c) => [c.controlNumber, c]));
  const lines = ours.size === 0 ? [] : await db.select().from(claimLines).where(inArray(claimLines.claimId, [...ours.values()].map((c) => c.id)));
  const unmatched: Remittance835Result['unmatched'] = [];
  let claimsMatched = 0;
  let linesPosted = 0;
  return db.transaction(async (tx) => {
    for (const pc of parsed.claims) {
      const claim = ours.get(pc.controlNumber);
      if (!claim) {
        unmatched.push({ segment: `CLP (segment ${pc.segmentNumber})`, reference: pc.controlNumber, reason: 'No claim of yours has this control number.' });
        continue;
      }
      if (!['submitted', 'accepted', 'paid', 'partly_paid', 'denied'].includes(claim.state)) {
        unmatched.push({ segment: `CLP (segment ${pc.segmentNumber})`, reference: pc.controlNumber, reason: `The claim is ${claim.state}; only a submitted claim is adjudicated.` });
        continue;
      }
      claimsMatched++;
      const own = lines.filter((l) => l.claimId === claim.id);
      for (const pl of pc.lines) {
        const match = own.find((l) => pl.controlNumber !== null && l.controlNumber === pl.controlNumber) ?? (pl.controlNumber === null ? own.find((l) => l.procedureCode === pl.procedureCode && claim.serviceDate === pl.serviceDate) : undefined);
        if (!match) {
          unmatched.push({ segment: `SVC (segment ${pl.segmentNumber})`, reference: pl.controlNumber ?? `${pc.controlNumber} ${pl.procedureCode}`, reason: 'No line of the claim has this line control number (REF*6R), code and date.' });
          continue;
        }
        await tx.update(claimLines).set({ paidCents: pl.paidCents, adjustments: pl.adjustments }).where(eq(claimLines.id, match.id));
        linesPosted++;
      }
      await tx.update(claims).set({ paidCents: pc.paidCents, payerControlNumber: pc.payerControlNumber || claim.payerControlNumber, adjustments: pc.adjustments }).where(eq(claims.id, claim.id));
      const to = stateAfter(pc);
      await recordClaimState(tx, { id: claim.id, controlNumber: claim.controlNumber, state: claim.state as ClaimState }, to, `835 ${input.fileName}: CLP02 ${pc.status}, paid ${pc.paidCents / 100}`, context);
    }
    const [row] = await tx
      .insert(remittances)
      .values({ sha256, fileName: input.fileName, payerName: parsed.payerName, traceNumber: parsed.traceNumber, paymentCents: parsed.paymentCents, paidOn: parsed.paidOn, claimsMatched, linesPosted, unmatched, receivedBy: actorUserId(context.actor) })
      .returning({ id: remittances.id });
    await recordAudit(tx, { ...auditContext(context), action: 'claims.835.ingest', entityType: 'remittance', entityId: row!.id, changes: [{ field: 'posted', before: null, after: { claimsMatched, linesPosted, unmatched: unmatched.length, sha256 } }] });
    return { remittanceId: row!.id, alreadyImported: false, claimsMatched, linesPosted, paidCents: parsed.paymentCents, unmatched };
  });
}
