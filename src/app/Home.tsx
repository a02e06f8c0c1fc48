/**
 * The home page: what the loaded data are, the templates as cards (what each answers, which
 * data it needs and whether the loaded data cover it) and the user's own notebooks.
 */
import { For, Show, createResource } from 'solid-js';
import { CONTRACT } from '../model/contract';
import { parseNotebook } from '../notebook/format';
import { listUserNotebooks, templates, type OpenRef } from '../notebook/ui/library';
import { coverage, tablesOfDirection } from './coverage';
import { dataSummary, datasetRevision } from './dataset';
import { summaryLine, yearLine } from './dataset-core';
import { tables } from './state';
import './home.css';

const cards = templates
  .filter((t) => !t.id.startsWith('examples/'))
  .map((t) => {
    let direction: string | undefined;
    try {
      const d = parseNotebook(t.text).frontMatter.direction;
      direction = typeof d === 'string' ? d : undefined;
    } catch {
      /* a broken template still gets its card */
    }
    return { ...t, needed: tablesOfDirection(direction ?? (t.id === 'annual-report' ? 'GIA' : undefined)) };
  });


export function Home(props: { open: (ref: OpenRef) => void; onNew: () => void }) {
  // Recomputed when the tables or the data set change (an import, a switch back to the demo).
  const [status] = createResource(() => [tables(), datasetRevision()] as const, () => dataSummary());
  const [mine] = createResource(listUserNotebooks);

  return (
    <div class="home" data-testid="home">
      <section class="home-data" data-testid="home-data">
        <h2>Данные</h2>
        <Show when={status()}>
          {(s) => (
            <>
              <p data-testid="home-data-status">
                <b>{summaryLine(s())}</b>
              </p>
              <Show when={s().perYear.length} fallback={<p class="muted">Загрузите файлы кнопкой «Загрузить файлы» или перетащите их в окно.</p>}>
                <ul class="home-years" data-testid="home-data-years">
                  <For each={s().perYear}>{(y) => <li>{yearLine(y)}</li>}</For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </section>

      <section>
        <h2>Шаблоны отчётов</h2>
        <div class="home-cards">
          <For each={cards}>
            {(t) => {
              const cov = () => coverage(t.needed, tables());
              return (
                <article class="home-card" data-testid={`home-card-${t.id}`}>
                  <h3>{t.title}</h3>
                  <Show when={t.description}>
                    <p class="home-card-text">{t.description}</p>
                  </Show>
                  <Show when={t.needed.length}>
                    <p class="home-card-needs">Нужны данные: {t.needed.map((n) => CONTRACT[n].title).join(', ')}</p>
                  </Show>
                  <p class={cov().missing.length ? 'home-card-cover partial' : 'home-card-cover'} data-testid="home-card-coverage">
                    {cov().missing.length
                      ? `Нет данных: ${cov().missing.map((n) => CONTRACT[n].title).join(', ')} — часть показателей не будет рассчитана`
                      : 'Загруженные данные покрывают шаблон'}
                  </p>
                  <button class="primary" onClick={() => props.open({ kind: 'template', id: t.id })} data-testid="home-open">
                    Открыть
                  </button>
                </article>
              );
            }}
          </For>
        </div>
      </section>

      <section>
        <h2>Мои блокноты</h2>
        <Show when={mine()?.length} fallback={<p class="muted">Своих блокнотов пока нет.</p>}>
          <ul class="home-notebooks" data-testid="home-notebooks">
            <For each={mine()}>
              {(n) => (
                <li>
                  <button class="link" onClick={() => props.open({ kind: 'user', id: n.id })}>
                    {n.title}
                  </button>{' '}
                  <span class="muted">изменён {new Date(n.updated).toLocaleString('ru-RU')}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button onClick={props.onNew} data-testid="home-new">Новый блокнот</button>
      </section>
    </div>
  );
}
