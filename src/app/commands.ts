/**
 * The app's commands as a registry of records: the command palette (Ctrl+K) lists them and the
 * keyboard-shortcut help (H) shows their keys together with the notebook's own keys.
 */
import { collapseAllCells } from '../notebook/ui/collapse';
import { templates, type OpenRef } from '../notebook/ui/library';
import { codeMode, setCodeMode } from './ReportView';
import { go } from './route';

export interface Command {
  id: string;
  title: string;
  /** Key shown in the help; the app handles the global ones in App.tsx. */
  keys?: string;
  run: () => void;
}

export interface CommandContext {
  open: (ref: OpenRef) => void;
  importFiles: () => void;
  showShortcuts: () => void;
}

export function appCommands(ctx: CommandContext): Command[] {
  return [
    { id: 'home', title: 'Главная страница', keys: 'G, затем H', run: () => go('home') },
    { id: 'notebook', title: 'Открытый блокнот', keys: 'G, затем N', run: () => go('notebook') },
    { id: 'help', title: 'Справка: таблицы данных и каталог показателей', keys: 'F1', run: () => go('help') },
    { id: 'import', title: 'Загрузить файлы…', run: ctx.importFiles },
    {
      id: 'code',
      title: 'Показать или скрыть код ячеек',
      keys: 'C',
      run: () => setCodeMode(codeMode() === 'shown' ? 'hidden' : 'shown'),
    },
    { id: 'collapse-all', title: 'Свернуть все ячейки блокнота', run: () => (go('notebook'), collapseAllCells(true)) },
    { id: 'expand-all', title: 'Развернуть все ячейки блокнота', run: () => (go('notebook'), collapseAllCells(false)) },
    { id: 'shortcuts', title: 'Горячие клавиши', keys: 'H', run: ctx.showShortcuts },
    ...templates
      .filter((t) => !t.id.startsWith('examples/'))
      .map((t) => ({ id: `open:${t.id}`, title: `Открыть шаблон: ${t.title}`, run: () => ctx.open({ kind: 'template', id: t.id }) })),
  ];
}

/** The notebook's own keys (command mode, src/notebook/ui), for the help. */
export const NOTEBOOK_KEYS: Array<[string, string]> = [
  ['Shift+Enter', 'выполнить ячейку и перейти к следующей'],
  ['Enter', 'править выбранную ячейку'],
  ['Esc', 'выйти из редактора в режим команд'],
  ['A / B', 'новая ячейка SQL выше / ниже'],
  ['D, D', 'удалить ячейку'],
  ['Z', 'вернуть удалённую ячейку'],
  ['↑ / ↓ (K / J)', 'предыдущая / следующая ячейка'],
  ['Ctrl+K', 'палитра команд'],
];
