/** Inputs for notebook parameters: select (options may come from SQL), number, text, checkbox, year range. */
import { For, Match, Switch } from 'solid-js';
import type { ParamDef, ParamValue } from '../model';
import { paramOptionLabel } from '../../format';

export interface ParamInputProps {
  def: ParamDef;
  value: ParamValue | undefined;
  options?: (string | number)[];
  onChange: (v: ParamValue) => void;
}

export function ParamInput(props: ParamInputProps) {
  const id = () => `param-${props.def.name}`;
  const range = () => (Array.isArray(props.value) ? props.value : [null, null]) as [number | null, number | null];
  const years = () => {
    const fromOptions = (props.options ?? []).map(Number).filter((n) => !isNaN(n));
    if (fromOptions.length) return fromOptions.sort((a, b) => a - b);
    const lo = props.def.min ?? range()[0] ?? new Date().getFullYear() - 5;
    const hi = props.def.max ?? range()[1] ?? new Date().getFullYear();
    return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
  };
  return (
    <label class="nb-param" data-testid={id()} data-param={props.def.name}>
      <span class="nb-param-label">{props.def.label ?? props.def.name}</span>
      <Switch fallback={<input type="text" value={String(props.value ?? '')} onChange={(e) => props.onChange(e.currentTarget.value)} data-testid={`${id()}-input`} />}>
        <Match when={props.def.type === 'select'}>
          <select onChange={(e) => props.onChange(props.options?.find((o) => String(o) === e.currentTarget.value) ?? e.currentTarget.value)} data-testid={`${id()}-input`}>
            <For each={props.options ?? []}>{(o) => <option value={String(o)} selected={String(o) === String(props.value)}>{paramOptionLabel(o)}</option>}</For>
          </select>
        </Match>
        <Match when={props.def.type === 'number'}>
          <input
            type="number"
            value={props.value === null || props.value === undefined ? '' : String(props.value)}
            min={props.def.min}
            max={props.def.max}
            step={props.def.step ?? 'any'}
            onChange={(e) => props.onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
            data-testid={`${id()}-input`}
          />
        </Match>
        <Match when={props.def.type === 'checkbox'}>
          <input type="checkbox" checked={props.value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} data-testid={`${id()}-input`} />
        </Match>
        <Match when={props.def.type === 'year-range'}>
          <span class="nb-range">
            <select onChange={(e) => props.onChange([Number(e.currentTarget.value), range()[1] ?? Number(e.currentTarget.value)])} data-testid={`${id()}-from`}>
              <For each={years()}>{(y) => <option value={y} selected={y === range()[0]}>{y}</option>}</For>
            </select>
            –
            <select onChange={(e) => props.onChange([range()[0] ?? Number(e.currentTarget.value), Number(e.currentTarget.value)])} data-testid={`${id()}-to`}>
              <For each={years()}>{(y) => <option value={y} selected={y === range()[1]}>{y}</option>}</For>
            </select>
          </span>
        </Match>
      </Switch>
    </label>
  );
}
