/** The notebook view's top bar: open a notebook (own or template), new, copy, file, download, report, share, run, cancel. */
import { For, Show } from 'solid-js';
import { db } from '../../db/browser-connector';
import { IndicatorWorkbookButton } from '../../ui/export/IndicatorWorkbook';
import { NotebookShare } from '../../ui/export/NotebookShare';
import { templates, type OpenRef, type UserNotebook } from './library';

export interface LibraryBarProps {
  current: OpenRef | undefined;
  userList: UserNotebook[];
  title: string;
  busy: boolean;
  markdown(): string;
  onPick(ref: OpenRef): void;
  onNew(): void;
  onCopy(): void;
  onFile(file: File): void;
  onDownload(): void;
  onReport(): void;
  onDelete(): void;
  onRunAll(): void;
  onCancel(): void;
}

export function LibraryBar(props: LibraryBarProps) {
  let fileInput!: HTMLInputElement;
  const pick = (value: string) => {
    const [kind, ...rest] = value.split(':');
    props.onPick({ kind: kind as OpenRef['kind'], id: rest.join(':') });
  };
  return (
    <div class="nb-library" data-testid="nb-library">
      <select data-testid="nb-picker" value={props.current ? `${props.current.kind}:${props.current.id}` : ''} onChange={(e) => pick(e.currentTarget.value)} title="Открыть блокнот">
        <optgroup label="Мои блокноты">
          <For each={props.userList}>{(u) => <option value={`user:${u.id}`}>{u.title}</option>}</For>
        </optgroup>
        <optgroup label="Шаблоны (только чтение)">
          <For each={templates}>{(t) => <option value={`template:${t.id}`}>{t.title}</option>}</For>
        </optgroup>
      </select>
      <button onClick={() => props.onNew()} data-testid="nb-new">Новый</button>
      <button onClick={() => props.onCopy()} data-testid="nb-copy">Сделать копию</button>
      <button onClick={() => fileInput.click()} data-testid="nb-open-file">Открыть .md…</button>
      <input
        ref={fileInput}
        type="file"
        accept=".md,text/markdown"
        hidden
        data-testid="nb-file-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) props.onFile(f);
          e.currentTarget.value = '';
        }}
      />
      <button onClick={() => props.onDownload()} data-testid="nb-download">Скачать .md</button>
      <button onClick={() => props.onReport()} disabled={!props.current} data-testid="nb-report" title="Справка в DOCX или HTML из выбранных ячеек">Отчёт</button>
      <NotebookShare conn={db} title={props.title} markdown={() => props.markdown()} onOpened={(text) => props.onFile(new File([text], 'пакет.md'))} showMd={false} />
      <IndicatorWorkbookButton conn={db} />
      <Show when={props.current?.kind === 'user'}>
        <button onClick={() => props.onDelete()} data-testid="nb-delete">Удалить блокнот</button>
      </Show>
      <span class="spacer" />
      <button class="primary" onClick={() => props.onRunAll()} data-testid="run-all">Выполнить всё</button>
      <button onClick={() => props.onCancel()} disabled={!props.busy} data-testid="nb-cancel">Отменить</button>
    </div>
  );
}
