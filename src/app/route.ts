/**
 * The app's views, kept in the URL hash so that Back returns to the previous view and a reload
 * stays where the user was: `#/` the home, `#/notebook` the notebook workspace, `#/help` help.
 */
import { createSignal } from 'solid-js';

export type View = 'home' | 'notebook' | 'help';

const parse = (hash: string): View => {
  const v = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return v === 'notebook' || v === 'help' ? v : 'home';
};

const [view, setViewSignal] = createSignal<View>(parse(location.hash));
window.addEventListener('hashchange', () => setViewSignal(parse(location.hash)));

export { view };

export function go(next: View): void {
  const hash = next === 'home' ? '#/' : `#/${next}`;
  if (location.hash !== hash) location.hash = hash;
  setViewSignal(next);
}
