/**
 * «Сопоставление с каноническими таблицами»: for each loaded sheet the proposed target table,
 * the column map (a select per column), the constants the file does not say in its columns
 * (year, procedure, subject, grade) and the confidence. «Подтвердить» applies all of them and
 * shows the validation report, downloadable as CSV.
 */
import { For, Index, Show, createEffect, createResource, createSignal, onCleanup, onMount, untrack } from 'solid-js';
import type { Connector } from '../../db/connector';
import { CANONICAL_TABLE_NAMES, CONTRACT, PROCEDURES, type CanonicalTableName } from '../../model/contract';
import { LAYOUT_TITLES, ROLE_EXTRA, ROLE_IGNORE, ROLE_PERSONAL, ROLE_TASK, type Constants, type Mapping } from '../../ingest/mapping';
import { parseTaskTitle } from '../../ingest/synonyms';
import type { RawSource } from '../../ingest/read/types';
import { requestCanonicalChange } from '../../app/dataset';
import { ForecastView } from './ForecastView';
import {
  applyError,
  forecastPending,
  forecasts,
  applying,
  applyProgress,
  confirmPending,
  proposeFor,
  dismissPending,
  outcome,
  pending,
  savedSalt,
  setOutcome,
  updatePlan,
} from './mappingStep';
import './mapping.css';

const ROLE_TITLES: Record<string, string> = {
  [ROLE_TASK]: 'Балл за задание',
  part1: 'Ответы части 1 (строка «++-+»)',
  part2: 'Баллы части 2 (строка «2(2)0(3)»)',
  [ROLE_PERSONAL]: 'Персональные данные — не сохранять',
  [ROLE_EXTRA]: 'Дополнительный столбец (сохранить как есть)',
  [ROLE_IGNORE]: 'Не загружать',
  gender: 'Пол',
  school_name: 'Название ОО',
  municipality: 'Муниципалитет',
  textbook: 'Учебник',
  subject_code: 'Код предмета',
  seq: 'Порядковый номер задания',
};

function fieldOptions(m: Mapping): Array<[string, string]> {
  const contract: Array<[string, string]> = CONTRACT[m.target].columns.map((c) => [c.name, `${c.title} (${c.name})`]);
  const roles = Object.entries(ROLE_TITLES).filter(([k]) => (k === ROLE_TASK || k === 'part1' || k === 'part2' ? m.target === 'assessment_results' : true));
  const current = m.columns.map((c) => c.field).filter((f) => !contract.some(([k]) => k === f) && !(f in ROLE_TITLES));
  return [...contract, ...roles, ...[...new Set(current)].map((f): [string, string] => [f, f.startsWith('monitoring:') ? `Показатель ${f.slice(11)}` : f])];
}

