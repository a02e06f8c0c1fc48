/** The demo file's layout (src/db/demo-pack.ts): tables packed at build time come back whole, in order, as views. */
import { expect, test } from 'vitest';
import { packDemo, unpackDemo } from '../../../src/db/demo-pack';

test('packed tables come back with their columns, row counts and stream bytes', () => {
  const tables = [
    { name: 'schools', columns: [{ name: 'school_id', type: 'VARCHAR' }], rowCount: 2, ipc: new Uint8Array([1, 2, 3]) },
    { name: 'empty', columns: [{ name: 'year', type: 'INTEGER' }], rowCount: 0, ipc: new Uint8Array([]) },
    { name: 'task_scores', columns: [{ name: 'score', type: 'DOUBLE' }, { name: 'ё', type: 'VARCHAR' }], rowCount: 1, ipc: new Uint8Array([9, 8]) },
  ];
  const packed = packDemo(tables);
  expect(packed.length).toBe(4 + new DataView(packed.buffer).getUint32(0, true) + 5);
  const back = unpackDemo(packed);
  expect(back.map((t) => ({ ...t, ipc: [...t.ipc] }))).toEqual(tables.map((t) => ({ ...t, ipc: [...t.ipc] })));
  // Views of the fetched buffer, not copies.
  expect(back[2].ipc.buffer).toBe(packed.buffer);
});

test('a file shorter or longer than its header says is refused', () => {
  const packed = packDemo([{ name: 't', columns: [], rowCount: 1, ipc: new Uint8Array([1, 2, 3]) }]);
  expect(() => unpackDemo(packed.subarray(0, packed.length - 1))).toThrow(/header/);
  const longer = new Uint8Array(packed.length + 1);
  longer.set(packed);
  expect(() => unpackDemo(longer)).toThrow(/header/);
});
