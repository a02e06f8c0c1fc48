import { For } from 'solid-js';

/** A tiny bar chart (inline SVG) for column profiles. */
export function Histogram(props: { bars: { label: string; count: number }[]; width?: number; height?: number }) {
  const w = () => props.width ?? 160;
  const h = () => props.height ?? 36;
  const max = () => Math.max(1, ...props.bars.map((b) => b.count));
  const bw = () => w() / Math.max(1, props.bars.length);
  return (
    <svg class="histogram" width={w()} height={h()} role="img" aria-label="Гистограмма">
      <For each={props.bars}>
        {(b, i) => {
          const bh = () => Math.max(1, (b.count / max()) * (h() - 2));
          return (
            <rect x={i() * bw() + 1} y={h() - bh()} width={Math.max(1, bw() - 2)} height={bh()} fill="#4a7fc1">
              <title>
                {b.label}: {b.count}
              </title>
            </rect>
          );
        }}
      </For>
    </svg>
  );
}
