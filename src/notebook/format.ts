/**
 * Notebook file format (docs/architecture.md, "Notebook file format"): Markdown with YAML
 * front matter, fenced cells `sql|ts|vega-lite|param` with `id=` / `name=` attributes, and
 * Markdown cells between them (`<!-- cell id=… -->` starts one and carries its id).
 * `serializeNotebook(parseNotebook(text)) === text` for every file: the layout (gaps,
 * fences, info strings as written) is kept next to each cell.
 */
import YAML from 'yaml';
import { FENCED_KINDS, type CellData, type CellKind, type FrontMatter, type NotebookData } from './model';

const FENCE_OPEN = /^(`{3,}|~{3,})[ \t]*([^\s`]*)(.*?)\r?$/;
const MARKER = /^<!--(\s*cell\b.*?)-->\r?$/;
const BLANK_LINES_START = /^(?:[ \t]*\r?\n)*/;

interface Info {
  kind: string;
  attrs: Record<string, string>;
}

/** `sql id=c1 name=x data="a b"` → kind + attributes (in order). */
export function parseInfo(info: string): Info {
  const attrs: Record<string, string> = {};
  const re = /([^\s=]+)(?:=(?:"((?:[^"\\]|\\.)*)"|(\S*)))?/g;
  let kind = '';
  let m: RegExpExecArray | null;
  let first = true;
  while ((m = re.exec(info))) {
    if (first && m[2] === undefined && m[3] === undefined) {
      kind = m[1];
    } else {
      attrs[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    }
    first = false;
  }
  return { kind, attrs };
}

