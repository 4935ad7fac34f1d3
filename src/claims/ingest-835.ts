// 835 005010X221A1 remittance ingest (STANDARDS.md §5): the file is parsed with node-x12 and checked whole before
// anything is posted — a malformed or unbalanced file is refused naming the segment and the reason, posting
// nothing. Claims are matched by CLP01 (our CLM01), lines by REF*6R and then by code and date; paid amounts and
// CAS adjustments are posted, CLP07 is kept for voids and replacements, and anything unmatched is reported and kept
// with the remittance, never dropped. The file's SHA-256 makes a second import of the same file change nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { arrayParam, queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { organizationsInScope } from '../organizations/organization-access.ts';
import { centsOf } from './fee-schedule.ts';
import { CLAIM_TRANSITIONS } from './claim-status.ts';
import { remittances, type Adjustment } from './claims.schema.ts';
import { elementOf, EnvelopeCheck, forEachSegment, type SegmentLike } from './x12-envelope.ts';

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
const el = elementOf;
const amount = (text: string, segment: string, n: number): number => {
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw refuse(segment, n, `has "${text}" where an amount belongs`);
  return text.startsWith('-') ? -centsOf(text.slice(1)) : centsOf(text);
};
const isoOf = (ccyymmdd: string) => (/^\d{8}$/.test(ccyymmdd) ? `${ccyymmdd.slice(0, 4)}-${ccyymmdd.slice(4, 6)}-${ccyymmdd.slice(6, 8)}` : null);

