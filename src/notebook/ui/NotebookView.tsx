/**
 * The notebook surface: library (templates, own notebooks, open/download .md), parameter
 * bar, cells edited in Monaco and run by the dataflow runtime, results under each cell.
 * Jupyter keys in command mode (Esc): A/B add above/below, D D delete, Z undo deletion,
 * Enter edit, ↑/↓ select; Shift+Enter runs a cell (in the editor too).
 */
import { For, Show, createMemo, createSignal, onCleanup, onMount, type Accessor, type Setter } from 'solid-js';
import { db } from '../../db/browser-connector';
import { ensureIndicators, idsOfDirection } from '../../indicators/materialise';
import { parseNotebook, newCellId, serializeNotebook } from '../format';
import { loadDataFile, snapshot } from '../headless';
import type { CellData, CellKind, CellRuntimeState, FrontMatter, NotebookData, ParamDef, ParamValue } from '../model';
import { NotebookRuntime, paramUnitId } from '../runtime';
import { CellOutput, renderMarkdown } from './CellOutput';
import { CodeEditor } from './CodeEditor';
import { ParamInput } from './ParamInput';
import {
  STARTER,
  deleteUserNotebook,
  getCurrent,
  getParams,
  getUserNotebook,
  listUserNotebooks,
  newUserId,
  saveParams,
  saveUserNotebook,
  setCurrent,
  templates,
  type OpenRef,
  type UserNotebook,
} from './library';
import { IndicatorWorkbookButton } from '../../ui/export/IndicatorWorkbook';
import { NotebookShare } from '../../ui/export/NotebookShare';
import { ReportDialog } from '../../ui/export/ReportDialog';
import './notebook.css';

const KIND_LABEL: Record<CellKind, string> = { md: 'Markdown', sql: 'SQL', ts: 'TypeScript', 'vega-lite': 'График', param: 'Параметр' };
const STATUS_LABEL: Record<CellRuntimeState['status'], string> = {
  idle: 'не выполнялась',
  stale: 'устарела',
  queued: 'в очереди',
  running: 'выполняется…',
  done: 'готово',
  error: 'ошибка',
  cancelled: 'отменена',
};
const NEW_SOURCE: Record<CellKind, string> = {
  sql: 'SELECT 1 AS x',
  md: 'Текст *Markdown*',
  ts: 'return md`Привет`;',
  'vega-lite': '{\n  "mark": "bar",\n  "encoding": {}\n}',
  param: 'type: number\nlabel: Число\ndefault: 1',
};

function rowsLabel(n: number): string {
  const m10 = n % 10;
  const m100 = n % 100;
  const word = m10 === 1 && m100 !== 11 ? 'строка' : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? 'строки' : 'строк';
  return `${n.toLocaleString('ru-RU')} ${word}`;
}

interface Meta {
  ref: OpenRef;
  readOnly: boolean;
  record?: UserNotebook;
}