function formatAttr(key: string, value: string): string {
  if (value === '') return key;
  return /^[^\s"=]+$/.test(value) ? `${key}=${value}` : `${key}="${value.replace(/["\\]/g, '\\$&')}"`;
}

function cellAttrs(cell: CellData): Record<string, string> {
  const out: Record<string, string> = {};
  if (!cell.layout?.implicitId) out.id = cell.id;
  if (cell.name) out.name = cell.name;
  Object.assign(out, cell.attrs);
  return out;
}

function sameAttrs(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function renderInfo(cell: CellData, withKind: boolean): string {
  const attrs = cellAttrs(cell);
  const written = cell.layout?.info;
  if (written !== undefined) {
    const parsed = parseInfo(written);
    if ((!withKind || parsed.kind === cell.kind) && sameAttrs(parsed.attrs, attrs)) return written;
  }
  const parts = Object.entries(attrs).map(([k, v]) => formatAttr(k, v));
  if (withKind) return [cell.kind, ...parts].join(' ');
  return ` cell ${parts.join(' ')} `;
}

function toCell(kind: CellKind, attrs: Record<string, string>, source: string, layout: CellData['layout']): CellData {
  const { id, name, ...rest } = attrs;
  const cell: CellData = { id: id ?? '', kind, source, attrs: rest, layout };
  if (name) cell.name = name;
  if (!id) cell.layout = { ...layout!, implicitId: true };
  return cell;
}

export function parseNotebook(input: string): NotebookData {
  // Windows line endings are remembered once and restored on save.
  const crlf = /\r\n/.test(input) && !/(^|[^\r])\n/.test(input);
  const text = crlf ? input.replaceAll('\r\n', '\n') : input;
  let frontMatter: FrontMatter = {};
  let frontMatterRaw: string | undefined;
  let body = text;
  const fm = /^---[ \t]*\r?\n([\s\S]*?)^---[ \t]*\r?$/m.exec(text);
  if (fm && fm.index === 0) {
    frontMatterRaw = fm[1];
    frontMatter = (YAML.parse(frontMatterRaw) ?? {}) as FrontMatter;
    body = text.slice(fm[0].length);
  }

  const cells: CellData[] = [];
  const lines = body.split('\n');
  // Offsets of each line start, to slice the exact text between cells.
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) {
    starts.push(off);
    off += l.length + 1;
  }
  const at = (i: number) => (i < lines.length ? starts[i] : body.length);

  let regionStart = 0; // offset where pending Markdown text begins
  let pendingMarker: { info: string; gap: string } | null = null;

  const flushMarkdown = (end: number) => {
    const region = body.slice(regionStart, end);
    if (pendingMarker) {
      const source = region.replace(/\s+$/, '');
      const attrs = parseInfo(pendingMarker.info).attrs;
      cells.push(toCell('md', attrs, source, { gap: pendingMarker.gap, info: pendingMarker.info }));
      pendingMarker = null;
      return region.slice(source.length);
    }
    if (!/\S/.test(region)) return region;
    const gap = BLANK_LINES_START.exec(region)![0];
    const source = region.slice(gap.length).replace(/\s+$/, '');
    cells.push(toCell('md', {}, source, { gap }));
    return region.slice(gap.length + source.length);
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      const gap = flushMarkdown(at(i));
      pendingMarker = { info: marker[1], gap };
      regionStart = at(i + 1);
      i++;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open) {
      const fence = open[1];
      const closeRe = new RegExp(`^${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*\\r?$`);
      let j = i + 1;
      while (j < lines.length && !closeRe.test(lines[j])) j++;
      const kind = open[2] as CellKind;
      if (j < lines.length && FENCED_KINDS.includes(kind) && lines[j].trim() === fence) {
        const gap = flushMarkdown(at(i));
        const source = lines.slice(i + 1, j).join('\n');
        const { attrs } = parseInfo(`${kind}${open[3]}`);
        cells.push(toCell(kind, attrs, source, { gap, fence, info: line.slice(fence.length).replace(/\r$/, '') }));
        regionStart = at(j) + lines[j].length;
        i = j + 1;
        continue;
      }
      // Any other fenced block is part of the Markdown around it.
      i = Math.min(j, lines.length - 1) + 1;
      continue;
    }
    i++;
  }
  const trailing = flushMarkdown(body.length);

  assignImplicitIds(cells);
  const nb: NotebookData = { frontMatter, cells, trailing };
  if (frontMatterRaw !== undefined) nb.frontMatterRaw = frontMatterRaw;
  if (crlf) nb.eol = '\r\n';
  return nb;
}

function assignImplicitIds(cells: CellData[]) {
  const used = new Set(cells.filter((c) => c.id).map((c) => c.id));
  cells.forEach((c, i) => {
    if (c.id) return;
    let id = `${c.kind}-${i + 1}`;
    while (used.has(id)) id += '_';
    used.add(id);
    c.id = id;
  });
}

/** Changes only the top-level keys that differ, keeping the layout and comments of the rest. */
function editYaml(raw: string, value: FrontMatter): string {
  const doc = YAML.parseDocument(raw);
  const old = (doc.toJS() ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    if (JSON.stringify(old[k]) !== JSON.stringify(v)) doc.set(k, v);
  }
  for (const k of Object.keys(old)) if (!(k in value)) doc.delete(k);
  const out = doc.toString({ lineWidth: 0 });
  return out.endsWith('\n') ? out : `${out}\n`;
}

function sameYaml(raw: string, value: unknown): boolean {
  try {
    return JSON.stringify(YAML.parse(raw) ?? {}) === JSON.stringify(value);
  } catch {
    return false;
  }
}

export function serializeNotebook(nb: NotebookData): string {
  let out = '';
  const hasFront = nb.frontMatterRaw !== undefined || Object.keys(nb.frontMatter).length > 0;
  if (hasFront) {
    const raw =
      nb.frontMatterRaw === undefined
        ? YAML.stringify(nb.frontMatter, { lineWidth: 0 })
        : sameYaml(nb.frontMatterRaw, nb.frontMatter)
          ? nb.frontMatterRaw
          : editYaml(nb.frontMatterRaw, nb.frontMatter);
    out += `---\n${raw}---`;
  }
  nb.cells.forEach((cell, index) => {
    const gap = cell.layout?.gap ?? (index === 0 && !hasFront ? '' : '\n\n');
    out += gap;
    if (cell.kind === 'md') {
      const explicit = !cell.layout?.implicitId || cell.name || Object.keys(cell.attrs).length > 0;
      // A Markdown cell without a marker right after another Markdown cell would merge with it.
      const needsMarker = explicit || (index > 0 && nb.cells[index - 1].kind === 'md');
      if (needsMarker) {
        const c = cell.layout?.implicitId && needsMarker ? { ...cell, layout: { ...cell.layout, implicitId: false } } : cell;
        out += `<!--${renderInfo(c, false)}-->\n`;
      }
      out += cell.source;
    } else {
      const fence = cell.layout?.fence ?? (/^`{3,}/m.test(cell.source) ? '````' : '```');
      out += `${fence}${renderInfo(cell, true)}\n`;
      out += cell.source === '' ? '' : `${cell.source}\n`;
      out += fence;
    }
  });
  out += nb.trailing;
  return nb.eol === '\r\n' ? out.replaceAll('\n', '\r\n') : out;
}

/** Fresh ids for cells added in the editor. */
export function newCellId(existing: Iterable<string>): string {
  const used = new Set(existing);
  for (;;) {
    const id = `c${Math.random().toString(36).slice(2, 8)}`;
    if (!used.has(id)) return id;
  }
}

export function emptyNotebook(title = 'Новый блокнот'): NotebookData {
  return { frontMatter: { title }, cells: [], trailing: '\n' };
}
