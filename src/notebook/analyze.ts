/**
 * Dependency analysis from cell sources. Each function returns the names a cell may read;
 * the runtime keeps only those that are cell or parameter names (an SQL identifier that is
 * no cell name is simply a database table).
 */
import { transform } from 'sucrase';
import YAML from 'yaml';
import { mapChartText } from './interpolate';
import type { CellData, ParamDef } from './model';

export interface SqlToken {
  type: 'ident' | 'qident' | 'param' | 'string' | 'comment' | 'space' | 'other';
  text: string;
  start: number;
  /** Identifier value (unquoted) or parameter name. */
  value?: string;
}

/** A small SQL tokenizer: enough to skip strings, comments and quoted identifiers. */
export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const push = (type: SqlToken['type'], end: number, value?: string) => {
    out.push({ type, text: sql.slice(i, end), start: i, value });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      const e = sql.indexOf('\n', i);
      push('comment', e < 0 ? sql.length : e);
    } else if (rest.startsWith('/*')) {
      const e = sql.indexOf('*/', i + 2);
      push('comment', e < 0 ? sql.length : e + 2);
    } else if (c === "'" || (/[eE]/.test(c) && sql[i + 1] === "'")) {
      let j = sql.indexOf("'", i) + 1;
      for (;;) {
        const k = sql.indexOf("'", j);
        if (k < 0) { j = sql.length; break; }
        if (sql[k + 1] === "'") { j = k + 2; continue; }
        j = k + 1;
        break;
      }
      push('string', j);
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < sql.length) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') { v += '"'; j += 2; continue; }
          j++;
          break;
        }
        v += sql[j++];
      }
      push('qident', j, v);
    } else if (c === '$') {
      const dq = /^\$([A-Za-z_]\w*)?\$/.exec(rest);
      const named = /^\$([A-Za-z_]\w*)/.exec(rest);
      if (dq) {
        const e = sql.indexOf(dq[0], i + dq[0].length);
        push('string', e < 0 ? sql.length : e + dq[0].length);
      } else if (named) {
        push('param', i + named[0].length, named[1]);
      } else {
        const num = /^\$\d*/.exec(rest)!;
        push('other', i + num[0].length);
      }
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff$]*/.exec(rest)!;
      push('ident', i + m[0].length, m[0]);
    } else if (/\s/.test(c)) {
      push('space', i + /^\s+/.exec(rest)![0].length);
    } else {
      push('other', i + 1);
    }
  }
  return out;
}

export interface SqlAnalysis {
  /** Table-like identifiers (lower case): candidates for cell names. */
  tables: string[];
  /** `$name` parameters in order of first use. */
  params: string[];
}

