/**
 * The notebook surface: library bar, parameter bar, cells edited in Monaco and run by the
 * dataflow runtime, results under each cell. Editing state and actions live in the store
 * (`../store.ts`); this view opens and saves notebooks and maps events to named actions.
 * Jupyter keys in command mode: see `commandKeys.ts`.
 */
import { For, Show, createMemo, createSignal, onCleanup, onMount } from 'solid-js';
import { db } from '../../db/browser-connector';
import { ensureIndicators, idsOfDirection } from '../../indicators/materialise';
import { tableProvided } from '../providers';
import { ReportDialog } from '../../ui/export/ReportDialog';
import { parseNotebook, serializeNotebook } from '../format';
import { CELL_KINDS } from '../kinds';
import type { CellKind, NotebookData, ParamValue } from '../model';
import { emptyStateText } from '../empty-state';
import { NotebookRuntime, paramUnitId } from '../runtime';
import { createSandboxRunner } from '../sandbox/runner';
import { isBusy } from '../status';
import { editorState, NotebookStore } from '../store';
import { CellView } from './CellView';
import { commandKeys } from './commandKeys';
import { LibraryBar } from './LibraryBar';
import { NotebookHeader } from './NotebookHeader';
import { installTestHook } from './test-hook';
import { OutputKeeper, whenDataReady } from './kept';
import { cellStateSignals, copyOfNotebook, downloadNotebook, inProgress, readNotebookFile } from './notebook-files';
import { ChartBuilder } from './ChartBuilder';
import type { TableResult } from './CellOutput';
import { deleteCollapsed, getCollapsed, onCollapseAll, saveCollapsed } from './collapse';
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
import './notebook.css';

// One sandboxed frame for every notebook's TypeScript cells (the page's CSP forbids eval).
const sandboxRunner = createSandboxRunner(() => import('virtual:ts-frame').then((m) => m.default));

interface Meta {
  ref: OpenRef;
  record?: UserNotebook;
}

const EMPTY: NotebookData = { frontMatter: {}, cells: [], trailing: '\n' };

