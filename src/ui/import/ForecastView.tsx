/**
 * What confirming would do to one sheet, before anything is written: «будет загружено N из M
 * участников; исключено K: причины», absent participants, schools to be added, and every rule
 * that excludes more than 5 % of the rows in red with its likely cause and the fix to choose.
 */
import { For, Match, Show, Switch } from 'solid-js';
import type { ImportForecast } from '../../ingest/forecast';
import type { ForecastState } from './mappingStep';

const plural = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  return m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
};
const int = (n: number) => n.toLocaleString('ru-RU');
const pct = (x: number) => `${(x * 100).toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %`;

/** The headline sentence, also used by tests and the screenshot. */
export function forecastLine(f: ImportForecast): string {
  const results = f.target === 'assessment_results';
  const what = results ? plural(f.rows, 'участника', 'участников', 'участников') : plural(f.rows, 'строки', 'строк', 'строк');
  const reasons = f.rules.filter((r) => r.excludes && r.rows > 0).map((r) => `${r.title.toLowerCase()} — ${int(r.rows)}`);
  let line = `Будет загружено ${int(f.willLoad)} из ${int(f.rows)} ${what}`;
  line += f.excluded ? `; исключено ${int(f.excluded)}: ${reasons.join('; ')}` : '; исключённых нет';
  return line;
}

export function ForecastView(props: { state: ForecastState | undefined }) {
  return (
    <div class="mapping-forecast" data-testid="mapping-forecast">
      <Switch>
        <Match when={!props.state || props.state.status === 'pending'}>
          <p class="muted">Считаем, что будет загружено…</p>
        </Match>
        <Match when={props.state?.status === 'error' && props.state}>
          {(s) => (
            <p class="error" data-testid="forecast-error">
              Не удалось оценить загрузку: {(s() as { message: string }).message}
            </p>
          )}
        </Match>
        <Match when={props.state?.status === 'done' && (props.state as { forecast: ImportForecast }).forecast.layout === 'unknown'}>
          <p class="muted" data-testid="forecast-skipped">
            Лист не распознан и не будет загружен (выберите таблицу, если он нужен).
          </p>
        </Match>
        <Match when={props.state?.status === 'done' && (props.state as { forecast: ImportForecast }).forecast}>
          {(f) => <ForecastBody f={f()} />}
        </Match>
      </Switch>
    </div>
  );
}

function ForecastBody(props: { f: ImportForecast }) {
  const f = () => props.f;
  const notes = () => f().rules.filter((r) => !r.excludes && r.code !== 'absent' && r.code !== 'school_added');
  return (
    <>
      <p
        class="forecast-line"
        classList={{ bad: f().rules.some((r) => r.warning) }}
        data-testid="forecast-line"
        data-will-load={f().willLoad}
        data-rows={f().rows}
        data-excluded={f().excluded}
        data-absent={f().absent}
        data-schools-added={f().schoolsToAdd.length}
      >
        {forecastLine(f())}
      </p>
      <Show when={f().absent}>
        <p data-testid="forecast-absent">
          Отсутствовали: {int(f().absent)} (в результаты не входят, учтены отдельно).
        </p>
      </Show>
      <Show when={f().schoolsToAdd.length}>
        <p data-testid="forecast-schools">
          Будет добавлено {int(f().schoolsToAdd.length)} ОО, которых нет в справочнике: {f().schoolsToAdd.slice(0, 5).map((s) => s.name ?? s.school_id).join('; ')}
          {f().schoolsToAdd.length > 5 ? ' и др.' : ''}
        </p>
      </Show>
      <For each={f().rules.filter((r) => r.warning)}>
        {(r) => (
          <div class="forecast-warning" role="alert" data-testid="forecast-warning" data-code={r.code}>
            <strong>
              {r.title}: {int(r.rows)} {plural(r.rows, 'строка', 'строки', 'строк')} ({pct(r.share)} файла) будут исключены.
            </strong>
            <div>Вероятная причина: {r.warning!.cause}.</div>
            <div>Что сделать: {r.warning!.fix}.</div>
          </div>
        )}
      </For>
      <Show when={notes().length}>
        <ul class="forecast-notes">
          <For each={notes()}>
            {(r) => (
              <li data-code={r.code}>
                {r.title}: {int(r.count)}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}
