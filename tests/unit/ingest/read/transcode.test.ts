import iconv from 'iconv-lite';
import { expect, test } from 'vitest';
import { cp1251ToUtf8, headText, isValidUtf8 } from '../../../../src/ingest/read/transcode';
import { textSource } from '../../../../src/ingest/read/text';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('Windows-1251 → UTF-8 byte by byte gives what iconv gives, for every byte value', () => {
  // 0x98 is unassigned: iconv-lite gives U+FFFD, the WHATWG decoder the reader always used U+0098.
  const all = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x98);
  expect(Buffer.from(cp1251ToUtf8(all)).toString('utf8')).toBe(iconv.decode(Buffer.from(all), 'win1251'));
  expect(Buffer.from(cp1251ToUtf8(new Uint8Array([0x98]))).toString('utf8')).toBe('\u0098');
  const text = 'Код ОО;Класс;Балл\n220001;4А;12,5\n«Ёлка» — №7\n';
  expect(new TextDecoder().decode(cp1251ToUtf8(iconv.encode(text, 'win1251')))).toBe(text);
});

test('UTF-8 is validated in chunks: a bad byte past the first megabyte is found', () => {
  const big = utf8('а'.repeat(600_000) + 'b'); // 1.2 MB of valid two-byte characters
  expect(isValidUtf8(big)).toBe(true);
  const broken = big.slice();
  broken[1_100_000] = 0xe0; // a lead byte followed by 0xd0: invalid
  expect(isValidUtf8(broken)).toBe(false);
  // A character split across the 1 MB chunk boundary is still valid.
  expect(isValidUtf8(utf8('x' + 'я'.repeat(700_000)))).toBe(true);
});

test('the head of a file is cut at a line end; the UTF-8 input itself goes to DuckDB', () => {
  // 'аб\n' is bytes 0–4, 'вг\n' bytes 5–9: a 9-byte head stops after the first line, a 10-byte one after the second.
  expect(headText(utf8('аб\nвг\nде\n'), 'utf-8', 9)).toBe('аб\n');
  expect(headText(utf8('аб\nвг\nде\n'), 'utf-8', 10)).toBe('аб\nвг\n');
  const bytes = utf8('Класс;Балл\n4А;5\n');
  const src = textSource(bytes);
  expect([src.encoding, src.head, src.utf8() === bytes]).toEqual(['utf-8', 'Класс;Балл\n4А;5\n', true]);
  const cp = textSource(iconv.encode('Класс;Балл\n4А;5\n', 'win1251'));
  expect([cp.encoding, cp.head, new TextDecoder().decode(cp.utf8())]).toEqual(['windows-1251', 'Класс;Балл\n4А;5\n', 'Класс;Балл\n4А;5\n']);
});
