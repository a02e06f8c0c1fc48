export { kvGet, kvPeek, kvSet, kvDelete, kvKeys } from './kv';
export { saveTable, deleteStoredTable, storedTableNames, loadStoredTables, type StoredTable } from './tables';
export { idbClearAll as clearAllStorage } from './idb';
