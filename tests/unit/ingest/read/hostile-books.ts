/**
 * Hostile workbooks, built in the test from a small valid book (nothing big is committed):
 * each takes a good xlsx and rewrites one part of it the way an attacker would.
 */
import JSZip from 'jszip';
import * as XLSX from 'xlsx';

export function smallBook(aoa: unknown[][] = [['Класс', 'Балл'], ['4А', 7], ['4Б', 9]], name = 'Лист1'): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), name);
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

/** Rewrites the parts whose name matches `part` with `edit`. */
export async function rewrite(bytes: Uint8Array, part: RegExp, edit: (xml: string) => string, extra: Record<string, string> = {}): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(zip.files)) if (part.test(name)) zip.file(name, edit(await zip.file(name)!.async('string')));
  for (const [name, text] of Object.entries(extra)) zip.file(name, text);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A book whose sheet carries a cell comment with ref="__proto__" (CVE-2023-30533). */
export async function pollutingBook(): Promise<Uint8Array> {
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet([['Класс', 'Балл'], ['4А', 7]]);
  ws.A2.c = [{ a: 'x', t: 'polluted' }];
  XLSX.utils.book_append_sheet(wb, ws, 'Лист1');
  const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
  return rewrite(bytes, /comments\d*\.xml$/, (xml) => xml.replaceAll('ref="A2"', 'ref="__proto__"'));
}

/** A 3-cell sheet that declares the whole grid, A1:XFD1048576, as its dimension. */
export async function hugeDimensionBook(): Promise<Uint8Array> {
  return rewrite(smallBook(), /worksheets\/sheet1\.xml$/, (xml) => xml.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
}

/** One header row of `cols` titled columns and one data row: a sheet as wide as Excel allows. */
export function wideBook(cols: number): Uint8Array {
  const header = Array.from({ length: cols }, (_, i) => `c${i + 1}`);
  const row = Array.from({ length: cols }, (_, i) => i);
  return smallBook([header, row]);
}

/** A small book whose sheet part claims (in both zip headers) to unpack to `bytes`: what a zip bomb declares. */
export function bombBook(bytes = 0xfffffff0): Uint8Array {
  const zip = smallBook().slice();
  const view = new DataView(zip.buffer);
  const name = new TextEncoder().encode('xl/worksheets/sheet1.xml');
  const isName = (at: number) => name.every((b, i) => zip[at + i] === b);
  for (let p = 0; p + 46 < zip.length; p++) {
    const sig = view.getUint32(p, true);
    if (sig === 0x04034b50 && isName(p + 30)) view.setUint32(p + 22, bytes, true);
    if (sig === 0x02014b50 && isName(p + 46)) view.setUint32(p + 24, bytes, true);
  }
  return zip;
}

/** A book of `n` sheets of one cell each. */
export function manySheetsBook(n: number): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (let i = 1; i <= n; i++) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Балл'], [i]]), `Л${i}`);
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}
