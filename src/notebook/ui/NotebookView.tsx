// Placeholder until the notebook surface lands; the app shell mounts it.
export function NotebookView() {
  return <section data-testid="notebook">Блокнот</section>;
}
