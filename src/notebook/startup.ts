/**
 * What start-up (src/app/boot.ts) tells the notebook view, which mounts while the engine is still
 * starting: when cells may run, and the stored tables for the kept outputs (./kept-outputs.ts).
 * A module of its own, with no imports, because it is part of the start bundle.
 */
let dataReady: () => void = () => {};
const ready = new Promise<void>((resolve) => (dataReady = resolve));
/** Start-up has the data in place (or, on a reload, held behind the connector's restore gate). */
export const markDataReady = (): void => dataReady();
/** Resolves once cells may run: before that, a first start's cells would not see the demo tables. */
export const whenDataReady = (): Promise<void> => ready;

/**
 * Stored table name (lower case) → its record's fingerprint, as start-up read the records
 * (src/app/boot.ts); null once the restore has put them back, or when there was nothing to restore.
 * No table can change before the restore ends, so until then these are what the cells will read.
 * Pending until start-up has said which (a notebook may open first).
 */
type StoredFingerprints = Map<string, string | undefined>;
let publish: (v: Promise<StoredFingerprints | null>) => void = () => {};
let storedTables: Promise<StoredFingerprints | null> = new Promise((resolve) => (publish = resolve));
export function publishStoredTables(records: Promise<{ name: string; fingerprint?: string }[]> | null): void {
  const fingerprints = records ? records.then((rs) => new Map(rs.map((r) => [r.name.replace(/^main\./, '').toLowerCase(), r.fingerprint]))) : Promise.resolve(null);
  fingerprints.catch(() => undefined);
  publish(fingerprints);
  storedTables = fingerprints;
}
export const storedTablesForKept = (): Promise<StoredFingerprints | null> => storedTables;
