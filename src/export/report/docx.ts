/**
 * A report as a Word document (docx package): A4 with Russian office margins, title, headings,
 * paragraphs and lists from Markdown, tables with a repeated shaded header row, charts as PNG
 * images, and «Стр. N из M» in the footer. Opens in Word and LibreOffice.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import type { Token, Tokens } from 'marked';
import { formatDate } from '../../format';
import { columnTitle } from '../table';
import { cellText, cutNote, isNumericColumn } from './cells';
import { markdownTokens } from './markdown';
import type { Report, ReportBlock } from './model';

const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 850 }; // 2 cm, 3 cm left, 1.5 cm right
const CONTENT_TWIPS = PAGE.width - MARGIN.left - MARGIN.right;
/** Content width in CSS pixels (96 dpi): 1 px = 15 twips. */
const CONTENT_PX = Math.floor(CONTENT_TWIPS / 15);
const BODY_FONT = 'Times New Roman';
const MONO_FONT = 'Courier New';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;

type RunStyle = Pick<IRunOptions, 'bold' | 'italics' | 'strike' | 'font' | 'size'> & { underline?: object };

function inlineRuns(tokens: readonly Token[] | undefined, style: RunStyle = {}): TextRun[] {
  const runs: TextRun[] = [];
  for (const t of tokens ?? []) {
    const tt = t as Token & { tokens?: Token[]; text?: string };
    switch (t.type) {
      case 'strong':
        runs.push(...inlineRuns(tt.tokens, { ...style, bold: true }));
        break;
      case 'em':
        runs.push(...inlineRuns(tt.tokens, { ...style, italics: true }));
        break;
      case 'del':
        runs.push(...inlineRuns(tt.tokens, { ...style, strike: true }));
        break;
      case 'codespan':
        runs.push(new TextRun({ ...style, text: decodeEntities(tt.text ?? ''), font: MONO_FONT }));
        break;
      case 'link':
        runs.push(...inlineRuns(tt.tokens, { ...style, underline: {} }));
        break;
      case 'br':
        runs.push(new TextRun({ ...style, text: '', break: 1 }));
        break;
      default:
        if (tt.tokens?.length) runs.push(...inlineRuns(tt.tokens, style));
        else if (tt.text !== undefined) runs.push(new TextRun({ ...style, text: decodeEntities(tt.text) }));
    }
  }
  return runs;
}

/** marked escapes &, <, > and quotes in inline text; Word wants the characters. */
const decodeEntities = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

function markdownParagraphs(md: string): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const walk = (tokens: Token[], indent = 0) => {
    for (const t of tokens) {
      switch (t.type) {
        case 'heading': {
          const h = t as Tokens.Heading;
          out.push(new Paragraph({ heading: HEADINGS[Math.min(h.depth, 4) - 1], children: inlineRuns(h.tokens) }));
          break;
        }
        case 'paragraph':
          out.push(bodyParagraph(inlineRuns((t as Tokens.Paragraph).tokens), indent));
          break;
        case 'text':
          out.push(bodyParagraph(inlineRuns((t as Tokens.Text).tokens ?? [t]), indent));
          break;
        case 'list': {
          const l = t as Tokens.List;
          l.items.forEach((item, i) => {
            const marker = l.ordered ? `${Number(l.start || 1) + i}.` : '•';
            const [first, ...rest] = item.tokens;
            const firstRuns = first && (first.type === 'text' || first.type === 'paragraph') ? inlineRuns((first as Tokens.Text).tokens ?? [first]) : [];
            out.push(
              new Paragraph({
                children: [new TextRun({ text: `${marker}\t` }), ...firstRuns],
                indent: { left: 567 * (indent + 1), hanging: 340 },
                spacing: { after: 60 },
              }),
            );
            const remaining = first && (first.type === 'text' || first.type === 'paragraph') ? rest : item.tokens;
            walk(remaining, indent + 1);
          });
          break;
        }
        case 'blockquote':
          walk((t as Tokens.Blockquote).tokens, indent + 1);
          break;
        case 'code':
          for (const line of (t as Tokens.Code).text.split('\n'))
            out.push(new Paragraph({ children: [new TextRun({ text: line, font: MONO_FONT, size: 18 })], spacing: { after: 0 } }));
          break;
        case 'table': {
          const tb = t as Tokens.Table;
          out.push(
            docxTable(
              tb.header.map((h) => inlineRuns(h.tokens)),
              tb.rows.map((r) => r.map((c) => inlineRuns(c.tokens))),
              tb.align.map((a) => a === 'right'),
            ),
          );
          out.push(new Paragraph({ text: '' }));
          break;
        }
        case 'hr':
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } } }));
          break;
        default:
          break;
      }
    }
  };
  walk(markdownTokens(md));
  return out;
}