export function MappingDialog(props: {
  conn: Connector;
  /** Registers the mapping step on the app's import (src/app/importer.ts onFileImported). */
  onFileImported?: (hook: (sources: RawSource[]) => Promise<void>) => () => void;
  persist?: (tables: string[]) => Promise<void>;
  onApplied?: () => void;
}) {
  onMount(() => {
    const off = props.onFileImported?.((sources) => proposeFor(sources));
    if (off) onCleanup(off);
  });
  const [salt, setSalt] = createSignal<string | null>(null);
  const [replace, setReplace] = createSignal<boolean | null>(null);
  // The municipality's key is made (and shown) only once a file is being mapped, not for the demo.
  const [defaults] = createResource(() => pending().length > 0 || undefined, async () => ({ salt: await savedSalt() }));
  const saltValue = () => salt() ?? defaults()?.salt ?? '';
  // Never ticked by default: replacing is a choice, and src/app/dataset.ts still asks before clearing anything.
  const replaceValue = () => replace() ?? false;
  // Every plan gets its forecast (one at a time, off the import's path); a corrected mapping gets a new one.
  createEffect(() => {
    if (pending().length && !applying()) untrack(() => forecastPending(props.conn, saltValue() || 'forecast'));
  });

  const confirm = async () => {
    try {
      await confirmPending(props.conn, { salt: saltValue(), replace: replaceValue(), persist: props.persist, consent: requestCanonicalChange });
      props.onApplied?.();
    } catch {
      // applyError() shows the message.
    }
  };

  const download = () => {
    const csv = outcome()?.issuesCsv ?? '';
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'проверка_импорта.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <>
      <Show when={pending().length}>
        <div class="mapping-overlay">
          <section class="mapping-dialog" role="dialog" aria-label="Сопоставление с каноническими таблицами" data-testid="mapping-dialog">
            <h2>Сопоставление с каноническими таблицами</h2>
            <p class="muted">
              Проверьте, во что превратится каждый лист: таблицу, столбцы и то, чего нет в столбцах (год, процедура, предмет, класс).
              Подтверждённое сопоставление запоминается и применяется к следующим файлам того же вида.
            </p>
            {/* By position: a corrected mapping is a new plan object, and its card (an open column table) must stay. */}
            <Index each={pending()}>{(plan, i) => <PlanCard plan={plan()} index={i} />}</Index>
            <div class="mapping-options">
              <label>
                <input type="checkbox" checked={replaceValue()} onChange={(e) => setReplace(e.currentTarget.checked)} data-testid="mapping-replace" />
                Заменить данные в таблицах, в которые пишут эти файлы (перед заменой будет показано, что именно удаляется)
              </label>
              <label>
                Соль для кодов участников без кода в файле:
                <input type="text" value={saltValue()} onInput={(e) => setSalt(e.currentTarget.value)} data-testid="mapping-salt" />
              </label>
            </div>
            <Show when={applyError()}>
              <p class="error" role="alert" data-testid="mapping-error">
                {applyError()}
              </p>
            </Show>
            <Show when={applying() && applyProgress()}>
              {(p) => (
                <p class="mapping-progress" data-testid="mapping-progress">
                  <progress max="1" value={p().fraction} /> {p().stage}. Отменить загрузку можно кнопкой «Отменить» вверху.
                </p>
              )}
            </Show>
            <div class="mapping-actions">
              <button class="primary" disabled={applying()} onClick={() => void confirm()} data-testid="mapping-confirm">
                {applying() ? 'Загрузка…' : 'Подтвердить'}
              </button>
              <button disabled={applying()} onClick={() => void dismissPending(props.conn, props.persist)} data-testid="mapping-cancel">
                Отмена
              </button>
            </div>
          </section>
        </div>
      </Show>
      <Show when={outcome()}>
        {(o) => (
          <section class="import-report" data-testid="import-report" aria-label="Проверка импорта">
            <h3>Проверка импорта</h3>
            <pre data-testid="import-summary">{o().summary}</pre>
            <button onClick={download} data-testid="download-issues">
              Скачать отчёт о проверке (CSV)
            </button>
            <button class="link" onClick={() => setOutcome(null)}>
              Закрыть
            </button>
          </section>
        )}
      </Show>
    </>
  );
}

