/**
 * Help inside the product (nothing links outside it): how to work, the canonical tables the
 * templates read (from the contract itself, so it cannot drift) and the indicator catalogue.
 */
import { For, Show } from 'solid-js';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../model/contract';
import { HELP_SECTIONS } from './help-text';
import { HelpTable } from './HelpTable';
import { IndicatorCatalogue } from './IndicatorCatalogue';

const TYPE_TITLES: Record<string, string> = { INTEGER: 'целое', DOUBLE: 'число', VARCHAR: 'текст', BOOLEAN: 'да/нет', DATE: 'дата' };

export function Help() {
  return (
    <div class="help" data-testid="help">
      <h2>Справка</h2>
      <nav class="help-toc">
        <For each={HELP_SECTIONS}>{(s) => <a href={`#/help/${s.id}`} onClick={(e) => (e.preventDefault(), document.getElementById(`help-${s.id}`)?.scrollIntoView())}>{s.title}</a>}</For>
        <a href="#/help/tables" onClick={(e) => (e.preventDefault(), document.getElementById('help-tables')?.scrollIntoView())}>Таблицы данных</a>
        <a href="#/help/indicators" onClick={(e) => (e.preventDefault(), document.getElementById('help-indicators')?.scrollIntoView())}>Каталог показателей</a>
      </nav>
      <For each={HELP_SECTIONS}>
        {(s) => (
          <section id={`help-${s.id}`}>
            <h3>{s.title}</h3>
            <For each={s.paragraphs}>{(p) => <p>{p}</p>}</For>
          </section>
        )}
      </For>
      <section id="help-tables" data-testid="help-tables">
        <h3>Таблицы данных</h3>
        <p>
          Шаблоны и показатели читают одиннадцать таблиц. Загруженные файлы сопоставляются с ними при импорте; столбца, которого нет в
          файле, в таблице нет — показатели, которым он нужен, сообщают об этом.
        </p>
        <For each={CANONICAL_TABLE_NAMES}>
          {(name) => {
            const t = CONTRACT[name];
            return (
              <HelpTable
                summary={
                  <>
                    <b>{t.title}</b> <code>{name}</code>
                  </>
                }
                headings={['Столбец', 'Смысл', 'Тип', 'Допустимые значения']}
                rows={t.columns}
                cells={(c) => [
                  <>
                    <code>{c.name}</code>
                    <Show when={t.key.includes(c.name)}> (ключ)</Show>
                  </>,
                  c.title,
                  TYPE_TITLES[c.type] ?? c.type,
                  c.domain?.join(', ') ?? '',
                ]}
              />
            );
          }}
        </For>
      </section>
      <section id="help-indicators" data-testid="help-indicators">
        <h3>Каталог показателей</h3>
        <IndicatorCatalogue />
      </section>
    </div>
  );
}
