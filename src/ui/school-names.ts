/**
 * Keeps the presentation layer's school directory in step with the loaded data: whenever the
 * table list changes (an import, a demo load, a clear), `schools.name` is read again through the
 * connector, once, however many grids and charts are on screen.
 */
import { createEffect, createMemo, createRoot, on } from 'solid-js';
import { db } from '../db/browser-connector';
import { tables } from '../app/state';
import { loadSchoolNames, setSchoolNames } from '../format';

let started = false;

export function watchSchoolNames(): void {
  if (started) return;
  started = true;
  createRoot(() => {
    let generation = 0;
    // A key of the schools table as loaded: the names are read again only when it changes.
    const key = createMemo(() => {
      const t = tables().find((x) => x.name === 'schools');
      return t ? `${t.rowCount}:${t.columns.map((c) => c.name).join(',')}` : null;
    });
    createEffect(
      on(
        key,
        (info) => {
          const gen = ++generation;
          if (!info) return setSchoolNames(new Map());
          loadSchoolNames(db)
            .then((names) => gen === generation && setSchoolNames(names))
            .catch(() => undefined);
        },
      ),
    );
  });
}