export function NotebookView() {
  const store = new NotebookStore(editorState(EMPTY, { readOnly: true }), () => {
    keeper?.dropAll();
    rt?.setNotebook(store.state.data);
    save();
  });
  const [ed, setEd] = createSignal(store.state);
  onCleanup(store.subscribe(setEd));
  const [meta, setMeta] = createSignal<Meta | null>(null);
  const [userList, setUserList] = createSignal<UserNotebook[]>([]);
  const [message, setMessage] = createSignal<string | null>(null);
  // Progress of work before the cells run (not an error).
  const [note, setNote] = createSignal<string | null>(null);
  const [version, setVersion] = createSignal(0);
  const [reportOpen, setReportOpen] = createSignal(false);
  // Bumped on every open so cell components (and their editors) are created afresh.
  const [instance, setInstance] = createSignal(0);
  let rt: NotebookRuntime | undefined;
  // The outputs kept from earlier runs of the open notebook: shown until it has run, kept after.
  let keeper: OutputKeeper | undefined;
  let root!: HTMLDivElement;
  const editors = new Map<string, { focus(): void }>();
  const { signals, stateSignal, stateOf } = cellStateSignals();
  const cells = () => ed().data.cells;
  const front = () => ed().data.frontMatter;
  const readOnly = () => ed().readOnly;
  const ids = createMemo(() => cells().map((c) => c.id));
  const cellById = (id: string) => cells().find((c) => c.id === id);
  const busy = createMemo(() => {
    version();
    return [...signals.values()].some(([get]) => isBusy(get()));
  });
  const hasTs = () => cells().some((c) => c.kind === 'ts');

  // ---- opening and saving ---------------------------------------------------------------

  async function refreshList() {
    setUserList(await listUserNotebooks());
  }

  function startRuntime(nb: NotebookData, trusted: boolean): NotebookRuntime {
    // The constructor already reports states; they are picked up once `rt` is set.
    let created: NotebookRuntime | undefined;
    const runtime = new NotebookRuntime(db, nb, {
      trusted,
      ts: sandboxRunner,
      onChange: (id) => {
        if (!created || rt !== created) return;
        stateSignal(id)[1](created.states.get(id) ? { ...created.states.get(id)! } : undefined);
        setVersion((v) => v + 1);
        keeper?.observe(id);
      },
    });
    created = runtime;
    return runtime;
  }

  /** Opens in progress, the indicator computation before the first run included (the test hook waits for them). */
  const opening = inProgress((...args: Parameters<typeof openNotebook>) => openNotebook(...args));
  const open = opening.run;

  async function openNotebook(ref: OpenRef, text: string, opts: { readOnly: boolean; trusted: boolean; record?: UserNotebook }) {
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
    signals.clear();
    editors.clear();
    const runtime = startRuntime(nb, opts.trusted);
    const [saved, collapsed] = await Promise.all([getParams(ref), getCollapsed(ref)]);
    for (const [k, v] of Object.entries(saved ?? {})) runtime.paramValues.set(k, v);
    keeper = new OutputKeeper(runtime, `${ref.kind}:${ref.id}`);
    rt = runtime;
    for (const [id, s] of runtime.states) stateSignal(id)[1]({ ...s });
    store.replace(editorState(nb, { readOnly: opts.readOnly, trusted: opts.trusted, collapsed }));
    setMeta({ ref, record: opts.record });
    setInstance((i) => i + 1);
    setMessage(null);
    void keeper.show();
    await whenDataReady();
    if (rt !== runtime) return; // another notebook was opened meanwhile
    // Direction templates (front matter `indicators: true`) read the indicator table: computed on first use and when the data change.
    if (nb.frontMatter.indicators === true) {
      setNote('Расчёт показателей по загруженным данным…');
      try {
        if (await ensureIndicators(db, { ids: idsOfDirection(nb.frontMatter.direction) })) tableProvided();
        setNote(null);
      } catch (e) {
        setNote(null);
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
    const { data, readOnly: ro, trusted } = store.state;
    if (!m || ro || !m.record) return;
    const rec: UserNotebook = { ...m.record, title: data.frontMatter.title ?? m.record.title, text: serializeNotebook(data), updated: Date.now(), trusted };
    m.record = rec;
    saving = saving
      .then(() => saveUserNotebook(rec))
      .catch((e) => {
        setMessage(`Не удалось сохранить блокнот: ${(e as Error).message}`);
      });
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

  // ---- actions ----------------------------------------------------------------------------

  const runCell = (id: string) => {
    store.do('editMarkdown', id, false);
    void rt?.run([id]);
  };
  const setParam = (name: string, v: ParamValue) => {
    if (!rt) return;
    keeper?.dropAll();
    void rt.setParam(name, v);
    const m = meta();
    if (m) void saveParams(m.ref, Object.fromEntries(rt.paramValues));
  };
  const trust = () => {
    if (!rt) return;
    store.do('trust');
    save();
    void rt.trust();
  };
  const undoDelete = () => {
    const last = store.state.deleted.at(-1);
    store.do('undoDelete');
    if (last && !readOnly()) void rt?.run([last.cell.id]);
  };
  const editMd = (id: string) => store.do('editMarkdown', id, true);
  // Collapsed cells are remembered per notebook, like its parameter values.
  const collapse = (apply: () => unknown) => {
    const before = store.state.collapsed;
    apply();
    const m = meta();
    if (m && store.state.collapsed !== before) void saveCollapsed(m.ref, store.state.collapsed);
  };
  onCleanup(onCollapseAll((on) => collapse(() => store.do('collapseAll', on))));
  const [building, setBuilding] = createSignal<{ id: string; table: TableResult } | null>(null);
  const addChart = (sourceId: string, spec: string) => {
    const next = store.do('addChartCell', sourceId, spec);
    if (next.selected && next.selected !== sourceId) void rt?.run([next.selected]);
  };

  const makeCopy = () => {
    const m = meta();
    const { text, title } = copyOfNotebook(store.state.data);
    void createUser(text, { trusted: store.state.trusted, from: m?.ref.kind === 'template' ? m.ref.id : undefined, title });
  };

  const openFile = async (file: File) => {
    const read = await readNotebookFile(file);
    // A notebook from a file (or a bundle) is hostile until trusted: none of its cells runs before.
    if ('error' in read) setMessage(read.error);
    else await createUser(read.text, { trusted: false, title: read.title });
  };

  const removeNotebook = async () => {
    const m = meta();
    if (!m || m.ref.kind !== 'user') return;
    if (!confirm(`Удалить блокнот «${front().title ?? ''}» из этого браузера?`)) return;
    await Promise.all([deleteUserNotebook(m.ref.id), deleteCollapsed(m.ref)]);
    await refreshList();
    const first = userList()[0];
    if (first) await openRef({ kind: 'user', id: first.id });
    else await createUser(STARTER, { trusted: true });
  };

  const onKeyDown = commandKeys(store, {
    run: runCell,
    edit: (id) => {
      if (cellById(id)?.kind === 'md') editMd(id);
      queueMicrotask(() => editors.get(id)?.focus());
    },
    undo: undoDelete,
  });

  installTestHook({
    runtime: () => rt,
    store,
    busy: () => busy() || opening.count() > 0,
    openText: (text, opts) => createUser(text, { trusted: opts.trusted ?? true }),
    openTemplate: (id) => openRef({ kind: 'template', id }),
  });

  // ---- view -------------------------------------------------------------------------------

  const paramState = (name: string) => {
    const r = stateOf(paramUnitId(name))?.result;
    return r?.kind === 'param' ? r : undefined;
  };

  return (
    <section class="nb" data-testid="notebook" data-ready={meta() ? 'true' : 'false'} data-busy={busy() ? 'true' : 'false'} data-kept={instance() && keeper?.checked[0]() ? 'checked' : 'pending'}>
      <LibraryBar
        current={meta()?.ref}
        userList={userList()}
        title={front().title ?? 'Блокнот'}
        busy={busy()}
        markdown={() => serializeNotebook(store.state.data)}
        onPick={(ref) => void openRef(ref)}
        onNew={() => void createUser(STARTER, { trusted: true })}
        onCopy={makeCopy}
        onFile={(f) => void openFile(f)}
        onDownload={() => downloadNotebook(store.state.data)}
        onReport={() => setReportOpen(true)}
        onDelete={() => void removeNotebook()}
        onRunAll={() => void rt?.runAll()}
        onCancel={() => void rt?.cancel()}
      />

      <Show when={building()}>
        {(b) => <ChartBuilder table={b().table} sourceName={cellById(b().id)?.name ?? 'результат'} onAdd={(spec) => addChart(b().id, spec)} onClose={() => setBuilding(null)} />}
      </Show>
      <Show when={reportOpen() && rt}>{(r) => <ReportDialog runtime={r()} onClose={() => setReportOpen(false)} />}</Show>

      <Show when={note()}>
        <p class="muted" role="status" data-testid="nb-note">{note()}</p>
      </Show>
      <Show when={message()}>
        <p class="error" role="alert" data-testid="nb-message">{message()}</p>
      </Show>

      <NotebookHeader
        front={front()}
        readOnly={readOnly()}
        askTrust={!!meta() && !ed().trusted}
        hasTs={hasTs()}
        param={paramState}
        onTitle={(t) => store.do('setTitle', t)}
        onCopy={makeCopy}
        onTrust={trust}
        onParam={setParam}
      />

      <div class="nb-cells" ref={root} tabIndex={0} onKeyDown={onKeyDown} data-testid="nb-cells">
        <Show when={instance()} keyed>
          {(_instance) => (
            <For each={ids()}>
              {(id) => (
                <Show when={cellById(id)}>
                  {(c) => (
                    <CellView
                      id={id}
                      cell={c()}
                      state={stateOf(id)}
                      selected={ed().selected === id}
                      editingMd={ed().editingMd.has(id)}
                      readOnly={readOnly()}
                      collapsed={ed().collapsed.has(id)}
                      paramDef={rt?.units.get(id)?.def}
                      kept={keeper?.kept(id)}
                      onSelect={() => store.do('select', id)}
                      onRun={() => runCell(id)}
                      onSource={(v) => store.do('editSource', id, v)}
                      onPatch={(patch) => store.do('updateCell', id, patch)}
                      onEditMd={() => editMd(id)}
                      onMove={(d) => store.do('moveCell', id, d)}
                      onDelete={() => store.do('deleteCell', id)}
                      onParam={setParam}
                      onToggleCollapsed={() => collapse(() => store.do('toggleCollapsed', id))}
                      onChart={readOnly() ? undefined : (table) => setBuilding({ id, table })}
                      emptyText={() => emptyStateText(rt, id)}
                      onEscape={() => {
                        store.do('select', id);
                        root.focus();
                      }}
                      editorRef={(api) => editors.set(id, api)}
                    />
                  )}
                </Show>
              )}
            </For>
          )}
        </Show>
        <Show when={!readOnly()}>
          <div class="nb-add" data-testid="nb-add">
            Добавить ячейку:
            <For each={CELL_KINDS.map((k) => k.kind) as CellKind[]}>
              {(k) => (
                <button onClick={() => store.do('addCell', k, cells().length)} data-testid={`add-${k}`}>
                  + {CELL_KINDS.find((d) => d.kind === k)!.label}
                </button>
              )}
            </For>
            <Show when={ed().deleted.length}>
              <button onClick={undoDelete} data-testid="undo-delete">Вернуть удалённую ячейку (Z)</button>
            </Show>
          </div>
        </Show>
      </div>
    </section>
  );
}
