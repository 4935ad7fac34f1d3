// Reading X12 as a stream: whatever the chunks a file arrives in — cut mid-segment, exactly after a terminator,
// with line breaks or without — the segments are the ones node-x12's strict whole-file parse reads, and the envelope
// check finds a wrong count. (node-x12's own stream parser, fed a chunk that ends exactly on a terminator, glues a
// stale piece of an earlier chunk to a later one; `wholeSegments` is why that never reaches it.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { X12Parser, type X12Interchange } from 'node-x12';
import { x835 } from './fixtures-835.testing.ts';
import { EnvelopeCheck, forEachSegment, type SegmentLike } from './x12-envelope.ts';

const remit = x835(Array.from({ length: 40 }, (_, i) => [`CLP*C${100000 + i}*1*52.98*52.98**MC*P${i}`, 'SVC*HC:H0038*52.98*52.98**2', 'DTM*472*20260406', `REF*6R*C${100000 + i}-1`]).flat());
const strict = (text: string) => {
  const ix = new X12Parser(true).parse(text) as X12Interchange;
  const group = ix.functionalGroups[0]!;
  const tx = group.transactions[0]!;
  return [ix.header, group.header, tx.header, ...tx.segments, tx.trailer, group.trailer, ix.trailer].map(show);
};
const show = (s: SegmentLike) => [s.tag, ...s.elements.map((e) => e.value)].join('*');

async function streamed(chunks: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  await forEachSegment({ stream: Readable.from(chunks) }, (s) => {
    out.push(show(s));
  });
  return out;
}

/** The text cut at the given offsets. */
const cut = (text: string, at: readonly number[]) => [...new Set([0, ...[...at].sort((a, b) => a - b), text.length])].flatMap((start, i, all) => (i + 1 < all.length ? [text.slice(start, all[i + 1])] : [])).filter((c) => c !== '');

describe('X12 as a stream', () => {
  test('a chunk ending exactly on a terminator loses nothing and adds nothing', async () => {
    const at = remit.indexOf('SVC*HC:H0038', 2000) + 6; // mid-segment …
    const next = remit.indexOf('~', at) + 1; // … then exactly after its terminator
    assert.deepEqual(await streamed(cut(remit, [at, next, next + 300])), strict(remit));
  });

  test('any cutting of a file, with or without line breaks, reads the same segments as the strict parse', async () => {
    const flat = remit.replaceAll('\n', '');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(fc.integer({ min: 1, max: remit.length - 1 }), { maxLength: 30 }), async (breaks, at) => {
        const text = breaks ? remit : flat;
        assert.deepEqual(await streamed(cut(text, at.map((n) => Math.min(n, text.length - 1)))), strict(text));
      }),
      { numRuns: 60 },
    );
  });

  test('a handler that waits (staging claims) is given every segment, the last ones included, before the read ends', async () => {
    const seen: string[] = [];
    await forEachSegment({ text: remit }, (s) => {
      seen.push(s.tag);
      // Wait on each of the last claims, as the 835 reader does when it stages a chunk of claims.
      if (s.tag === 'CLP' && seen.length > 100) return new Promise((resolve) => setTimeout(resolve, 5));
    });
    assert.deepEqual(seen.slice(-3), ['SE', 'GE', 'IEA']);
    assert.equal(seen.length, strict(remit).length);
  });

  test('the envelope check finds a wrong segment count, a control-number mismatch and a missing trailer', async () => {
    const problems = async (text: string) => {
      const check = new EnvelopeCheck();
      const found: string[] = [];
      await forEachSegment({ text }, (s) => {
        const p = check.segment(s);
        if (p) found.push(p);
      });
      const end = check.finish();
      return end ? [...found, end] : found;
    };
    assert.deepEqual(await problems(remit), []);
    assert.match((await problems(remit.replace(/SE\*\d+\*0001/, 'SE*7*0001'))).join(' '), /SE01 \(7\) is not the number of segments/);
    assert.match((await problems(remit.replace('GE*1*555', 'GE*1*556'))).join(' '), /GS06 and GE02 differ/);
    assert.match((await problems(remit.slice(0, remit.indexOf('SE*')))).join(' '), /no SE segment/);
  });
});
