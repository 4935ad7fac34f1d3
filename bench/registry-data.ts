// A synthetic registry for bench/registry.bench.ts: N certified peers with diverse California names, numbers from
// PSS-200000, first issues spread 2022-10…2026-11, ~80% active today and the rest expired, suspended or revoked,
// renewal cycles, specializations and counties. Rows are shaped as issue-certification.ts and
// certification-status.ts write them (peer → certification → first cycle → `active` status row; renewals add a
// cycle, a late renewal an `expired` and an `active` row; a suspension or revocation one row) but loaded set-based,
// in batches of unnest() arrays inside one transaction, and without audit rows.
import { randomUUID } from 'node:crypto';
import { CALIFORNIA_COUNTIES } from '../src/counties/california-counties.ts';
import { SPECIALIZATIONS } from '../src/certification/vocabulary.ts';
import { addDays, addYears, daysBetween } from '../src/lib/dates.ts';

// prettier-ignore
const FIRST = [
  'María', 'José', 'Juan', 'Luis', 'Carlos', 'Jesús', 'Ana', 'Guadalupe', 'Rosa', 'Sofía', 'Valentina', 'Ximena', 'Alejandro', 'Andrés', 'Ramón', 'Raúl', 'Héctor', 'Inés', 'Mónica', 'Verónica',
  'Francisco', 'Miguel', 'Jorge', 'Ricardo', 'Fernando', 'Adriana', 'Gabriela', 'Leticia', 'Yesenia', 'Marisol', 'Araceli', 'Esperanza', 'Joaquín', 'Martín', 'Nicolás', 'Sebastián', 'Catalina', 'Lucía', 'Beatriz', 'Dolores',
  'Minh', 'Linh', 'Thanh', 'Huong', 'Tuan', 'Duc', 'Lan', 'Mai', 'Phuong', 'Quang', 'Hoa', 'Trang', 'Khanh', 'Bao', 'Vy', 'Anh', 'Hieu', 'Long', 'Ngoc', 'Thao',
  'Wei', 'Jing', 'Li', 'Mei', 'Xiaoming', 'Yan', 'Hui', 'Jun', 'Ling', 'Chen', 'Zhiwei', 'Yu', 'Xin', 'Hao', 'Ying',
  'Maricel', 'Jocelyn', 'Rowena', 'Rodel', 'Arnel', 'Marites', 'Jonel', 'Lorna', 'Edgardo', 'Rogelio', 'Charisse', 'Analyn', 'Jerome', 'Mylene', 'Reynaldo',
  'James', 'Mary', 'Michael', 'Jennifer', 'David', 'Linda', 'Robert', 'Patricia', 'William', 'Elizabeth', 'Christopher', 'Jessica', 'Daniel', 'Sarah', 'Matthew', 'Ashley', 'Anthony', 'Emily', 'Joshua', 'Amanda',
  'Jamal', 'Aaliyah', 'DeShawn', 'Imani', 'Tyrone', 'Keisha', 'Malik', 'Ebony', 'Andre', 'Latoya',
  'Ji-woo', 'Min-jun', 'Seo-yeon', 'Hyun', 'Eun-ji', 'Priya', 'Arjun', 'Ananya', 'Rohan', 'Deepa', 'Armen', 'Ani', 'Narek', 'Lilit', 'Ahmad', 'Fatima', 'Omar', 'Layla', 'Yusuf', 'Zahra',
  'Chloé', 'Zoë', 'Renée', 'Noé', 'Siobhán', 'Seán', 'Björn', 'Müller', 'Ayşe', 'Ioana',
];
// prettier-ignore
const MIDDLE = [
  'María', 'José', 'Guadalupe', 'Luz', 'Elena', 'Isabel', 'Antonio', 'Manuel', 'del Carmen', 'de Jesús', 'Alejandra', 'Ángel', 'Thi', 'Van', 'Ngoc', 'Minh', 'Thanh', 'Mei', 'Jun',
  'Santos', 'Cruz', 'Reyes', 'Anne', 'Marie', 'Lynn', 'Michael', 'James', 'Lee', 'Ray', 'Grace', 'Rose', 'Jean', 'Nicole', 'Andrew', 'Joseph', 'Kumar', 'Devi', 'Noor',
];
// prettier-ignore
const LAST = [
  'García', 'Hernández', 'López', 'Martínez', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Flores', 'Gómez', 'Díaz', 'Torres', 'Rivera', 'Morales', 'Gutiérrez', 'Ortiz', 'Chávez', 'Ruiz', 'Álvarez',
  'Jiménez', 'Mendoza', 'Castillo', 'Vásquez', 'Romero', 'Herrera', 'Medina', 'Aguilar', 'Vargas', 'Muñoz', 'Ibáñez', 'Núñez', 'Peña', 'Cervantes', 'Guzmán', 'Salazar', 'Delgado', 'Contreras', 'Estrada', 'Valenzuela',
  'García-López', 'Hernández-Ruiz', 'De la Cruz', 'De León', 'Del Río', 'Villaseñor', 'Echeverría', 'Zúñiga', 'Ávila', 'Ocampo',
  'Nguyen', 'Tran', 'Le', 'Pham', 'Huynh', 'Hoang', 'Phan', 'Vu', 'Vo', 'Dang', 'Bui', 'Do', 'Ho', 'Ngo', 'Duong', 'Ly', 'Truong', 'Dinh', 'Lam', 'Mai',
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'Lin', 'Wong', 'Chan', 'Leung',
  'Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Dela Cruz', 'Villanueva', 'Aquino', 'Ramos', 'Castro', 'Manalo', 'Pascual', 'Soriano', 'Macaraeg', 'Dizon', 'Tolentino', 'Magbanua', 'Panganiban',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', "O'Brien", "O'Connor", 'McCarthy', 'Sullivan', 'Murphy', 'Washington', 'Jefferson', 'Freeman', 'Banks', 'Coleman',
  'Kim', 'Park', 'Choi', 'Jung', 'Kang', 'Patel', 'Singh', 'Shah', 'Gupta', 'Reddy', 'Sargsyan', 'Petrosyan', 'Hakobyan', 'Khan', 'Haddad', 'Nakamura', 'Tanaka', 'Yamamoto', 'Sato', 'Müller',
];

