import { describe, expect, test } from 'vitest';
import iconv from 'iconv-lite';
import { parseDelimited, type ParsedDelimited } from '../../../../src/ingest/read/delimited';

const TEXT = 'Результаты ВПР\nКод;Класс;Балл\n001;4А;12,5\n002;4Б;17\n';
const utf8 = (s: string) => new TextEncoder().encode(s);

function parsed(bytes: Uint8Array, tsv = false): ParsedDelimited {
  const r = parseDelimited(bytes, tsv);
  if ('problem' in r) throw new Error(r.problem);
  return r;
}

describe('parseDelimited', () => {
  const cases: [string, Uint8Array, string][] = [
    ['Windows-1251', new Uint8Array(iconv.encode(TEXT, 'win1251')), 'windows-1251'],
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(TEXT)]), 'utf-8'],
    ['UTF-16 LE with BOM', new Uint8Array(iconv.encode(TEXT, 'utf16le', { addBOM: true })), 'utf-16le'],
    ['UTF-16 BE with BOM', new Uint8Array([0xfe, 0xff, ...iconv.encode(TEXT, 'utf16-be')]), 'utf-16be'],
  ];
  for (const [name, bytes, encoding] of cases) {
    test(`${name} becomes UTF-8 without BOM, with the layout found`, () => {
      const r = parsed(bytes);
      expect(r.encoding).toBe(encoding);
      expect([...r.utf8]).toEqual([...utf8(TEXT)]);
      expect(r.delimiter).toBe(';');
      expect(r.headers).toEqual(['Код', 'Класс', 'Балл']);
      expect(r.columns).toEqual(['Код', 'Класс', 'Балл']);
      expect(r.titleRows).toEqual([['Результаты ВПР']]);
      expect(r.skip).toBe(2);
    });
  }

  test('UTF-8 without BOM is handed on as the same bytes, not a copy', () => {
    const bytes = utf8(TEXT);
    expect(parsed(bytes).utf8).toBe(bytes);
  });

  test('delimiters: comma, tab, pipe; quoted delimiters do not split', () => {
    expect(parsed(utf8('a,b,c\n1,"x,y",3\n4,5,6\n')).delimiter).toBe(',');
    expect(parsed(utf8('a\tb\n1,5\t2\n3\t4\n')).delimiter).toBe('\t');
    expect(parsed(utf8('a|b\n1|2\n')).delimiter).toBe('|');
    // A .tsv name decides even when commas would split more.
    const tsv = parsed(utf8('a,b\tc\n1,2\t3\n'), true);
    expect(tsv.delimiter).toBe('\t');
    expect(tsv.headers).toEqual(['a,b', 'c']);
  });

  test('a file without a header gets no header titles and skips nothing', () => {
    const r = parsed(utf8('1;2;3\n4;5;6\n7;8;9\n'));
    expect(r.skip).toBe(0);
    expect(r.headers).toEqual(['', '', '']);
  });

  test('Russian problems: header only, whitespace only, binary garbage', () => {
    expect(parseDelimited(utf8('Код;Класс;Балл\n\n'), false)).toEqual({
      problem: 'в файле нет строк с данными (только заголовок или пустые строки).',
    });
    expect(parseDelimited(utf8(' \n\n'), false)).toEqual({ problem: 'файл пуст: в нём нет ни одной строки с данными.' });
    const garbage = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
    expect(parseDelimited(garbage, false)).toEqual({
      problem: 'не похож на таблицу: это не текст CSV/TSV, не книга Excel, не Parquet и не JSON (возможно, файл повреждён).',
    });
  });
});
