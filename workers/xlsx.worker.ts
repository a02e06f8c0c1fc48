/** Parses workbooks (src/ingest/read/workbook.ts) off the page's main thread; the CSV bytes go back transferred. */
import { exposeParser } from '../src/ingest/read/off-thread';
import { parseWorkbook } from '../src/ingest/read/workbook';
import { transferables } from '../src/ingest/read/transfer';

exposeParser(parseWorkbook, transferables);
