/**
 * Text bytes → the UTF-8 bytes DuckDB reads, without a JS string of the whole file: a Windows-1251
 * file is transcoded byte by byte into one buffer sized in a first pass (a 97 MB file used to be
 * decoded into a string and re-encoded: ≈ 390 MB of copies); a UTF-8 file is validated in
 * chunks and handed over as it is.
 */

/** UTF-8 bytes of each Windows-1251 byte 0x80…0xFF (2 or 3 bytes), as the WHATWG decoder maps them. */
const CP1251_UTF8: Uint8Array[] = (() => {
  const decoder = new TextDecoder('windows-1251');
  const encoder = new TextEncoder();
  return Array.from({ length: 128 }, (_, i) => encoder.encode(decoder.decode(new Uint8Array([0x80 + i]))));
})();

/** Windows-1251 → UTF-8 in two passes over the input: the exact size, then the bytes. */
export function cp1251ToUtf8(bytes: Uint8Array): Uint8Array {
  let size = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) size += CP1251_UTF8[bytes[i] - 0x80].length - 1;
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) out[o++] = b;
    else {
      const seq = CP1251_UTF8[b - 0x80];
      for (let k = 0; k < seq.length; k++) out[o++] = seq[k];
    }
  }
  return out;
}

const CHUNK = 1 << 20;

/** True when the bytes are valid UTF-8; decoded 1 MB at a time, so no string of the whole file is kept. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) decoder.decode(bytes.subarray(at, at + CHUNK), { stream: at + CHUNK < bytes.length });
    return true;
  } catch {
    return false;
  }
}

/** The start of the file as text, for finding its layout (up to `limit` bytes, cut after a line end). */
export function headText(bytes: Uint8Array, encoding: 'utf-8' | 'windows-1251', limit = 4 << 20): string {
  if (bytes.length <= limit) return new TextDecoder(encoding).decode(bytes);
  const end = bytes.lastIndexOf(0x0a, limit - 1);
  return new TextDecoder(encoding).decode(bytes.subarray(0, end > 0 ? end + 1 : limit));
}
