/**
 * One Monaco editor per cell; grows with its content so the page, not the editor, scrolls.
 * Monaco (≈2.7 MB) is loaded on demand and an editor is created only once its cell is laid out:
 * a template read as a report (code hidden) starts without loading or building any editor.
 */
import { onCleanup, onMount } from 'solid-js';
import type * as Monaco from 'monaco-editor/editor/editor.api';

export interface CodeEditorProps {
  value: string;
  kind: string;
  readOnly?: boolean;
  onChange?: (value: string) => void;
  /** Shift+Enter */
  onRun?: () => void;
  /** Escape: leave the editor for command mode. */
  onEscape?: () => void;
  onFocus?: () => void;
  ref?: (api: { focus(): void }) => void;
}

export function CodeEditor(props: CodeEditorProps) {
  let host!: HTMLDivElement;
  let editor: Monaco.editor.IStandaloneCodeEditor | undefined;
  let disposed = false;

  const create = async () => {
    const { LANGUAGE, monaco } = await import('./monaco');
    if (disposed || editor) return;
    host.replaceChildren();
    editor = monaco.editor.create(host, {
      value: props.value,
      language: LANGUAGE[props.kind] ?? 'plaintext',
      readOnly: props.readOnly,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbers: 'off',
      folding: false,
      glyphMargin: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      wordWrap: props.kind === 'md' ? 'on' : 'off',
      fontSize: 13,
      automaticLayout: true,
      scrollbar: { alwaysConsumeMouseWheel: false, vertical: 'hidden' },
      fixedOverflowWidgets: true,
      tabSize: 2,
    });
    const fit = () => {
      const h = Math.max(38, Math.min(editor!.getContentHeight(), 800));
      host.style.height = `${h}px`;
      editor!.layout();
    };
    editor.onDidContentSizeChange(fit);
    fit();
    editor.onDidChangeModelContent(() => props.onChange?.(editor!.getValue()));
    editor.onDidFocusEditorText(() => props.onFocus?.());
    // Actions, not addCommand: a command's key binding is global, so the last editor created (even
    // one disposed since, e.g. a Markdown cell's before it rendered) would take Shift+Enter from the others.
    editor.addAction({ id: 'msoko.run', label: 'Выполнить', keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter, monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter], run: () => props.onRun?.() });
    editor.addAction({ id: 'msoko.escape', label: 'Режим команд', keybindings: [monaco.KeyCode.Escape], precondition: '!suggestWidgetVisible', run: () => props.onEscape?.() });
    if (focusWanted) editor.focus();
  };

  // A display:none host never intersects, whatever the margin; any laid-out host does.
  let focusWanted = false;
  onMount(() => {
    props.ref?.({
      focus: () => {
        if (editor) editor.focus();
        else focusWanted = true;
      },
    });
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen.disconnect();
      void create();
    }, { rootMargin: '100000px' });
    seen.observe(host);
    onCleanup(() => seen.disconnect());
  });
  onCleanup(() => {
    disposed = true;
    editor?.getModel()?.dispose();
    editor?.dispose();
  });

  // Until Monaco is there the source shows as plain text, so nothing jumps or looks empty.
  return (
    <div class="nb-editor" ref={host} data-testid="cell-editor">
      <pre class="nb-editor-placeholder">{props.value}</pre>
    </div>
  );
}
