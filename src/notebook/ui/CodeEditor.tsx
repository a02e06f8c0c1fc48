/** One Monaco editor per cell; grows with its content so the page, not the editor, scrolls. */
import { onCleanup, onMount } from 'solid-js';
import { LANGUAGE, monaco } from './monaco';

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
  let editor: monaco.editor.IStandaloneCodeEditor | undefined;

  onMount(() => {
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
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => props.onRun?.());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => props.onRun?.());
    editor.addCommand(monaco.KeyCode.Escape, () => props.onEscape?.(), '!suggestWidgetVisible');
    props.ref?.({ focus: () => editor?.focus() });
  });
  onCleanup(() => {
    editor?.getModel()?.dispose();
    editor?.dispose();
  });

  return <div class="nb-editor" ref={host} data-testid="cell-editor" />;
}
