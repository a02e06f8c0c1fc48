/**
 * The notebook library: bundled templates (read-only, from `notebooks/**.md`) and the
 * user's own notebooks, autosaved to IndexedDB through the app's kv store. Only notebook
 * text and small UI state are stored; results are recomputed on open.
 */
import { kvDelete, kvGet, kvKeys, kvPeek, kvSet } from '../../storage';
import { parseNotebook } from '../format';
import type { ParamValue } from '../model';

const files = import.meta.glob('/notebooks/**/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface TemplateEntry {
  id: string;
  path: string;
  title: string;
  description?: string;
  text: string;
}

export const templates: TemplateEntry[] = Object.entries(files)
  .map(([path, text]) => {
    const id = path.replace(/^\/notebooks\//, '').replace(/\.md$/, '');
    let title = id;
    let description: string | undefined;
    try {
      const fm = parseNotebook(text).frontMatter;
      title = fm.title ?? id;
      description = fm.description;
    } catch {
      /* a broken template still opens and shows its error */
    }
    return { id, path, title, description, text };
  })
  .sort((a, b) => (a.id.startsWith('examples/') ? 1 : 0) - (b.id.startsWith('examples/') ? 1 : 0) || a.title.localeCompare(b.title, 'ru'));

export interface UserNotebook {
  id: string;
  title: string;
  text: string;
  updated: number;
  /** Opened from a file: TypeScript cells wait until the user trusts it. */
  trusted: boolean;
  /** Template it was copied from, if any. */
  from?: string;
}

export interface OpenRef {
  kind: 'template' | 'user';
  id: string;
}

const USER = 'notebook.user.';
const CURRENT = 'notebook.current';
const PARAMS = 'notebook.params.';

export async function listUserNotebooks(): Promise<UserNotebook[]> {
  const keys = await kvKeys(USER);
  // Peeked: listing is not opening; only the notebook opened here is checked against other tabs.
  const list = await Promise.all(keys.map((k) => kvPeek<UserNotebook>(k)));
  return list.filter((x): x is UserNotebook => !!x).sort((a, b) => b.updated - a.updated);
}

export const getUserNotebook = (id: string) => kvGet<UserNotebook>(USER + id);
export const saveUserNotebook = (nb: UserNotebook) => kvSet(USER + nb.id, nb);
export const deleteUserNotebook = async (id: string) => {
  await kvDelete(USER + id);
  await kvDelete(PARAMS + `user:${id}`);
};

export const getCurrent = () => kvGet<OpenRef>(CURRENT);
export const setCurrent = (ref: OpenRef) => kvSet(CURRENT, ref);

export const getParams = (ref: OpenRef) => kvGet<Record<string, ParamValue>>(`${PARAMS}${ref.kind}:${ref.id}`);
export const saveParams = (ref: OpenRef, values: Record<string, ParamValue>) => kvSet(`${PARAMS}${ref.kind}:${ref.id}`, values);

export function newUserId(): string {
  return `nb-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export const STARTER = `---
title: Мой блокнот
---

<!-- cell id=intro -->
# Мой блокнот

Ячейки SQL выполняются по Shift+Enter; результат ячейки доступен следующим ячейкам по её имени.

\`\`\`sql id=q1 name=q1
SELECT 42 AS answer
\`\`\`
`;