export function analyzeSql(sql: string): SqlAnalysis {
  const tokens = tokenizeSql(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
  const tables = new Set<string>();
  const params: string[] = [];
  tokens.forEach((t, k) => {
    if (t.type === 'param') {
      if (!params.includes(t.value!)) params.push(t.value!);
      return;
    }
    if (t.type !== 'ident' && t.type !== 'qident') return;
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (prev?.text === '.' || next?.text === '(') return;
    tables.add(t.value!.toLowerCase());
  });
  return { tables: [...tables], params };
}

/**
 * Rewrites `$name` to positional `$1…` and returns the values to bind. Values are never
 * spliced into the text; strings and comments are left untouched.
 */
export function bindSql(sql: string, lookup: (name: string) => { values: unknown[] } | undefined): { sql: string; params: unknown[]; missing: string[] } {
  const params: unknown[] = [];
  const index = new Map<string, number>();
  const missing: string[] = [];
  let out = '';
  for (const t of tokenizeSql(sql)) {
    if (t.type !== 'param') {
      out += t.text;
      continue;
    }
    let n = index.get(t.value!);
    if (n === undefined) {
      const found = lookup(t.value!);
      if (!found) {
        missing.push(t.value!);
        out += t.text;
        continue;
      }
      params.push(found.values[0]);
      n = params.length;
      index.set(t.value!, n);
    }
    out += `$${n}`;
  }
  return { sql: out, params, missing };
}

/** JS tokens relevant to free-identifier analysis. */
function scanJs(code: string, refs: Set<string>, declared: Set<string>, tables: Set<string>) {
  let i = 0;
  let prevSignificant = '';
  const n = code.length;
  const readTemplate = (tagged: string) => {
    // i points just after the opening backtick
    let text = '';
    while (i < n && code[i] !== '`') {
      if (code[i] === '\\') { text += code.slice(i, i + 2); i += 2; continue; }
      if (code[i] === '$' && code[i + 1] === '{') {
        i += 2;
        let depth = 1;
        const start = i;
        while (i < n && depth > 0) {
          if (code[i] === '{') depth++;
          else if (code[i] === '}') depth--;
          else if (code[i] === '`') { i++; readTemplate(''); continue; }
          if (depth > 0) i++;
        }
        scanJs(code.slice(start, i), refs, declared, tables);
        text += ' ? ';
        i++;
        continue;
      }
      text += code[i++];
    }
    i++;
    if (tagged === 'sql') for (const t of analyzeSql(text).tables) tables.add(t);
  };
  while (i < n) {
    const c = code[i];
    const rest = code.slice(i, i + 2);
    if (rest === '//') {
      const e = code.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (rest === '/*') {
      const e = code.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      i = j + 1;
      prevSignificant = 'str';
    } else if (c === '`') {
      i++;
      readTemplate(/(^|[^\w.])sql(\.arrow)?$/.test(code.slice(Math.max(0, i - 12), i - 1).trimEnd()) ? 'sql' : '');
      prevSignificant = 'str';
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/.exec(code.slice(i))!;
      const word = m[0];
      i += word.length;
      const after = /^\s*(.)/.exec(code.slice(i))?.[1];
      if (['const', 'let', 'var', 'function', 'class'].includes(prevSignificant)) declared.add(word);
      else if (prevSignificant !== '.' && !(after === ':' && (prevSignificant === '{' || prevSignificant === ','))) refs.add(word);
      prevSignificant = word;
    } else {
      if (!/\s/.test(c)) prevSignificant = c;
      i++;
    }
  }
}

export function transpileTs(source: string): string {
  return transform(source, { transforms: ['typescript'], disableESTransforms: true }).code;
}

export interface TsAnalysis {
  refs: string[];
  /** Tables read by `sql` tagged templates. */
  tables: string[];
  code?: string;
  error?: string;
}

export function analyzeTs(source: string): TsAnalysis {
  let code: string;
  try {
    code = transpileTs(source);
  } catch (e) {
    return { refs: [], tables: [], error: `Ошибка синтаксиса TypeScript: ${(e as Error).message}` };
  }
  const refs = new Set<string>();
  const tables = new Set<string>();
  const declared = new Set<string>();
  scanJs(code, refs, declared, tables);
  return { refs: [...refs].filter((r) => !declared.has(r)), tables: [...tables], code };
}

/** `${name.column|fmt}` references in a Markdown cell. */
export function analyzeMarkdown(source: string): string[] {
  const refs = new Set<string>();
  for (const m of source.matchAll(/\$\{\s*([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/g)) refs.add(m[1]);
  return [...refs];
}

/**
 * Names a chart cell reads: its `data=` attribute and the `${…}` in the plain-text fields of its
 * spec (titles, the empty-state line). A spec that is not JSON reads only its data; evaluation
 * reports the JSON error.
 */
export function analyzeChart(source: string, data?: string): string[] {
  const refs = new Set<string>(data ? [data] : []);
  let spec: unknown;
  try {
    spec = JSON.parse(source);
  } catch {
    return [...refs];
  }
  mapChartText(spec, (text) => {
    for (const r of analyzeMarkdown(text)) refs.add(r);
    return text;
  });
  return [...refs];
}

export function parseParamCell(cell: CellData): ParamDef {
  const body = (YAML.parse(cell.source) ?? {}) as Partial<ParamDef>;
  return { ...body, name: cell.name ?? body.name ?? cell.id, type: body.type ?? 'text' } as ParamDef;
}

export interface CellAnalysis {
  /** Table-like identifiers (SQL, lower case): match SQL/TS cells; anything else is a database table. */
  tables: string[];
  /** `$name` references (SQL): must be parameters (or scalar cells). */
  params: string[];
  /** Identifiers (TS, Markdown, chart data): match any cell or parameter by exact name. */
  names: string[];
  /** Whether every entry of `names` must exist. */
  strict: boolean;
  error?: string;
}

const none = { tables: [], params: [], names: [], strict: false };

export function analyzeCell(cell: CellData): CellAnalysis {
  switch (cell.kind) {
    case 'sql': {
      const a = analyzeSql(cell.source);
      return { ...none, tables: a.tables, params: a.params };
    }
    case 'ts': {
      const a = analyzeTs(cell.source);
      return { ...none, tables: a.tables, names: a.refs, error: a.error };
    }
    case 'md':
      return { ...none, names: analyzeMarkdown(cell.source), strict: true };
    case 'vega-lite':
      return { ...none, names: analyzeChart(cell.source, cell.attrs.data), strict: true };
    case 'param': {
      try {
        return analyzeParam(parseParamCell(cell));
      } catch (e) {
        return { ...none, error: `Ошибка в описании параметра: ${(e as Error).message}` };
      }
    }
  }
}

export function analyzeParam(def: ParamDef): CellAnalysis {
  if (!def.options_sql) return { ...none };
  const a = analyzeSql(def.options_sql);
  return { ...none, tables: a.tables, params: a.params };
}
