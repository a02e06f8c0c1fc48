/** The notebook's head: title (editable in own notebooks), description, template note, trust prompt, parameter bar. */
import { For, Show } from 'solid-js';
import type { FrontMatter, ParamDef, ParamValue } from '../model';
import { ParamInput } from './ParamInput';
import { TrustDialog } from './TrustDialog';

export interface NotebookHeaderProps {
  front: FrontMatter;
  readOnly: boolean;
  /** Show the trust prompt (an opened file not trusted yet). */
  askTrust: boolean;
  hasTs: boolean;
  param: (name: string) => { value: ParamValue; options?: (string | number)[] } | undefined;
  onTitle(title: string): void;
  onCopy(): void;
  onTrust(): void;
  onParam(name: string, v: ParamValue): void;
}

export function NotebookHeader(props: NotebookHeaderProps) {
  const params = () => (props.front.parameters ?? []) as ParamDef[];
  return (
    <header class="nb-head">
      <Show when={!props.readOnly} fallback={<h2 data-testid="nb-title">{props.front.title ?? 'Без названия'}</h2>}>
        <input class="nb-title-input" data-testid="nb-title" value={props.front.title ?? ''} onChange={(e) => props.onTitle(e.currentTarget.value)} />
      </Show>
      <Show when={props.front.description}>
        <p class="muted">{props.front.description}</p>
      </Show>
      <Show when={props.readOnly}>
        <p class="nb-readonly" data-testid="nb-readonly">
          Это шаблон: его можно выполнять и менять параметры, но не редактировать. Чтобы изменить — <button class="link" onClick={() => props.onCopy()}>сделайте копию</button>.
        </p>
      </Show>
      <Show when={props.askTrust}>
        <TrustDialog hasTs={props.hasTs} onTrust={() => props.onTrust()} />
      </Show>
      <Show when={params().length}>
        <div class="nb-params" data-testid="nb-params">
          <For each={params()}>
            {(def) => <ParamInput def={def} value={props.param(def.name)?.value} options={props.param(def.name)?.options} onChange={(v) => props.onParam(def.name, v)} />}
          </For>
        </div>
      </Show>
    </header>
  );
}
