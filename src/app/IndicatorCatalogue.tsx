/** The indicator catalogue for users: every id with its Russian title and the data it reads, by direction. */
import { For } from 'solid-js';
import { CONTRACT, isCanonicalTable } from '../model/contract';
import { INDICATORS } from '../indicators/registry';
import { DIRECTIONS, type Direction } from '../indicators/types';
import { HelpTable } from './HelpTable';

export const DIRECTION_TITLES: Record<Direction, string> = {
  PREP: 'Качество подготовки обучающихся',
  GIA: 'Статистический анализ результатов ГИА и оценочных процедур',
  LOW: 'Школы с низкими результатами',
  OBJ: 'Объективность оценивания',
  TAL: 'Выявление и поддержка способных и талантливых',
  CAR: 'Профориентация',
  MGR: 'Эффективность руководителей',
  PED: 'Педагогические кадры',
  UPB: 'Воспитание',
  PRE: 'Дошкольное образование',
};

const reads = (r: Record<string, string[] | undefined>) =>
  Object.keys(r)
    .map((t) => (isCanonicalTable(t) ? CONTRACT[t].title : t))
    .join(', ');

export function IndicatorCatalogue() {
  return (
    <For each={DIRECTIONS}>
      {(d) => (
        <HelpTable
          testId={`catalogue-${d}`}
          summary={
            <>
              <b>{DIRECTION_TITLES[d]}</b> ({d})
            </>
          }
          headings={['Код', 'Показатель', 'Данные']}
          rows={INDICATORS.filter((i) => i.direction === d)}
          cells={(i) => [i.id, i.title, reads(i.reads)]}
        />
      )}
    </For>
  );
}