/** CAS*<group>*<reason>*<amount>[*<qty>*<reason>*<amount>…]: up to six reason/amount pairs. */
function casAdjustments(s: SegmentLike, n: number): Adjustment[] {
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

/** Claims handed to the caller as each one closes, checked; the header's figures when the file has ended. */
export interface Read835 {
  paymentCents: number;
  paidOn: string | null;
  traceNumber: string | null;
  payerName: string | null;
  claims: number;
}

function checkBalance(c: ParsedClaim): void {
  for (const l of c.lines) {
    if (l.chargeCents - l.paidCents !== sum(l.adjustments)) throw refuse('SVC', l.segmentNumber, `does not balance: charge ${l.chargeCents / 100} − paid ${l.paidCents / 100} is not the sum of its CAS adjustments (${sum(l.adjustments) / 100})`);
  }
  const allAdjustments = sum(c.adjustments) + c.lines.reduce((t, l) => t + sum(l.adjustments), 0);
  if (c.chargeCents - c.paidCents !== allAdjustments) throw refuse('CLP', c.segmentNumber, `does not balance: charge ${c.chargeCents / 100} − paid ${c.paidCents / 100} is not the sum of the claim's adjustments (${allAdjustments / 100})`);
}

/**
 * The file read as a stream with node-x12 and checked as it goes — the envelope, amounts, and the balancing rules of
 * §5.1 — each claim given to `onClaim` once its last segment is read. Anything wrong throws, naming the segment:
 * the caller posts inside a transaction, so a refused file posts nothing.
 */
export async function read835(source: { text: string } | { path: string }, onClaim: (claim: ParsedClaim) => void | Promise<void>): Promise<Read835> {
  const result: Read835 = { paymentCents: 0, paidOn: null, traceNumber: null, payerName: null, claims: 0 };
  const envelope = new EnvelopeCheck();
  let claim: ParsedClaim | null = null;
  let line: ParsedLine | null = null;
  let sawBpr = false;
  let sawSt = false;
  let paid = 0;
  // Returns a promise only when the caller's onClaim does (staging a few thousand claims), so most segments are
  // read without one.
  const close = (): void | Promise<void> => {
    if (!claim) return;
    checkBalance(claim);
    paid += claim.paidCents;
    result.claims++;
    const done = claim;
    claim = null;
    line = null;
    return onClaim(done);
  };
  const handle = (s: SegmentLike): void | Promise<void> => {
    const problem = envelope.segment(s);
    // Segments are numbered within the transaction set, ST being 1, as before.
    const n = envelope.segmentsInTransaction;
    if (problem) throw sawSt ? refuse(s.tag, n, problem) : new AppError('bad-request', `The 835 was not posted: it is not a readable X12 file (${problem}).`);
    switch (s.tag) {
      case 'ST':
        if (sawSt) throw refuse('ST', n, 'begins a second transaction set; send one 835 per file');
        if (el(s, 1) !== '835') throw new AppError('bad-request', 'The 835 was not posted: the file holds no 835 transaction set (ST*835).');
        sawSt = true;
        break;
      case 'SE':
        return close();
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
      case 'CLP': {
        const staging = close();
        if (!el(s, 1)) throw refuse('CLP', n, 'has no claim control number (CLP01)');
        claim = { controlNumber: el(s, 1), status: el(s, 2), chargeCents: amount(el(s, 3), 'CLP', n), paidCents: amount(el(s, 4) || '0', 'CLP', n), payerControlNumber: el(s, 7), adjustments: [], lines: [], segmentNumber: n };
        return staging;
      }
      case 'PLB':
        // Provider-level adjustments end the claims: they belong to the payment, not to any claim.
        return close();
      case 'SVC': {
        if (!claim) throw refuse('SVC', n, 'comes before any CLP');
        const [qualifier, code = ''] = el(s, 1).split(':');
        if (qualifier !== 'HC' || !/^[A-Z0-9]{5}$/.test(code)) throw refuse('SVC', n, `has the procedure "${el(s, 1)}" (expected HC:<HCPCS>)`);
        const current: ParsedClaim = claim;
        line = { procedureCode: code, chargeCents: amount(el(s, 2), 'SVC', n), paidCents: amount(el(s, 3) || '0', 'SVC', n), units: Number(el(s, 5) || '1'), serviceDate: null, controlNumber: null, adjustments: [], segmentNumber: n };
        current.lines.push(line);
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
  };
  try {
    await forEachSegment(source, handle);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad-request', `The 835 was not posted: it is not a readable X12 file (${(err as Error).message}).`);
  }
  const ended = envelope.finish();
  if (ended) throw new AppError('bad-request', `The 835 was not posted: it is not a readable X12 file (${ended}).`);
  if (!sawSt) throw new AppError('bad-request', 'The 835 was not posted: the file holds no 835 transaction set (ST*835).');
  if (!sawBpr) throw new AppError('bad-request', 'The 835 was not posted: it has no BPR (payment) segment.');
  if (paid !== result.paymentCents) throw refuse('BPR', 2, `pays ${result.paymentCents / 100}, but the claims' payments add up to ${paid / 100}`);
  return result;
}

/** The whole file read into memory (tests and small files): the same reader, the claims collected. */
export async function parse835(text: string): Promise<Parsed835> {
  const claims: ParsedClaim[] = [];
  const header = await read835({ text }, (c) => {
    claims.push(c);
  });
  return { paymentCents: header.paymentCents, paidOn: header.paidOn, traceNumber: header.traceNumber, payerName: header.payerName, claims };
}

/** Parsed claims and lines are staged this many claims at a time. */
const STAGE_CLAIMS = 5000;
/** Memory for each sort and hash of the posting statements, for this transaction only. */
const POSTING_WORK_MEM = '256MB';

/** The file's SHA-256, read as a stream for a file on disk. */
async function sha256Of(source: { text: string } | { path: string }): Promise<string> {
  const hash = createHash('sha256');
  if ('text' in source) return hash.update(source.text).digest('hex');
  for await (const chunk of createReadStream(source.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Post an 835. The file is read and staged into temporary tables as it streams (never held whole), then matched and
 * posted set-based: claims by CLP01 among the organizations in the actor's reach, lines by REF*6R or else by code
 * and date, each claim's new state checked against the transition table. A claim named twice in one file (a
 * reversal and its correction) is posted in file order. One transaction: a refused file posts nothing.
 */
export async function ingest835(db: Db, input: ({ text: string } | { path: string }) & { fileName: string }, context: UseCaseContext): Promise<Remittance835Result> {
  const sha256 = await sha256Of(input);
  const [already] = await db.select().from(remittances).where(eq(remittances.sha256, sha256));
  if (already) return { remittanceId: already.id, alreadyImported: true, claimsMatched: already.claimsMatched, linesPosted: already.linesPosted, paidCents: already.paymentCents, unmatched: already.unmatched };
  const scope = await organizationsInScope(db, 'claims.manage', context, { peerWork: false });
  return db.transaction(async (tx) => {
    // Posting joins a million staged lines to a million claim lines: with room to hash them in one go, the join
    // hands rows on in the order they were staged (the order of the lines on disk, below) instead of in scattered
    // batches, and each page of claim lines is visited once.
    await tx.execute(sql.raw(`set local work_mem = '${POSTING_WORK_MEM}'`));
    await tx.execute(sql`create temp table remit_claims (seq int primary key, cn text, status text, charge int, paid int, pcn text, adjustments jsonb, segment int, reason text) on commit drop`);
    await tx.execute(sql`create temp table remit_lines (claim_seq int, line_cn text, code text, service_date date, paid int, adjustments jsonb, segment int) on commit drop`);
    let buffer: ParsedClaim[] = [];
    let seq = 0;
    const stage = async () => {
      if (buffer.length === 0) return;
      const first = seq - buffer.length;
      const rows = buffer;
      buffer = [];
      await tx.execute(sql`insert into remit_claims select * from unnest(${arrayParam(rows.map((_, i) => first + i), 'int')}, ${arrayParam(rows.map((c) => c.controlNumber), 'text')}, ${arrayParam(rows.map((c) => c.status), 'text')},
        ${arrayParam(rows.map((c) => c.chargeCents), 'int')}, ${arrayParam(rows.map((c) => c.paidCents), 'int')}, ${arrayParam(rows.map((c) => c.payerControlNumber), 'text')}, ${arrayParam(rows.map((c) => JSON.stringify(c.adjustments)), 'jsonb')},
        ${arrayParam(rows.map((c) => c.segmentNumber), 'int')}, ${arrayParam(rows.map((c) => `835 ${input.fileName}: CLP02 ${c.status}, paid ${c.paidCents / 100}`), 'text')})`);
      const lines = rows.flatMap((c, i) => c.lines.map((l) => ({ seq: first + i, l })));
      if (lines.length === 0) return;
      await tx.execute(sql`insert into remit_lines select * from unnest(${arrayParam(lines.map((x) => x.seq), 'int')}, ${arrayParam(lines.map((x) => x.l.controlNumber), 'text')}, ${arrayParam(lines.map((x) => x.l.procedureCode), 'text')},
        ${arrayParam(lines.map((x) => x.l.serviceDate), 'date')}, ${arrayParam(lines.map((x) => x.l.paidCents), 'int')}, ${arrayParam(lines.map((x) => JSON.stringify(x.l.adjustments)), 'jsonb')}, ${arrayParam(lines.map((x) => x.l.segmentNumber), 'int')})`);
    };
    const header = await read835(input, async (c) => {
      buffer.push(c);
      seq++;
      if (buffer.length >= STAGE_CLAIMS) await stage();
    });
    await stage();
    // Temporary tables have no statistics until asked: without them a million rows are planned as a thousand.
    await tx.execute(sql`analyze remit_claims`);
    await tx.execute(sql`analyze remit_lines`);
    const posted = await postStaged(tx, scope, context);
    const [row] = await tx
      .insert(remittances)
      .values({ sha256, fileName: input.fileName, payerName: header.payerName, traceNumber: header.traceNumber, paymentCents: header.paymentCents, paidOn: header.paidOn, claimsMatched: posted.claimsMatched, linesPosted: posted.linesPosted, unmatched: posted.unmatched, receivedBy: actorUserId(context.actor) })
      .returning({ id: remittances.id });
    await recordAudit(tx, { ...auditContext(context), action: 'claims.835.ingest', entityType: 'remittance', entityId: row!.id, changes: [{ field: 'posted', before: null, after: { claimsMatched: posted.claimsMatched, linesPosted: posted.linesPosted, unmatched: posted.unmatched.length, sha256 } }] });
    return { remittanceId: row!.id, alreadyImported: false, claimsMatched: posted.claimsMatched, linesPosted: posted.linesPosted, paidCents: header.paymentCents, unmatched: posted.unmatched };
  });
}

/** States a claim may be adjudicated in; a voided or replaced claim takes only a reversal (CLP02 22). */
const ADJUDICABLE = ['submitted', 'accepted', 'paid', 'partly_paid', 'denied'];

type Unmatched = Remittance835Result['unmatched'][number] & { at: number };

/** The staged remittance matched and posted, in passes: a claim named twice in the file is posted in file order. */
async function postStaged(tx: Db, scope: 'all' | string[], context: UseCaseContext) {
  const transitions = Object.entries(CLAIM_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
  const inScope = scope === 'all' ? sql`true` : sql`c.organization_id = any(${arrayParam(scope, 'uuid')})`;
  // CLP02 1–3 processed, 4 denied, 22 a reversal of an earlier payment; a void (frequency 8) is taken, not paid.
  await tx.execute(sql`create temp table remit_match on commit drop as
    select r.*, row_number() over (partition by r.cn order by r.seq)::int as pass, r.seq < max(r.seq) over (partition by r.cn) as followed, c.id as claim_id,
      case when c.frequency = '8' then 'accepted' when r.status = '22' then 'voided' when r.status = '4' or r.paid = 0 then 'denied' when r.paid >= r.charge then 'paid' else 'partly_paid' end as to_state
    from remit_claims r left join claims c on c.control_number = r.cn and ${inScope}`);
  await tx.execute(sql`analyze remit_match`);
  const unmatched: Unmatched[] = (await queryRows<{ segment: number; cn: string }>(tx, sql`select segment, cn from remit_match where claim_id is null`)).map((r) => ({ at: r.segment, segment: `CLP (segment ${r.segment})`, reference: r.cn, reason: 'No claim of yours has this control number.' }));
  let claimsMatched = 0;
  let linesPosted = 0;
  const [{ passes }] = (await queryRows<{ passes: number }>(tx, sql`select coalesce(max(pass), 0)::int as passes from remit_match where claim_id is not null`)) as [{ passes: number }];
  for (let pass = 1; pass <= passes; pass++) {
    // Each claim's verdict from its state now: adjudicated (the transition allowed); a reversal of a claim already
    // voided or replaced, or one the file follows with a correction (amounts posted, state kept); or refused.
    await tx.execute(sql`drop table if exists remit_verdict`);
    await tx.execute(sql`create temp table remit_verdict on commit drop as
      select m.seq, m.segment, m.cn, m.claim_id, c.state as from_state, m.to_state, c.service_date, m.paid, m.pcn, m.adjustments, m.reason, m.status,
        (m.status = '22' and (c.state in ('voided', 'replaced') or m.followed)) as superseded,
        (c.state = any(${arrayParam(ADJUDICABLE, 'text')}) and exists (select 1 from unnest(${arrayParam(transitions.map((t) => t.from), 'text')}, ${arrayParam(transitions.map((t) => t.to), 'text')}) as t(f, t) where t.f = c.state and t.t = m.to_state)) as allowed
      from remit_match m join claims c on c.id = m.claim_id where m.pass = ${pass}
      order by c.ctid`);
    await tx.execute(sql`analyze remit_verdict`);
    for (const r of await queryRows<{ segment: number; cn: string; from_state: string; to_state: string }>(tx, sql`select segment, cn, from_state, to_state from remit_verdict where not allowed and not superseded`)) {
      const reason = ADJUDICABLE.includes(r.from_state) ? `Claim ${r.cn} cannot go from ${r.from_state} to ${r.to_state}.` : `The claim is ${r.from_state}; only a submitted claim is adjudicated.`;
      unmatched.push({ at: r.segment, segment: `CLP (segment ${r.segment})`, reference: r.cn, reason });
    }
    await tx.execute(sql`delete from remit_verdict where not allowed and not superseded`);
    // Lines by REF*6R (a join on the unique control number), else by code and date of service. Both verdicts and
    // line matches are kept in the order their rows lie on disk (ctid), so the updates below sweep the tables once
    // instead of reading a random page for every row.
    await tx.execute(sql`drop table if exists remit_line_match`);
    await tx.execute(sql`create temp table remit_line_match on commit drop as
      select rl.segment, rl.line_cn, rl.code, v.cn, l.id as line_id, rl.paid, rl.adjustments, l.ctid as place
        from remit_lines rl join remit_verdict v on v.seq = rl.claim_seq left join claim_lines l on l.control_number = rl.line_cn and l.claim_id = v.claim_id
        where rl.line_cn is not null
      union all
      select rl.segment, rl.line_cn, rl.code, v.cn, l.id, rl.paid, rl.adjustments, l.ctid
        from remit_lines rl join remit_verdict v on v.seq = rl.claim_seq
        left join lateral (select l.id, l.ctid from claim_lines l where l.claim_id = v.claim_id and l.procedure_code = rl.code and rl.service_date = v.service_date order by l.line_number limit 1) l on true
        where rl.line_cn is null
      order by place`);
    await tx.execute(sql`analyze remit_line_match`);
    for (const r of await queryRows<{ segment: number; line_cn: string | null; code: string; cn: string }>(tx, sql`select segment, line_cn, code, cn from remit_line_match where line_id is null`)) {
      unmatched.push({ at: r.segment, segment: `SVC (segment ${r.segment})`, reference: r.line_cn ?? `${r.cn} ${r.code}`, reason: 'No line of the claim has this line control number (REF*6R), code and date.' });
    }
    const [lines] = await queryRows<{ n: number }>(tx, sql`with u as (update claim_lines l set paid_cents = x.paid, adjustments = x.adjustments from remit_line_match x where l.id = x.line_id returning 1) select count(*)::int as n from u`);
    linesPosted += lines?.n ?? 0;
    // A reversal nets against what was paid; any other answer is the payer's latest word on the claim.
    const [claims] = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update claims c set
            paid_cents = case when v.status = '22' then coalesce(c.paid_cents, 0) + v.paid else v.paid end,
            payer_control_number = coalesce(nullif(v.pcn, ''), c.payer_control_number),
            adjustments = v.adjustments,
            state = case when v.superseded then c.state else v.to_state end
          from remit_verdict v where c.id = v.claim_id returning 1) select count(*)::int as n from u`,
    );
    claimsMatched += claims?.n ?? 0;
    await tx.execute(sql`insert into claim_state_changes (claim_id, from_state, to_state, reason, changed_by)
      select claim_id, from_state, to_state, reason, ${actorUserId(context.actor)}::uuid from remit_verdict where not superseded`);
  }
  unmatched.sort((a, b) => a.at - b.at);
  return { claimsMatched, linesPosted, unmatched: unmatched.map(({ at: _at, ...u }) => u) };
}
