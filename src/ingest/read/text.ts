/** Text files: encoding detection, delimiter detection and a small quote-aware parser for the first rows. */

import { cp1251ToUtf8, headText, isValidUtf8 } from './transcode';

export type Encoding = 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be';

export interface Decoded {
  text: string;
  encoding: Encoding;
  /** 1-based lines of a UTF-8 file that were not UTF-8 and were read as Windows-1251 instead. */
  foreignLines?: number[];
}

/**
 * Decodes bytes: BOM first, then strict UTF-8; a UTF-8 file with a few Windows-1251 lines
 * (a line pasted from another export) stays UTF-8 and names those lines; else Windows-1251
 * (the usual Russian Excel export).
 */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return decodeMixed(bytes) ?? { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
}

/** A text file as the reader needs it: the start as text (for its layout) and the whole as UTF-8 bytes for DuckDB. */
export interface TextSource {
  /** The first few MB as text, cut at a line end. */
  head: string;
  encoding: Encoding;
  /** The whole file as UTF-8 without BOM: the input itself when it already is, else one transcoded buffer. */
  utf8: () => Uint8Array;
  foreignLines?: number[];
}

/**
 * Like decodeText, without a string of the whole file for the usual encodings: UTF-8 is validated
 * in chunks and passed on as it is, Windows-1251 is transcoded straight into the bytes DuckDB reads.
 */
export function textSource(bytes: Uint8Array): TextSource {
  const bom = (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!bom && isValidUtf8(bytes)) return { head: headText(bytes, 'utf-8'), encoding: 'utf-8', utf8: () => bytes };
  const mixed = bom ? null : decodeMixed(bytes);
  if (!bom && !mixed) return { head: headText(bytes, 'windows-1251'), encoding: 'windows-1251', utf8: () => cp1251ToUtf8(bytes) };
  // A BOM (rare) or a mixed file: decoded whole, as before.
  const d = mixed ?? decodeText(bytes);
  return { head: d.text, encoding: d.encoding, utf8: () => new TextEncoder().encode(d.text), ...(d.foreignLines ? { foreignLines: d.foreignLines } : {}) };
}

/** Length of the valid UTF-8 sequence starting at `i` (a non-ASCII lead byte), or 0. */
function utf8Sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  for (let k = 1; k < n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * A file whose lines are UTF-8 except some: any line with a valid multi-byte UTF-8 sequence and
 * no invalid one shows the file is UTF-8 (Cyrillic in Windows-1251 is practically never valid
 * UTF-8). Lines with invalid bytes are decoded as Windows-1251 and reported. Null when no line
 * is UTF-8 beyond ASCII: the file is Windows-1251 as a whole.
 */
function decodeMixed(bytes: Uint8Array): Decoded | null {
  const foreign: number[] = [];
  const foreignStarts: number[] = [];
  let utf8Lines = 0;
  let line = 0;
  for (let start = 0; start < bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl + 1;
    const kind = lineKind(bytes, start, end);
    if (kind === 'foreign') foreign.push(line + 1), foreignStarts.push(start);
    else if (kind === 'utf8') utf8Lines++;
    start = end;
  }
  if (!utf8Lines) return null;
  // Only now build the text: UTF-8 between the foreign lines, each foreign line as Windows-1251.
  const utf8 = new TextDecoder('utf-8');
  const cp1251 = new TextDecoder('windows-1251');
  const parts: string[] = [];
  let at = 0;
  for (const start of foreignStarts) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl + 1;
    parts.push(utf8.decode(bytes.subarray(at, start)), cp1251.decode(bytes.subarray(start, end)));
    at = end;
  }
  parts.push(utf8.decode(bytes.subarray(at)));
  return { text: parts.join(''), encoding: 'utf-8', foreignLines: foreign };
}

/** 'foreign': an invalid UTF-8 byte; 'utf8': valid multi-byte sequences only; 'ascii': neither. */
function lineKind(bytes: Uint8Array, start: number, end: number): 'foreign' | 'utf8' | 'ascii' {
  let kind: 'utf8' | 'ascii' = 'ascii';
  for (let i = start; i < end; i++) {
    if (bytes[i] < 0x80) continue;
    const n = utf8Sequence(bytes, i);
    if (!n || i + n > end) return 'foreign';
    kind = 'utf8';
    i += n - 1;
  }
  return kind;
}

/** True when the text looks like binary data rather than a table (NULs or many control characters). */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65536);
  if (!sample.length) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control / sample.length > 0.01;
}

export interface SampleRecord {
  fields: string[];
  /** 0-based index of the line where the record starts. */
  line: number;
}

/** Parses up to `maxRecords` records (RFC 4180 quoting) from the start of `text`. */
export function parseSample(text: string, delim: string, maxRecords = 60): SampleRecord[] {
  const out: SampleRecord[] = [];
  let i = 0;
  let line = 0;
  const n = text.length;
  while (i < n && out.length < maxRecords) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    for (; i < n; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else quoted = false;
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (ch === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
      } else if (ch === delim) {
        fields.push(field);
        field = '';
        atFieldStart = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else {
        field += ch;
        atFieldStart = false;
      }
    }
    fields.push(field);
    out.push({ fields, line: start });
  }
  return out;
}

const CANDIDATES = [';', '\t', ',', '|'];

/** Picks the delimiter that splits the first lines into the most consistent number (>1) of fields. */
export function detectDelimiter(text: string): string {
  const head = text.slice(0, 200_000);
  let best = { delim: ';', freq: 0, width: 1 };
  const scores: { delim: string; freq: number; width: number }[] = [];
  for (const delim of CANDIDATES) {
    const recs = parseSample(head, delim, 50).filter((r) => r.fields.some((f) => f.trim() !== ''));
    const counts = new Map<number, number>();
    for (const r of recs) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
    let width = 1;
    let freq = 0;
    for (const [w, f] of counts) if (w > 1 && (f > freq || (f === freq && w > width))) [width, freq] = [w, f];
    scores.push({ delim, freq, width });
  }
  for (const s of scores) if (s.freq > best.freq) best = s;
  // `;` and tab beat a comma that is only slightly more regular (decimal commas split values too).
  for (const s of scores) if ((s.delim === ';' || s.delim === '\t') && s.freq > 0 && s.freq >= 0.9 * best.freq) return s.delim;
  return best.delim;
}
