/**
 * Node only: checks of exported documents with the tools a reader would use — LibreOffice
 * (DOCX → PDF, headless) and poppler (PDF → PNG pages, page count, text).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOFFICE = process.env.SOFFICE_PATH ?? 'soffice';

/** Converts DOCX bytes to PDF bytes with LibreOffice in a private profile (safe to run concurrently). */
export function docxToPdf(docx: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'msoko-lo-'));
  try {
    writeFileSync(join(dir, 'report.docx'), docx);
    execFileSync(
      SOFFICE,
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'report.docx')],
      { stdio: 'pipe', timeout: 180_000 },
    );
    return new Uint8Array(readFileSync(join(dir, 'report.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPageCount(pdf: Uint8Array): number {
  const dir = mkdtempSync(join(tmpdir(), 'msoko-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    const info = execFileSync('pdfinfo', [join(dir, 'a.pdf')], { encoding: 'utf8' });
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'msoko-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders PDF pages (1-based, inclusive) to PNG files; returns their bytes in page order. */
export function pdfToPngs(pdf: Uint8Array, opts: { dpi?: number; first?: number; last?: number } = {}): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'msoko-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    const args = ['-png', '-r', String(opts.dpi ?? 80)];
    if (opts.first) args.push('-f', String(opts.first));
    if (opts.last) args.push('-l', String(opts.last));
    execFileSync('pdftoppm', [...args, join(dir, 'a.pdf'), join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort()
      .map((f) => new Uint8Array(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
