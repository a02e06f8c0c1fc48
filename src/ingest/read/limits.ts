/**
 * What a file may ask of the reader before it is refused with a clear message: hostile or broken
 * files (a 1.6 KB book declaring A1:XFD1048576, 16 384 columns, zip bombs) must not hang or crash
 * the import. The figures are far above any real assessment file (≈ 50 task columns, ≈ 1M cells).
 */
export const LIMITS = {
  sheets: 200,
  /** Columns of one sheet or CSV file. */
  columns: 1000,
  /** Non-empty cells of one workbook (SheetJS holds each as an object: ≈ 150 bytes apiece). */
  cells: 10_000_000,
  /** Uncompressed size of one part of a workbook (a sheet's XML becomes one JS string). */
  partBytes: 400 * 2 ** 20,
  /** Uncompressed size of a whole workbook. */
  totalBytes: 1024 * 2 ** 20,
};

/** Time a parse worker gets before the import gives up on the file: 2 minutes, more for big files. */
export const parseTimeoutMs = (bytes: number): number => Math.max(120_000, (bytes / 2 ** 20) * 3_000);

const mb = (n: number) => `${Math.round(n / 2 ** 20)} МБ`;

/**
 * Reads the declared uncompressed sizes of a zip (central directory and local headers, ZIP64
 * included) without inflating anything; returns a Russian message when the archive would unpack
 * beyond the limits, else null. SheetJS trusts the local headers, so both are checked.
 */
export function zipBombProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null; // not a readable zip: SheetJS reports it
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let k = 0; k < count && p + 46 <= bytes.length; k++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    let size = Math.max(view.getUint32(p + 24, true), zip64Size(view, p + 46 + nameLen, extraLen));
    if (local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50) {
      const lNameLen = view.getUint16(local + 26, true);
      const lExtraLen = view.getUint16(local + 28, true);
      size = Math.max(size, view.getUint32(local + 22, true), zip64Size(view, local + 30 + lNameLen, lExtraLen));
    }
    if (size > LIMITS.partBytes) {
      return `книга слишком велика или повреждена: часть «${name}» распаковывается в ${mb(size)} (допустимо не больше ${mb(LIMITS.partBytes)}). Сохраните таблицу в формате CSV или разделите книгу на части.`;
    }
    total += size;
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (total > LIMITS.totalBytes) {
    return `книга слишком велика или повреждена: распаковывается в ${mb(total)} (допустимо не больше ${mb(LIMITS.totalBytes)}). Сохраните таблицу в формате CSV или разделите книгу на части.`;
  }
  return null;
}

/** The uncompressed size from a ZIP64 extra field (id 1), or 0. */
function zip64Size(view: DataView, start: number, length: number): number {
  for (let p = start; p + 4 <= start + length && p + 4 <= view.byteLength; ) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (id === 1 && len >= 8 && p + 12 <= view.byteLength) return Number(view.getBigUint64(p + 4, true));
    p += 4 + len;
  }
  return 0;
}
