/** A collapsible table of the in-app help (data tables, the indicator catalogue): a title line, headings, one row per item. */
import { For, type JSX } from 'solid-js';

export interface HelpTableProps<T> {
  summary: JSX.Element;
  headings: readonly string[];
  rows: readonly T[];
  /** The cells of one item's row, in the order of `headings`. */
  cells: (row: T) => JSX.Element[];
  testId?: string;
}

export function HelpTable<T>(props: HelpTableProps<T>): JSX.Element {
  return (
    <details class="help-table" data-testid={props.testId}>
      <summary>{props.summary}</summary>
      <table>
        <thead>
          <tr>
            <For each={props.headings}>{(h) => <th>{h}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(r) => (
              <tr>
                <For each={props.cells(r)}>{(c) => <td>{c}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </details>
  );
}
