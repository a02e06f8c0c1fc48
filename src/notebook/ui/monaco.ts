/**
 * Monaco, bundled (no CDN loader): the core editor API, a few editing contributions and
 * the Monarch grammars of the cell languages. The one editor worker comes from Vite's
 * `?worker` import so it is served from the app's own origin.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/javascript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };

export const LANGUAGE: Record<string, string> = {
  sql: 'sql',
  ts: 'typescript',
  md: 'markdown',
  'vega-lite': 'javascript',
  param: 'yaml',
};
