/** «Скачать .md», «Экспорт пакета (.zip)» and «Открыть пакет» for the open notebook. */
import { Show, type JSX } from 'solid-js';
import type { Connector } from '../../db/connector';
import { downloadBytes, fileName } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

export interface NotebookShareProps {
  conn: Connector;
  title: string;
  /** The notebook as saved (.md text). */
  markdown: () => string;
  /** Called after a bundle was opened: its notebook text and the tables it loaded. */
  onOpened: (notebookMd: string, tables: string[]) => void;
  /** Show «Скачать .md» (off where the notebook toolbar has its own). */
  showMd?: boolean;
}

export function NotebookShare(props: NotebookShareProps): JSX.Element {
  let input!: HTMLInputElement;
  const { status, run } = createExportStatus();

  const md = () => downloadBytes(fileName(props.title, 'md'), props.markdown(), 'md');
  const bundle = () =>
    run('Пакет', async () => downloadBytes(fileName(props.title, 'zip'), await (await import('../../export/bundle')).writeBundle(props.conn, props.markdown(), { title: props.title }), 'zip'));
  const open = (file: File) =>
    run('Открытие пакета', async () => {
      const { openBundle } = await import('../../export/bundle');
      // Replacing tables needs the user's consent (src/app/dataset.ts), asked after the bundle was read.
      const { requestCanonicalChange } = await import('../../app/dataset');
      const r = await openBundle(props.conn, new Uint8Array(await file.arrayBuffer()), file.name, { consent: requestCanonicalChange });
      if (r.declined) return `Пакет «${r.manifest.title}» не открыт: данные не изменены`;
      // The browser connector keeps tables across reloads only when asked to.
      const persist = (props.conn as Partial<{ persistTables(names: string[]): Promise<void> }>).persistTables;
      if (persist) await persist.call(props.conn, r.tables);
      props.onOpened(r.notebook, r.tables);
      return `Открыт пакет «${r.manifest.title}»: таблиц ${r.tables.length}${r.ignored.length ? `; пропущено: ${r.ignored.join('; ')}` : ''}`;
    });

  return (
    <div class="export-bar" data-testid="notebook-share">
      <Show when={props.showMd !== false}>
        <button onClick={md} data-testid="download-md" title="Файл блокнота (Markdown)">
          Скачать .md
        </button>
      </Show>
      <button onClick={bundle} data-testid="export-bundle" title="Блокнот и данные, которые он использует, одним архивом">
        Экспорт пакета (.zip)
      </button>
      <button onClick={() => input.click()} data-testid="open-bundle" title="Открыть пакет, полученный от коллеги">
        Открыть пакет
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip"
        hidden
        data-testid="open-bundle-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) void open(f);
        }}
      />
      <ExportStatus status={status} testid="share-status" />
    </div>
  );
}
