/**
 * Decodes CSV/TSV files and finds their layout (src/ingest/read/delimited.ts) off the page's main
 * thread; the bytes come in and the UTF-8 bytes go back transferred, the decoded text stays here.
 */
import { exposeParser } from '../src/ingest/read/off-thread';
import { parseDelimited } from '../src/ingest/read/delimited';
import { transferables } from '../src/ingest/read/transfer';

exposeParser(parseDelimited, transferables);
