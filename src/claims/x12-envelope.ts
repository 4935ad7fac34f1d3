// The X12 envelope checked segment by segment as a stream parser reads a file back: ISA13/IEA02, IEA01 (groups),
// GS06/GE02, GE01 (transaction sets), ST02/SE02 and SE01 (segments) — what node-x12's strict whole-file parse
// checks, for files too large to parse whole. Both the 837P check and the 835 reader use it.
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { X12Parser } from 'node-x12';

export type SegmentLike = { tag: string; elements: ReadonlyArray<{ value: string }> };

export const elementOf = (segment: SegmentLike, n: number) => segment.elements[n - 1]?.value ?? '';

export class EnvelopeCheck {
  private isa = '';
  private groups = 0;
  private gs = '';
  private transactions = 0;
  private st = '';
  /** Segments of the open transaction set so far, ST included. */
  segmentsInTransaction = 0;
  /** Segments read so far in the whole file (the number a message names). */
  position = 0;

  /** Takes an envelope segment and returns what is wrong with it (null: nothing); other segments are counted. */
  segment(segment: SegmentLike): string | null {
    this.position++;
    if (this.st !== '') this.segmentsInTransaction++;
    switch (segment.tag) {
      case 'ISA':
        this.isa = String(Number(elementOf(segment, 13)));
        return null;
      case 'IEA':
        if (String(Number(elementOf(segment, 2))) !== this.isa) return 'ISA13 and IEA02 differ.';
        if (Number(elementOf(segment, 1)) !== this.groups) return 'IEA01 is not the number of functional groups.';
        return null;
      case 'GS':
        this.groups++;
        this.gs = elementOf(segment, 6);
        this.transactions = 0;
        return null;
      case 'GE':
        if (elementOf(segment, 2) !== this.gs) return 'GS06 and GE02 differ.';
        if (Number(elementOf(segment, 1)) !== this.transactions) return 'GE01 is not the number of transaction sets.';
        return null;
      case 'ST':
        this.transactions++;
        this.st = elementOf(segment, 2);
        this.segmentsInTransaction = 1;
        return null;
      case 'SE': {
        const st = this.st;
        this.st = '';
        if (elementOf(segment, 2) !== st) return 'ST02 and SE02 differ.';
        if (Number(elementOf(segment, 1)) !== this.segmentsInTransaction) return `SE01 (${elementOf(segment, 1)}) is not the number of segments in the transaction (${this.segmentsInTransaction}).`;
        return null;
      }
      default:
        return this.isa === '' ? `${segment.tag} comes before the ISA segment.` : null;
    }
  }

  /** What is wrong once the file has ended. */
  finish(): string | null {
    if (this.isa === '') return 'The file has no ISA segment.';
    if (this.st !== '') return 'A transaction set has no SE segment.';
    return null;
  }
}

/** node-x12's stream parser ignores a chunk shorter than a whole ISA segment (it looks for one in every chunk). */
const MIN_CHUNK = 256;

/**
 * Re-cuts a stream for node-x12's stream parser, which mishandles two kinds of chunk: one ending exactly on a
 * segment terminator leaves the partial segment it kept from an earlier chunk in place, to be glued to a later one
 * as a bogus segment (a phantom SV1 put a claim out of balance at a million lines); and one shorter than an ISA
 * segment is dropped. Every chunk passed on here is made of whole segments and is long enough: the parser never has
 * a partial segment to keep, nor a short chunk to drop.
 */
export function wholeSegments(): Transform {
  let text = '';
  let terminator: string | null = null;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _encoding, done) {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      // ISA is fixed-width: its 106th character is the segment terminator.
      if (terminator === null) {
        if (text.length < 106) return done();
        terminator = text.startsWith('ISA') ? text.charAt(105) : '~';
      }
      if (text.length < 16 * MIN_CHUNK) return done();
      // Pass on whole segments, keeping back at least MIN_CHUNK characters so the last chunk is long enough too.
      const end = text.lastIndexOf(terminator, text.length - MIN_CHUNK - 1);
      if (end < MIN_CHUNK) return done();
      const out = text.slice(0, end + 1);
      text = text.slice(end + 1);
      done(null, out);
    },
    flush(done) {
      done(null, text === '' ? undefined : text);
    },
  });
}

export type X12Source = { path: string } | { text: string } | { stream: Readable };

/**
 * Each segment of a file (or text, or a stream) as node-x12's stream parser reads it, handed to `onSegment` as it
 * is read — synchronously, with no promise per segment; when `onSegment` returns a promise the parser waits for it.
 * Its stream mode is lenient: with the strict flag it refuses every stream at the end (another bug in node-x12), so
 * EnvelopeCheck does the strict checks.
 */
export async function forEachSegment(source: X12Source, onSegment: (segment: SegmentLike) => void | Promise<void>): Promise<void> {
  // Small chunks: the parser turns each into segment objects at once, and small batches of them die young.
  const input = 'path' in source ? createReadStream(source.path, { encoding: 'utf8', highWaterMark: 1 << 16 }) : 'text' in source ? Readable.from([source.text]) : source.stream;
  const parser = new X12Parser(false);
  let failure: Error | null = null;
  parser.on('data', (segment: SegmentLike) => {
    if (failure) return;
    try {
      const waiting = onSegment(segment);
      if (waiting) {
        parser.pause();
        waiting.then(
          () => parser.resume(),
          (err: Error) => {
            failure = err;
            parser.destroy(err);
          },
        );
      }
    } catch (err) {
      failure = err as Error;
      parser.destroy(failure);
    }
  });
  try {
    // pipeline() settles when the parser has taken its last input; the segments it still holds while a handler
    // waits come out after that, so the read is over only when the parser's readable side has ended too.
    await Promise.all([pipeline(input, wholeSegments(), parser), finished(parser)]);
  } catch (err) {
    throw failure ?? err;
  }
  if (failure) throw failure;
}
