/** Text files: encoding detection, delimiter detection and a small quote-aware parser for the first rows. */

export type Encoding = 'utf-8' | 'windows-1251' | 'utf-16le' | 'utf-16be';

/** Decodes bytes: BOM first, then strict UTF-8, else Windows-1251 (the usual Russian Excel export). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
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