function PlanCard(props: { plan: ReturnType<typeof pending>[number]; index: number }) {
  const m = () => props.plan.mapping;
  const setConst = (k: keyof Constants, v: string) =>
    updatePlan(props.index, (mm) => {
      const val = v.trim() === '' ? null : k === 'year' || k === 'grade' ? Number(v) : v.trim();
      (mm.constants as Record<string, unknown>)[k] = val;
    });
  const setTarget = (t: string) =>
    updatePlan(props.index, (mm) => {
      if (t === '') {
        mm.layout = 'unknown';
        return;
      }
      if (mm.layout === 'unknown') mm.layout = 'canonical';
      mm.target = t as CanonicalTableName;
    });
  const setField = (col: number, field: string) =>
    updatePlan(props.index, (mm) => {
      const c = mm.columns[col]!;
      c.field = field;
      if (field === ROLE_TASK) {
        const t = parseTaskTitle(c.header);
        c.task = t?.task ?? c.header.trim();
        c.max = t?.max ?? null;
      }
    });
  const pct = () => Math.round(m().confidence * 100);
  const samplesOf = (column: string): string[] => {
    const st = forecasts().get(props.plan);
    return st?.status === 'done' ? (st.forecast.samples.find((x) => x.column === column)?.values ?? []) : [];
  };
  // The column table is built only when opened: a batch of a hundred sheets stays light.
  const [open, setOpen] = createSignal(false);
  return (
    <article class="mapping-plan" data-testid="mapping-plan" data-file={props.plan.raw.file} data-sheet={props.plan.raw.sheet ?? ''} data-layout={m().layout}>
      <header>
        <strong>{props.plan.raw.file}</strong>
        <Show when={props.plan.raw.sheet}> — лист «{props.plan.raw.sheet}»</Show>
        <span class="muted"> · {LAYOUT_TITLES[m().layout]}</span>
        <span class="confidence" classList={{ low: pct() < 70 }} data-testid="mapping-confidence">
          уверенность {pct()}%
        </span>
        <Show when={props.plan.reused}>
          <span class="badge" data-testid="mapping-reused">
            сохранённое сопоставление
          </span>
        </Show>
      </header>
      <div class="mapping-row">
        <label>
          Таблица:
          <select value={m().layout === 'unknown' ? '' : m().target} onChange={(e) => setTarget(e.currentTarget.value)} data-testid="mapping-target">
            <option value="">— не загружать —</option>
            <For each={[...CANONICAL_TABLE_NAMES]}>{(t) => <option value={t}>{`${CONTRACT[t].title} (${t})`}</option>}</For>
          </select>
        </label>
        <label>
          Год:
          <input type="number" value={m().constants.year ?? ''} onChange={(e) => setConst('year', e.currentTarget.value)} data-testid="mapping-year" />
        </label>
        <label>
          Процедура:
          <select value={m().constants.procedure ?? ''} onChange={(e) => setConst('procedure', e.currentTarget.value)} data-testid="mapping-procedure">
            <option value="">—</option>
            <For each={[...PROCEDURES]}>{(p) => <option value={p}>{p}</option>}</For>
          </select>
        </label>
        <label>
          Предмет:
          <input type="text" value={m().constants.subject ?? ''} onChange={(e) => setConst('subject', e.currentTarget.value)} data-testid="mapping-subject" />
        </label>
        <label>
          Класс:
          <input type="number" min="1" max="11" value={m().constants.grade ?? ''} onChange={(e) => setConst('grade', e.currentTarget.value)} data-testid="mapping-grade" />
        </label>
      </div>
      <ForecastView state={forecasts().get(props.plan)} />
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Столбцы ({m().columns.length})</summary>
        <Show when={open()}>
        <table class="mapping-columns">
          <thead>
            <tr>
              <th>Столбец файла</th>
              <th>Куда</th>
              <th>Примеры значений</th>
            </tr>
          </thead>
          <tbody>
            <For each={m().columns}>
              {(c, j) => (
                <tr>
                  <td>{c.header}</td>
                  <td>
                    <select value={c.field} onChange={(e) => setField(j(), e.currentTarget.value)} data-testid="mapping-field" data-header={c.header}>
                      <For each={fieldOptions(m())}>{([v, label]) => <option value={v}>{label}</option>}</For>
                    </select>
                    <Show when={c.field === ROLE_TASK}>
                      <span class="muted">
                        {' '}
                        № {c.task}
                        {c.max != null ? `, макс. ${c.max}` : ''}
                      </span>
                    </Show>
                  </td>
                  <td class="samples" data-testid="mapping-samples" data-header={c.header}>
                    {samplesOf(c.column).join(' · ')}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        </Show>
      </details>
    </article>
  );
}