/** Population-weighted counties: the large ones come up often, every county at least sometimes. */
const COUNTY_WEIGHTS: Record<string, number> = { '06037': 25, '06073': 8, '06059': 8, '06065': 6, '06071': 6, '06085': 5, '06001': 4, '06067': 4, '06013': 3, '06019': 3, '06029': 2, '06075': 2 };
const COUNTY_POOL = CALIFORNIA_COUNTIES.flatMap((c) => Array<string>(COUNTY_WEIGHTS[c.fips] ?? 1).fill(c.fips));

/** mulberry32: a small seeded generator, so every run builds the same registry. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const dayBetween = (rand: () => number, from: string, to: string) => addDays(from, Math.floor(rand() * (daysBetween(from, to) + 1)));

export interface SyntheticPeer {
  peerId: string;
  certificationId: string;
  number: string;
  first: string;
  middle: string | null;
  last: string;
  status: 'active' | 'expired' | 'suspended' | 'revoked';
  firstIssuedOn: string;
}

interface Row {
  peer: unknown[];
  cert: unknown[];
  cycles: unknown[][];
  changes: unknown[][];
  completions: unknown[][];
}

/** One peer's rows, decided by `rand`; `today` bounds every date (nothing is issued or changed in the future). */
function makePeer(rand: () => number, i: number, today: string): { peer: SyntheticPeer; rows: Row } {
  const peerId = randomUUID();
  const certificationId = randomUUID();
  const number = `PSS-${200000 + i}`;
  const first = pick(rand, FIRST);
  const middle = rand() < 0.55 ? pick(rand, MIDDLE) : null;
  const last = rand() < 0.08 ? `${pick(rand, LAST)} ${pick(rand, LAST)}` : pick(rand, LAST);
  const r = rand();
  const status = r < 0.8 ? 'active' : r < 0.9 ? 'expired' : r < 0.96 ? 'suspended' : 'revoked';
  const latest = status === 'expired' ? addDays(addYears(today, -2), -1) : '2026-11-30';
  const firstIssuedOn = dayBetween(rand, '2022-10-01', latest < today ? latest : today);
  const pathway = rand() < 0.85 ? 'initial' : rand() < 0.67 ? 'grandparenting' : 'reciprocity';
  const cycles: Array<{ issuedOn: string; expiresOn: string; kind: string }> = [{ issuedOn: firstIssuedOn, expiresOn: addYears(firstIssuedOn, 2), kind: 'initial' }];
  const changes: Array<{ status: string; effectiveOn: string; reasonCode: string }> = [{ status: 'active', effectiveOn: firstIssuedOn, reasonCode: 'issued' }];
  // Terms that ran out before today are renewed (in time, or late after an expiry), except for the expired peers.
  for (let term = cycles[0]!; term.expiresOn <= today; term = cycles.at(-1)!) {
    const canRenew = status !== 'expired' || addYears(term.expiresOn, 2) <= today;
    if (!canRenew || (status === 'expired' && rand() < 0.5)) break;
    // An expired peer's renewal was in time (a late one would make the certification active past today).
    if (status === 'expired' || rand() < 0.85) {
      cycles.push({ issuedOn: term.expiresOn, expiresOn: addYears(term.expiresOn, 2), kind: 'renewal' });
    } else {
      let startsOn = addDays(term.expiresOn, 20 + Math.floor(rand() * 180));
      if (startsOn > today) startsOn = today;
      changes.push({ status: 'expired', effectiveOn: term.expiresOn, reasonCode: 'expired' });
      changes.push({ status: 'active', effectiveOn: startsOn, reasonCode: 'renewed_late' });
      cycles.push({ issuedOn: startsOn, expiresOn: addYears(startsOn, 2), kind: 'late_renewal' });
    }
  }
  const current = cycles.at(-1)!;
  if (status === 'expired') changes.push({ status: 'expired', effectiveOn: current.expiresOn, reasonCode: 'expired' });
  if (status === 'suspended' || status === 'revoked') {
    const from = addDays(current.issuedOn, 1) < today ? addDays(current.issuedOn, 1) : today;
    changes.push({ status, effectiveOn: dayBetween(rand, from, today), reasonCode: status === 'suspended' ? 'enforcement_suspension' : 'enforcement_revocation' });
  }
  const specializations = rand() < 0.3 ? (rand() < 0.17 ? 2 : 1) : 0;
  const codes = new Set<string>();
  while (codes.size < specializations) codes.add(pick(rand, SPECIALIZATIONS));
  const completions = [...codes].map((code) => [randomUUID(), peerId, code, dayBetween(rand, addDays(firstIssuedOn, -200), today)]);
  const birth = dayBetween(rand, '1950-01-01', '2003-12-31');
  return {
    peer: { peerId, certificationId, number, first, middle, last, status, firstIssuedOn },
    rows: {
      peer: [peerId, first, middle, last, birth, pick(rand, COUNTY_POOL)],
      cert: [certificationId, number, peerId, status, firstIssuedOn, current.issuedOn, current.expiresOn, pathway, changes.length],
      cycles: cycles.map((c) => [certificationId, c.issuedOn, c.expiresOn, c.kind]),
      changes: changes.map((c) => [certificationId, c.status, c.effectiveOn, c.reasonCode]),
      completions,
    },
  };
}

