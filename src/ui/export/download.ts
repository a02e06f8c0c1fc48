/** Saving bytes as a file from the browser, and file names people can read. */

export const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  png: 'image/png',
  svg: 'image/svg+xml',
  html: 'text/html;charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown;charset=utf-8',
  zip: 'application/zip',
} as const;

export type FileKind = keyof typeof MIME;

/** A file name from a title: letters (Cyrillic too), digits, spaces, dots and dashes only. */
export function fileName(base: string, ext: FileKind): string {
  const safe = base.replace(/[^\p{L}\p{N} ._-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'export';
  return `${safe}.${ext}`;
}

export function downloadBytes(name: string, bytes: Uint8Array | string, kind: FileKind): void {
  const blob = new Blob([bytes as BlobPart], { type: MIME[kind] });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Russian text of an error for a status line. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