export function NotebookView() {
  const [meta, setMeta] = createSignal<Meta | null>(null);
  const [cells, setCells] = createSignal<CellData[]>([]);
  const [front, setFront] = createSignal<FrontMatter>({});
  const [userList, setUserList] = createSignal<UserNotebook[]>([]);
  const [selected, setSelected] = createSignal<string | null>(null);
  const [editingMd, setEditingMd] = createSignal<ReadonlySet<string>>(new Set());
  const [deleted, setDeleted] = createSignal<{ cell: CellData; index: number }[]>([]);
  const [trusted, setTrusted] = createSignal(true);
  const [message, setMessage] = createSignal<string | null>(null);
  const [version, setVersion] = createSignal(0);
  const [reportOpen, setReportOpen] = createSignal(false);
  // Bumped on every open so cell components (and their editors) are created afresh.
  const [instance, setInstance] = createSignal(0);
  let rt: NotebookRuntime | undefined;
  let data: NotebookData = { frontMatter: {}, cells: [], trailing: '\n' };
  let fileInput!: HTMLInputElement;
  let root!: HTMLDivElement;
  const editors = new Map<string, { focus(): void }>();
  const signals = new Map<string, [Accessor<CellRuntimeState | undefined>, Setter<CellRuntimeState | undefined>]>();

  const stateSignal = (id: string) => {
    let s = signals.get(id);
    if (!s) {
      s = createSignal<CellRuntimeState | undefined>(undefined, { equals: false });
      signals.set(id, s);
    }
    return s;
  };
  const stateOf = (id: string) => stateSignal(id)[0]();
  const ids = createMemo(() => cells().map((c) => c.id));
  const cellById = (id: string) => cells().find((c) => c.id === id);
  const busy = createMemo(() => {
    version();
    return [...signals.values()].some(([get]) => {
      const s = get();
      return s?.status === 'running' || s?.status === 'queued';
    });
  });
  const hasTs = () => cells().some((c) => c.kind === 'ts');
  const readOnly = () => meta()?.readOnly ?? true;

  // ---- opening and saving ---------------------------------------------------------------

  async function refreshList() {
    setUserList(await listUserNotebooks());
  }

  async function open(ref: OpenRef, text: string, opts: { readOnly: boolean; trusted: boolean; record?: UserNotebook }) {
    let nb: NotebookData;
    try {
      nb = parseNotebook(text);
    } catch (e) {
      setMessage(`Не удалось прочитать блокнот: ${(e as Error).message}`);
      return;
    }
    // Stop what the previous notebook still runs (restarting the engine only if it is busy).
    const previous = rt;
    rt = undefined;
    if (previous?.busy) await previous.cancel().catch(() => {});
    data = nb;
    signals.clear();
    editors.clear();
    setDeleted([]);
    setEditingMd(new Set<string>());
    setSelected(nb.cells[0]?.id ?? null);
    // The constructor already reports states; they are picked up below once `rt` is set.
    let created: NotebookRuntime | undefined;
    const runtime = new NotebookRuntime(db, nb, {
      trusted: opts.trusted,
      onChange: (id) => {
        if (!created || rt !== created) return;
        stateSignal(id)[1](created.states.get(id) ? { ...created.states.get(id)! } : undefined);
        setVersion((v) => v + 1);
      },
    });
    created = runtime;
    const saved = await getParams(ref);
    for (const [k, v] of Object.entries(saved ?? {})) runtime.paramValues.set(k, v);
    rt = runtime;
    for (const [id, s] of runtime.states) stateSignal(id)[1]({ ...s });
    setTrusted(opts.trusted);
    setMeta({ ref, readOnly: opts.readOnly, record: opts.record });
    setFront(nb.frontMatter);
    setCells(nb.cells);
    setInstance((i) => i + 1);
    setMessage(null);
    // Direction templates (front matter `indicators: true`) read the indicator table: computed on first use and when the data change.
    if (nb.frontMatter.indicators === true) {
      setMessage('Расчёт показателей по загруженным данным…');
      try {
        await ensureIndicators(db, { ids: idsOfDirection(nb.frontMatter.direction) });
        setMessage(null);
      } catch (e) {
        setMessage(`Показатели не рассчитаны: ${(e as Error).message}`);
      }
      if (rt !== runtime) return; // another notebook was opened meanwhile
    }
    const running = runtime.runAll();
    await setCurrent(ref);
    await running;
  }

  async function openRef(ref: OpenRef): Promise<boolean> {
    if (ref.kind === 'template') {
      const t = templates.find((x) => x.id === ref.id);
      if (!t) return false;
      await open(ref, t.text, { readOnly: true, trusted: true });
      return true;
    }
    const rec = await getUserNotebook(ref.id);
    if (!rec) return false;
    await open(ref, rec.text, { readOnly: false, trusted: rec.trusted, record: rec });
    return true;
  }

  async function createUser(text: string, opts: { trusted: boolean; from?: string; title?: string }) {
    const title = opts.title ?? parseNotebook(text).frontMatter.title ?? 'Без названия';
    const rec: UserNotebook = { id: newUserId(), title, text, updated: Date.now(), trusted: opts.trusted, from: opts.from };
    await saveUserNotebook(rec);
    await refreshList();
    await openRef({ kind: 'user', id: rec.id });
  }

  let saving: Promise<void> = Promise.resolve();
  function save() {
    const m = meta();
    if (!m || m.readOnly || !m.record) return;
    const rec: UserNotebook = { ...m.record, title: data.frontMatter.title ?? m.record.title, text: serializeNotebook(data), updated: Date.now(), trusted: trusted() };
    m.record = rec;
    saving = saving.then(() => saveUserNotebook(rec)).catch((e) => {
        setMessage(`Не удалось сохранить блокнот: ${(e as Error).message}`);
      });
  }

  /** Applies an edit of the notebook's structure or source: runtime, view, autosave. */
  function commit(next: NotebookData, opts: { render?: boolean } = {}) {
    data = next;
    rt?.setNotebook(next);
    if (opts.render !== false) {
      setCells(next.cells);
      setFront(next.frontMatter);
    }
    save();
  }

  onMount(async () => {
    await refreshList();
    const cur = await getCurrent();
    if (cur && (await openRef(cur))) return;
    await createUser(STARTER, { trusted: true });
  });

  const offDb = db.on((e) => {
    if (e.type === 'restarted') rt?.engineRestarted();
  });
  onCleanup(() => {
    offDb();
    if (rt?.busy) rt.cancel().catch(() => {});
  });

  // ---- running ----------------------------------------------------------------------------

  const runCell = (id: string) => {
    setEditingMd((s) => {
      const n = new Set(s);
      n.delete(id);
      return n;
    });
    void rt?.run([id]);
  };
  const runAll = () => void rt?.runAll();
  const cancel = () => void rt?.cancel();
  const setParam = (name: string, v: ParamValue) => {
    if (!rt) return;
    void rt.setParam(name, v);
    const m = meta();
    if (m) void saveParams(m.ref, Object.fromEntries(rt.paramValues));
  };
  const trust = () => {
    if (!rt) return;
    rt.trusted = true;
    setTrusted(true);
    save();
    void rt.run(cells().filter((c) => c.kind === 'ts').map((c) => c.id));
  };

  // ---- editing --------------------------------------------------------------------------

  const onSource = (id: string, source: string) => {
    commit({ ...data, cells: data.cells.map((c) => (c.id === id ? { ...c, source } : c)) }, { render: false });
    setCells(data.cells);
  };

  const updateCell = (id: string, patch: Partial<CellData>) => commit({ ...data, cells: data.cells.map((c) => (c.id === id ? { ...c, ...patch } : c)) });

  const addCell = (kind: CellKind, index: number) => {
    if (readOnly()) return;
    const id = newCellId(data.cells.map((c) => c.id));
    const cell: CellData = { id, kind, source: NEW_SOURCE[kind], attrs: {} };
    if (kind === 'sql' || kind === 'ts') cell.name = uniqueName(kind === 'sql' ? 'q' : 't');
    if (kind === 'param') cell.name = uniqueName('p');
    const next = [...data.cells];
    next.splice(Math.max(0, Math.min(index, next.length)), 0, cell);
    commit({ ...data, cells: next });
    setSelected(id);
    if (kind === 'md') setEditingMd((s) => new Set([...s, id]));
  };

  const uniqueName = (prefix: string) => {
    const used = new Set(data.cells.map((c) => c.name?.toLowerCase()));
    let i = 1;
    while (used.has(`${prefix}${i}`)) i++;
    return `${prefix}${i}`;
  };

  const deleteCell = (id: string) => {
    if (readOnly()) return;
    const index = data.cells.findIndex((c) => c.id === id);
    if (index < 0) return;
    setDeleted((d) => [...d, { cell: data.cells[index], index }]);
    commit({ ...data, cells: data.cells.filter((c) => c.id !== id) });
    setSelected(data.cells[Math.min(index, data.cells.length - 1)]?.id ?? null);
  };

  const undoDelete = () => {
    const last = deleted().at(-1);
    if (!last || readOnly()) return;
    setDeleted((d) => d.slice(0, -1));
    const next = [...data.cells];
    next.splice(Math.min(last.index, next.length), 0, last.cell);
    commit({ ...data, cells: next });
    setSelected(last.cell.id);
    void rt?.run([last.cell.id]);
  };

  const moveCell = (id: string, delta: number) => {
    const i = data.cells.findIndex((c) => c.id === id);
    const j = i + delta;
    if (readOnly() || i < 0 || j < 0 || j >= data.cells.length) return;
    const next = [...data.cells];
    [next[i], next[j]] = [next[j], next[i]];
    commit({ ...data, cells: next });
  };

  // ---- library actions ------------------------------------------------------------------

  const makeCopy = () => {
    const m = meta();
    const title = `${data.frontMatter.title ?? 'Блокнот'} (копия)`;
    const copy: NotebookData = { ...data, frontMatter: { ...data.frontMatter, title } };
    void createUser(serializeNotebook(copy), { trusted: trusted(), from: m?.ref.kind === 'template' ? m.ref.id : undefined, title });
  };

  const newNotebook = () => void createUser(STARTER, { trusted: true });

  const openFile = async (file: File) => {
    const text = await file.text();
    try {
      const nb = parseNotebook(text);
      // A notebook from a file may carry code: TypeScript cells wait for the user's trust.
      await createUser(text, { trusted: !nb.cells.some((c) => c.kind === 'ts'), title: nb.frontMatter.title ?? file.name.replace(/\.md$/i, '') });
    } catch (e) {
      setMessage(`Файл «${file.name}»: не удалось прочитать блокнот: ${(e as Error).message}`);
    }
  };

  const download = () => {
    const blob = new Blob([serializeNotebook(data)], { type: 'text/markdown;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(data.frontMatter.title ?? 'notebook').replace(/[\\/:*?"<>|]/g, '_')}.md`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const removeNotebook = async () => {
    const m = meta();
    if (!m || m.ref.kind !== 'user') return;
    if (!confirm(`Удалить блокнот «${data.frontMatter.title ?? ''}» из этого браузера?`)) return;
    await deleteUserNotebook(m.ref.id);
    await refreshList();
    const first = userList()[0];
    if (first) await openRef({ kind: 'user', id: first.id });
    else await createUser(STARTER, { trusted: true });
  };

  const onPick = (value: string) => {
    const [kind, ...rest] = value.split(':');
    void openRef({ kind: kind as OpenRef['kind'], id: rest.join(':') });
  };

  // ---- keyboard (command mode) ----------------------------------------------------------

  let lastD = 0;
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.closest('.monaco-editor, input, select, textarea, button')) return;
    const id = selected();
    const index = id ? data.cells.findIndex((c) => c.id === id) : -1;
    const key = e.key;
    if (key === 'Enter' && e.shiftKey) {
      if (id) {
        runCell(id);
        const next = data.cells[index + 1];
        if (next) setSelected(next.id);
      }
    } else if (key === 'Enter') {
      if (id) {
        if (cellById(id)?.kind === 'md') setEditingMd((s) => new Set([...s, id]));
        queueMicrotask(() => editors.get(id)?.focus());
      }
    } else if (key === 'a' || key === 'A' || key === 'ф' || key === 'Ф') addCell('sql', Math.max(0, index));
    else if (key === 'b' || key === 'B' || key === 'и' || key === 'И') addCell('sql', index + 1);
    else if (key === 'd' || key === 'D' || key === 'в' || key === 'В') {
      const now = Date.now();
      if (now - lastD < 800 && id) {
        deleteCell(id);
        lastD = 0;
      } else lastD = now;
    } else if (key === 'z' || key === 'Z' || key === 'я' || key === 'Я') undoDelete();
    else if (key === 'ArrowDown' || key === 'j') {
      const next = data.cells[index + 1];
      if (next) setSelected(next.id);
    } else if (key === 'ArrowUp' || key === 'k') {
      const prev = data.cells[index - 1];
      if (prev) setSelected(prev.id);
    } else return;
    e.preventDefault();
  };

  const toCommandMode = (id: string) => {
    setSelected(id);
    root.focus();
  };

  // ---- test hook ------------------------------------------------------------------------

  const hook = {
    runtime: () => rt,
    idle: async () => {
      for (;;) {
        await rt?.idle();
        if (!busy()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    snapshot: () => (rt ? snapshot(rt) : null),
    serialize: () => serializeNotebook(data),
    loadData: async (fileName: string, text: string) => {
      const table = await loadDataFile(db, fileName, new TextEncoder().encode(text));
      await db.persistTables([table]);
      return table;
    },
    openText: (text: string, opts: { trusted?: boolean } = {}) => createUser(text, { trusted: opts.trusted ?? true }),
    openTemplate: (id: string) => openRef({ kind: 'template', id }),
  };
  (window as unknown as { __msoko?: Record<string, unknown> }).__msoko = {
    ...((window as unknown as { __msoko?: Record<string, unknown> }).__msoko ?? {}),
    notebook: hook,
  };

  // ---- view -------------------------------------------------------------------------------

  const params = () => (front().parameters ?? []) as ParamDef[];
  const paramState = (name: string) => {
    const r = stateOf(paramUnitId(name))?.result;
    return r?.kind === 'param' ? r : undefined;
  };

  return (
    <section class="nb" data-testid="notebook" data-ready={meta() ? 'true' : 'false'} data-busy={busy() ? 'true' : 'false'}>
      <div class="nb-library" data-testid="nb-library">
        <select
          data-testid="nb-picker"
          value={meta() ? `${meta()!.ref.kind}:${meta()!.ref.id}` : ''}
          onChange={(e) => onPick(e.currentTarget.value)}
          title="Открыть блокнот"
        >
          <optgroup label="Мои блокноты">
            <For each={userList()}>{(u) => <option value={`user:${u.id}`}>{u.title}</option>}</For>
          </optgroup>
          <optgroup label="Шаблоны (только чтение)">
            <For each={templates}>{(t) => <option value={`template:${t.id}`}>{t.title}</option>}</For>
          </optgroup>
        </select>
        <button onClick={newNotebook} data-testid="nb-new">Новый</button>
        <button onClick={makeCopy} data-testid="nb-copy">Сделать копию</button>
        <button onClick={() => fileInput.click()} data-testid="nb-open-file">Открыть .md…</button>
        <input
          ref={fileInput}
          type="file"
          accept=".md,text/markdown"
          hidden
          data-testid="nb-file-input"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void openFile(f);
            e.currentTarget.value = '';
          }}
        />
        <button onClick={download} data-testid="nb-download">Скачать .md</button>
        <button onClick={() => setReportOpen(true)} disabled={!meta()} data-testid="nb-report" title="Справка в DOCX или HTML из выбранных ячеек">Отчёт</button>
        <NotebookShare
          conn={db}
          title={front().title ?? 'Блокнот'}
          markdown={() => serializeNotebook(data)}
          onOpened={(text) => void openFile(new File([text], 'пакет.md'))}
          showMd={false}
        />
        <IndicatorWorkbookButton conn={db} />
        <Show when={meta()?.ref.kind === 'user'}>
          <button onClick={() => void removeNotebook()} data-testid="nb-delete">Удалить блокнот</button>
        </Show>
        <span class="spacer" />
        <button class="primary" onClick={runAll} data-testid="run-all">Выполнить всё</button>
        <button onClick={cancel} disabled={!busy()} data-testid="nb-cancel">Отменить</button>
      </div>

      <Show when={reportOpen() && rt}>{(r) => <ReportDialog runtime={r()} onClose={() => setReportOpen(false)} />}</Show>

      <Show when={message()}>
        <p class="error" role="alert" data-testid="nb-message">{message()}</p>
      </Show>

      <header class="nb-head">
        <Show
          when={!readOnly()}
          fallback={<h2 data-testid="nb-title">{front().title ?? 'Без названия'}</h2>}
        >
          <input
            class="nb-title-input"
            data-testid="nb-title"
            value={front().title ?? ''}
            onChange={(e) => commit({ ...data, frontMatter: { ...data.frontMatter, title: e.currentTarget.value } })}
          />
        </Show>
        <Show when={front().description}>
          <p class="muted">{front().description}</p>
        </Show>
        <Show when={readOnly()}>
          <p class="nb-readonly" data-testid="nb-readonly">
            Это шаблон: его можно выполнять и менять параметры, но не редактировать. Чтобы изменить — <button class="link" onClick={makeCopy}>сделайте копию</button>.
          </p>
        </Show>
        <Show when={hasTs() && !trusted()}>
          <div class="nb-trust" role="alert" data-testid="nb-trust">
            Блокнот открыт из файла и содержит ячейки TypeScript — они выполняют программный код в этом браузере. Выполнять их, только если вы доверяете источнику файла.
            <button class="primary" onClick={trust} data-testid="nb-trust-accept">Доверять и выполнить</button>
          </div>
        </Show>
        <Show when={params().length}>
          <div class="nb-params" data-testid="nb-params">
            <For each={params()}>
              {(def) => <ParamInput def={def} value={paramState(def.name)?.value} options={paramState(def.name)?.options} onChange={(v) => setParam(def.name, v)} />}
            </For>
          </div>
        </Show>
      </header>

      <div class="nb-cells" ref={root} tabIndex={0} onKeyDown={onKeyDown} data-testid="nb-cells">
        <Show when={instance()} keyed>
        {(_instance) => (
        <For each={ids()}>
          {(id) => {
            const cell = () => cellById(id);
            const state = () => stateOf(id);
            const mdRendered = () => cell()?.kind === 'md' && !editingMd().has(id) && state()?.result?.kind === 'md';
            return (
              <Show when={cell()}>
                {(c) => (
                  <div
                    class="nb-cell"
                    classList={{ selected: selected() === id, [`status-${state()?.status ?? 'idle'}`]: true }}
                    data-testid="cell"
                    data-cell-id={id}
                    data-cell-name={c().name ?? ''}
                    data-kind={c().kind}
                    data-status={state()?.status ?? 'idle'}
                    data-run-count={state()?.runCount ?? 0}
                    onMouseDown={() => setSelected(id)}
                  >
                    <div class="nb-cell-bar">
                      <span class="nb-kind">{KIND_LABEL[c().kind]}</span>
                      <Show when={c().kind !== 'md' && c().kind !== 'vega-lite'}>
                        <input
                          class="nb-name"
                          value={c().name ?? ''}
                          placeholder="имя"
                          title="Имя результата: по нему ячейку читают другие ячейки"
                          readOnly={readOnly()}
                          data-testid="cell-name"
                          onChange={(e) => updateCell(id, { name: e.currentTarget.value.trim() || undefined })}
                        />
                      </Show>
                      <Show when={c().kind === 'vega-lite'}>
                        <label class="nb-data">
                          данные:
                          <input
                            class="nb-name"
                            value={c().attrs.data ?? ''}
                            readOnly={readOnly()}
                            data-testid="cell-data"
                            onChange={(e) => updateCell(id, { attrs: { ...c().attrs, data: e.currentTarget.value.trim() } })}
                          />
                        </label>
                      </Show>
                      <span class="nb-status" data-testid="cell-status">
                        {STATUS_LABEL[state()?.status ?? 'idle']}
                        {state()?.status === 'done' && state()?.result?.kind === 'table'
                          ? ` · ${rowsLabel((state()!.result as { rowCount: number }).rowCount)}`
                          : ''}
                      </span>
                      <span class="spacer" />
                      <button onClick={() => runCell(id)} title="Выполнить (Shift+Enter)" data-testid="run-cell">▶ Выполнить</button>
                      <Show when={!readOnly()}>
                        <Show when={c().kind === 'md'}>
                          <button onClick={() => setEditingMd((s) => new Set([...s, id]))} data-testid="edit-cell">Править</button>
                        </Show>
                        <button onClick={() => moveCell(id, -1)} title="Выше" data-testid="move-up">↑</button>
                        <button onClick={() => moveCell(id, 1)} title="Ниже" data-testid="move-down">↓</button>
                        <button onClick={() => deleteCell(id)} title="Удалить (D D)" data-testid="delete-cell">✕</button>
                      </Show>
                    </div>
                    <Show when={!mdRendered() && !(readOnly() && c().kind === 'md')}>
                      <CodeEditor
                        value={c().source}
                        kind={c().kind}
                        readOnly={readOnly()}
                        onChange={(v) => onSource(id, v)}
                        onRun={() => runCell(id)}
                        onEscape={() => toCommandMode(id)}
                        onFocus={() => setSelected(id)}
                        ref={(api) => editors.set(id, api)}
                      />
                    </Show>
                    <Show when={state()?.error}>
                      <p class="nb-error" role="alert" data-testid="cell-error">{state()!.error}</p>
                    </Show>
                    <Show when={state()?.result}>
                      {(r) => (
                        <Show
                          when={r().kind === 'param' && (c().kind === 'param') && r()}
                          fallback={
                            <div onDblClick={() => !readOnly() && c().kind === 'md' && setEditingMd((s) => new Set([...s, id]))}>
                              <CellOutput result={r()} name={c().name ?? id} />
                            </div>
                          }
                        >
                          {(p) => {
                            const def = () => rt?.units.get(id)?.def;
                            return (
                              <Show when={def()}>
                                {(d) => (
                                  <div class="nb-params">
                                    <ParamInput
                                      def={d()}
                                      value={(p() as { value: ParamValue }).value}
                                      options={(p() as { options?: (string | number)[] }).options}
                                      onChange={(v) => setParam(d().name, v)}
                                    />
                                  </div>
                                )}
                              </Show>
                            );
                          }}
                        </Show>
                      )}
                    </Show>
                    <Show when={readOnly() && c().kind === 'md' && !state()?.result && !state()?.error}>
                      <div class="nb-md" innerHTML={renderMarkdown(c().source)} />
                    </Show>
                  </div>
                )}
              </Show>
            );
          }}
        </For>
        )}
        </Show>
        <Show when={!readOnly()}>
          <div class="nb-add" data-testid="nb-add">
            Добавить ячейку:
            <For each={['sql', 'md', 'ts', 'vega-lite', 'param'] as CellKind[]}>
              {(k) => (
                <button onClick={() => addCell(k, data.cells.length)} data-testid={`add-${k}`}>
                  + {KIND_LABEL[k]}
                </button>
              )}
            </For>
            <Show when={deleted().length}>
              <button onClick={undoDelete} data-testid="undo-delete">Вернуть удалённую ячейку (Z)</button>
            </Show>
          </div>
        </Show>
      </div>
    </section>
  );
}