const columns = (rows: unknown[][], width: number) => Array.from({ length: width }, (_, k) => rows.map((r) => r[k] ?? null));

export interface LoadedRegistry {
  peers: SyntheticPeer[];
  counts: { peers: number; cycles: number; statusChanges: number; specializations: number };
  seconds: number;
}

/**
 * Write `count` peers through a pg client (or any { query(text, values) }) in one transaction, BATCH rows a
 * statement, then ANALYZE. No audit rows: this is synthetic data, not a record of anyone's act.
 */
export async function loadRegistry(client: { query(text: string, values?: unknown[]): Promise<unknown> }, count: number, today: string, batch = 5000): Promise<LoadedRegistry> {
  const started = performance.now();
  const rand = prng(20_260_101);
  const peers: SyntheticPeer[] = [];
  const counts = { peers: 0, cycles: 0, statusChanges: 0, specializations: 0 };
  await client.query('begin');
  try {
    for (let offset = 0; offset < count; offset += batch) {
      const made = Array.from({ length: Math.min(batch, count - offset) }, (_, k) => makePeer(rand, offset + k, today));
      peers.push(...made.map((m) => m.peer));
      const cycles = made.flatMap((m) => m.rows.cycles);
      const changes = made.flatMap((m) => m.rows.changes);
      const completions = made.flatMap((m) => m.rows.completions);
      await client.query(
        `insert into peers (id, legal_first_name, legal_middle_name, legal_last_name, date_of_birth, county_fips)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::char(5)[])`,
        columns(
          made.map((m) => m.rows.peer),
          6,
        ),
      );
      await client.query(
        `insert into certifications (id, number, peer_id, status, first_issued_on, issued_on, expires_on, initial_pathway, version)
         select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::date[], $6::date[], $7::date[], $8::text[], $9::int[])`,
        columns(
          made.map((m) => m.rows.cert),
          9,
        ),
      );
      await client.query(
        `insert into certification_cycles (certification_id, issued_on, expires_on, kind)
         select * from unnest($1::uuid[], $2::date[], $3::date[], $4::text[])`,
        columns(cycles, 4),
      );
      // recorded_at: the effective date's noon, so rows keep their order whatever the transaction's now() is.
      await client.query(
        `insert into certification_status_changes (certification_id, status, effective_on, reason_code, recorded_at)
         select c, s, e, r, e + time '12:00' from unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) as t(c, s, e, r)`,
        columns(changes, 4),
      );
      if (completions.length > 0) {
        await client.query(
          `insert into training_completions (id, peer_id, training_type, specialization, hours, completed_on, source)
           select i, p, 'specialization', s, 40, d, 'manual' from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[]) as t(i, p, s, d)`,
          columns(completions, 4),
        );
      }
      counts.peers += made.length;
      counts.cycles += cycles.length;
      counts.statusChanges += changes.length;
      counts.specializations += completions.length;
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
  await client.query('analyze');
  return { peers, counts, seconds: (performance.now() - started) / 1000 };
}

/** How people mistype a name into a search box: a dropped, doubled, swapped or wrong letter; no accents; last name first. */
export function misspell(rand: () => number, peer: SyntheticPeer): string {
  const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
  const edit = (word: string): string => {
    if (word.length < 4) return word;
    const at = 1 + Math.floor(rand() * (word.length - 2));
    const kind = Math.floor(rand() * 4);
    if (kind === 0) return word.slice(0, at) + word.slice(at + 1);
    if (kind === 1) return word.slice(0, at) + word[at]! + word.slice(at);
    if (kind === 2) return word.slice(0, at - 1) + word[at]! + word[at - 1]! + word.slice(at + 1);
    return word.slice(0, at) + pick(rand, ['a', 'e', 'i', 'o', 'u', 's', 'z']) + word.slice(at + 1);
  };
  const first = rand() < 0.3 ? edit(peer.first) : peer.first;
  const last = rand() < 0.8 ? edit(peer.last) : peer.last;
  const name = rand() < 0.25 ? `${last}, ${first}` : `${first} ${last}`;
  return rand() < 0.6 ? plain(name) : name.toLowerCase();
}
