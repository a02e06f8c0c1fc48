import { Show, createSignal, type Accessor, type JSX } from 'solid-js';
import { errorText } from './download';

export interface ExportStatusValue {
  text: string;
  error?: boolean;
}

/** Thrown by an export the user stopped with «Отменить»: the status says «отменено», not an error. */
export class ExportCancelled extends Error {
  constructor() {
    super('отменено');
  }
}

/**
 * The status line every export control shows: `run(what, fn)` says what is being made, then
 * «готово» (or the text `fn` returns) or the Russian error.
 */
export function createExportStatus(pending = '…') {
  const [status, setStatus] = createSignal<ExportStatusValue | null>(null);
  const run = async (what: string, fn: () => Promise<string | void>): Promise<void> => {
    setStatus({ text: `${what}${pending}` });
    try {
      setStatus({ text: (await fn()) ?? `${what}: готово` });
    } catch (e) {
      setStatus(e instanceof ExportCancelled ? { text: `${what}: ${e.message}` } : { text: `${what}: ${errorText(e)}`, error: true });
    }
  };
  return { status, setStatus, run };
}

export function ExportStatus(props: { status: Accessor<ExportStatusValue | null>; testid: string }): JSX.Element {
  return (
    <Show when={props.status()}>
      {(s) => (
        <span class={`export-status${s().error ? ' error' : ''}`} data-testid={props.testid}>
          {s().text}
        </span>
      )}
    </Show>
  );
}