function bodyParagraph(children: ParagraphChild[], indent = 0): Paragraph {
  return new Paragraph({
    children,
    alignment: AlignmentType.JUSTIFIED,
    spacing: { after: 120, line: 300 },
    ...(indent ? { indent: { left: 567 * indent } } : { indent: { firstLine: 709 } }),
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '9AA5B8' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

/**
 * Column widths from content: every column first gets what its longest unbreakable piece needs
 * (a header word, a number), then the space left goes to the columns whose text would wrap, in
 * proportion to how much more they would take.
 */
export function columnWidths(header: string[], rows: string[][], total = CONTENT_TWIPS): number[] {
  const CHAR = 100; // twips per character of 10 pt text (header words are 9 pt bold: about the same)
  const PAD = 170; // cell margins and borders
  const longestWord = (t: string) => Math.max(0, ...t.split(/\s+/).map((w) => w.length));
  const need = header.map((h, i) => {
    let min = Math.max(longestWord(h), 3);
    let full = h.length * 0.6;
    for (const r of rows.slice(0, 200)) {
      const t = r[i] ?? '';
      min = Math.max(min, /^[\d\s\u00a0,.%−-]+$/.test(t) ? t.length : Math.min(longestWord(t), 20));
      full = Math.max(full, t.length);
    }
    min = Math.min(min, 24);
    return { min: min * CHAR + PAD, full: Math.min(Math.max(full, min), 60) * CHAR + PAD };
  });
  const minSum = need.reduce((a, n) => a + n.min, 0);
  const fullSum = need.reduce((a, n) => a + n.full, 0);
  if (fullSum <= total) return need.map((n) => Math.floor((n.full * total) / fullSum));
  if (minSum >= total) return need.map((n) => Math.floor((n.min * total) / minSum));
  const extra = fullSum - minSum;
  return need.map((n) => Math.floor(n.min + ((n.full - n.min) * (total - minSum)) / extra));
}

function docxTable(header: TextRun[][], rows: TextRun[][][], numeric: boolean[], widths?: number[]): Table {
  const n = Math.max(header.length, 1);
  const colWidths = widths ?? Array.from({ length: n }, () => Math.floor(CONTENT_TWIPS / n));
  const cell = (children: TextRun[], i: number, head: boolean) =>
    new TableCell({
      children: [new Paragraph({ children, alignment: !head && numeric[i] ? AlignmentType.RIGHT : AlignmentType.LEFT, spacing: { after: 0 } })],
      width: { size: colWidths[i] ?? 0, type: WidthType.DXA },
      borders: BORDERS,
      margins: { top: 30, bottom: 30, left: 80, right: 80 },
      ...(head ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9E2F3' } } : {}),
    });
  return new Table({
    width: { size: CONTENT_TWIPS, type: WidthType.DXA },
    columnWidths: colWidths,
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
    ],
  });
}

const SMALL = 20; // 10 pt in half-points, for table text

function blockElements(b: ReportBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level - 1], children: [new TextRun(b.text)] })];
    case 'markdown':
      return markdownParagraphs(b.markdown);
    case 'html':
      return markdownParagraphs(b.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    case 'table': {
      const { columns, rows } = b.table;
      const out: (Paragraph | Table)[] = [];
      if (b.caption) out.push(new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })], keepNext: true, spacing: { before: 120, after: 60 } }));
      const titles = columns.map(columnTitle);
      const texts = rows.map((r) => columns.map((c) => cellText(r[c.name], c)));
      out.push(
        docxTable(
          titles.map((t) => [new TextRun({ text: t, bold: true, size: SMALL - 2 })]),
          texts.map((r) => r.map((t) => [new TextRun({ text: t, size: SMALL })])),
          columns.map(isNumericColumn),
          columnWidths(titles, texts),
        ),
      );
      const note = cutNote(rows.length, b.totalRows);
      out.push(new Paragraph({ children: note ? [new TextRun({ text: note, italics: true, size: SMALL })] : [], spacing: { after: 120 } }));
      return out;
    }
    case 'chart': {
      const ratio = Math.min(1, CONTENT_PX / b.width);
      const out: Paragraph[] = [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          keepNext: Boolean(b.caption),
          spacing: { before: 120, after: b.caption ? 60 : 200 },
          children: b.png
            ? [new ImageRun({ type: 'png', data: b.png, transformation: { width: Math.round(b.width * ratio), height: Math.round(b.height * ratio) } })]
            : [new TextRun({ text: '[диаграмма не растрирована]', italics: true })],
        }),
      ];
      if (b.caption) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: b.caption, italics: true })] }));
      return out;
    }
    case 'code':
      return b.source
        .split('\n')
        .map((line) => new Paragraph({ children: [new TextRun({ text: line, font: MONO_FONT, size: 18 })], spacing: { after: 0 } }));
    case 'error':
      return [new Paragraph({ children: [new TextRun({ text: `Ошибка: ${b.message}`, color: 'C00000' })] })];
  }
}

/** The DOCX bytes of a report. Charts need `png` (see rasterizeCharts) to appear as images. */
export async function renderDocx(report: Report): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(report.title)] }),
  ];
  if (report.subtitle) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: report.subtitle, size: 28 })] }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `Дата формирования: ${formatDate(report.date)}`, color: '555555', size: 22 })],
    }),
  );
  for (const b of report.blocks) children.push(...blockElements(b));

  const doc = new Document({
    creator: 'МСОКО Workbench',
    title: report.title,
    description: report.subtitle ?? '',
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: 26, language: { value: 'ru-RU' } } },
        title: { run: { font: BODY_FONT, size: 36, bold: true, color: '000000' }, paragraph: { spacing: { after: 120 } } },
        heading1: { run: { font: BODY_FONT, size: 30, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        heading2: { run: { font: BODY_FONT, size: 28, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 200, after: 100 }, keepNext: true } },
        heading3: { run: { font: BODY_FONT, size: 26, bold: true, italics: true }, paragraph: { spacing: { before: 160, after: 80 }, keepNext: true } },
        heading4: { run: { font: BODY_FONT, size: 26, bold: true }, paragraph: { spacing: { before: 120, after: 60 }, keepNext: true } },
      },
    },
    sections: [
      {
        properties: { page: { size: PAGE, margin: MARGIN } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['Стр. ', PageNumber.CURRENT, ' из ', PageNumber.TOTAL_PAGES], size: 20 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}
