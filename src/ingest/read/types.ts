/**
 * What the reader makes of one sheet of one file: an all-VARCHAR DuckDB table plus the
 * header and title text around it. Layout recognition and mapping (src/ingest/) start here.
 */
export interface RawSource {
  /** Original file name, e.g. «Проведение работы по Математике, 4 класс. ВПР 2021.xlsx». */
  file: string;
  /** Sheet name for workbooks, null for CSV/Parquet/JSON. */
  sheet: string | null;
  /** DuckDB table (in schema `raw`) with one VARCHAR column per source column, plus `_row`: the 1-based source row number. */
  table: string;
  /** DuckDB column names, in source order (without `_row`). */
  columns: string[];
  /** Original header titles, same order as `columns`. */
  headers: string[];
  /** Rows of the header block above the data when there is more than one (e.g. task levels «Б/П» above the titles), top to bottom. */
  headerRows: string[][];
  /** Text of the title rows above the header, e.g. «ВПР 2021 Математика 4 класс». */
  titleLines: string[];
  /** 1-based source row number of the first data row. */
  firstDataRow: number;
  rowCount: number;
}
