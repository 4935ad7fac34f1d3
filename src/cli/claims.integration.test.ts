// An operator works with claims from the command line: loads the demo data, lists the batches as JSON (the demo has
// one), writes a batch's 837P to a file that parses back and checks, and imports a fee schedule twice (the second
// time records nothing), posts the payer's 835 (once: the second time changes nothing; an unbalanced one is refused);
// a batch that does not exist is refused with a message and exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createTestDatabase } from '../db/testing.ts';
import { x835 } from '../claims/fixtures-835.testing.ts';
import { check837 } from '../claims/x12-837p.ts';
import { LONG_STORY, assertRefused, assertSucceeded, jsonOf, pss, workspace, writePage, type Workspace } from './cli.testing.ts';

test('an operator lists batches, writes a batch’s 837P and imports a fee schedule', LONG_STORY, async (t) => {
  let ws: Workspace = workspace(t);
  if (loadConfig().testDriver === 'postgres') {
    const database = await createTestDatabase({ prepare: false });
    t.after(() => database.close());
    ws = { ...ws, env: { DATABASE_URL: database.url ?? '' } };
  }
  assertSucceeded(await pss(ws, 'seed', '--demo', '--data-dir', ws.dataDir));
  const batches = jsonOf<Array<{ id: string; organization: string; claims: number; ready: number; state: string }>>(await pss(ws, 'claims', 'batches', '--json', '--data-dir', ws.dataDir));
  assert.equal(batches.length, 1);
  assert.match(batches[0]!.organization, /Eastbay Peer Recovery Center/);
  assert.equal(batches[0]!.ready, 1);

  const out = path.join(ws.dataDir, '..', 'batch.837');
  assertSucceeded(await pss(ws, 'claims', '837', '--batch', batches[0]!.id, '--out', out, '--data-dir', ws.dataDir));
  const text = readFileSync(out, 'utf8');
  assert.deepEqual(check837(text), []);
  assert.match(text, /^ISA\*00\*/);
  assert.match(text, /CLM\*C\d+\*/);

  // The payer pays the claim in full; the same file again changes nothing.
  const clm = /CLM\*(C\d+)\*([\d.]+)\*/.exec(text)!;
  const lines = [...text.matchAll(/SV1\*HC:(\w+)\*([\d.]+)\*UN\*(\d+)\*\*\*1~\nDTP\*472\*D8\*(\d+)~\nREF\*6R\*([\w-]+)~/g)];
  const remit = x835([`BPR*I*${clm[2]}*C*CHK************20261201`, 'TRN*1*EFT9*1', `CLP*${clm[1]}*1*${clm[2]}*${clm[2]}**MC*PAYERDEMO1`, ...lines.flatMap((l) => [`SVC*HC:${l[1]}*${l[2]}*${l[2]}**${l[3]}`, `DTM*472*${l[4]}`, `REF*6R*${l[5]}`])]);
  const remitFile = writePage(ws, 'remit.835', remit);
  const posted = jsonOf<{ claimsMatched: number; linesPosted: number; alreadyImported: boolean }>(await pss(ws, 'claims', '835', remitFile, '--json', '--data-dir', ws.dataDir));
  assert.deepEqual([posted.claimsMatched, posted.linesPosted, posted.alreadyImported], [1, lines.length, false]);
  assert.match((await pss(ws, 'claims', '835', remitFile, '--data-dir', ws.dataDir)).stdout, /already posted/);
  assertRefused(await pss(ws, 'claims', '835', writePage(ws, 'bad.835', remit.replace(/BPR\*I\*[\d.]+/, 'BPR*I*1')), '--data-dir', ws.dataDir), /BPR\) pays 1/);

  assertRefused(await pss(ws, 'claims', '837', '--batch', '00000000-0000-4000-8000-000000000000', '--out', out, '--data-dir', ws.dataDir), /no such batch/);
  const rates = writePage(ws, 'rates.csv', 'plan_code,delivery_system,procedure_code,modifiers,effective_from,rate\nkern,SMHS,H0038,,2026-01-01,25.00\n');
  const first = await pss(ws, 'claims', 'rates', rates, '--source', 'Kern test rates', '--data-dir', ws.dataDir);
  assert.match(first.stdout, /Rates recorded: 1; already recorded: 0/);
  const again = await pss(ws, 'claims', 'rates', rates, '--source', 'Kern test rates', '--data-dir', ws.dataDir);
  assert.match(again.stdout, /Rates recorded: 0; already recorded: 1/);
});
