/**
 * Markdown of report text, made safe for a standalone file: raw HTML is dropped and images may
 * only be inline data (nothing that would make a request when the report is opened).
 */
import { Marked, type Token, type Tokens } from 'marked';

const marked = new Marked({ gfm: true, breaks: false });

const isLocal = (href: string): boolean => href.startsWith('data:image/');

export function sanitizeTokens(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.type === 'html') continue;
    if (t.type === 'image' && !isLocal((t as Tokens.Image).href)) {
      out.push({ type: 'text', raw: (t as Tokens.Image).text, text: (t as Tokens.Image).text } as Tokens.Text);
      continue;
    }
    const anyT = t as Token & { tokens?: Token[]; items?: Tokens.ListItem[]; header?: Tokens.TableCell[]; rows?: Tokens.TableCell[][] };
    if (anyT.tokens) anyT.tokens = sanitizeTokens(anyT.tokens);
    if (anyT.items) for (const it of anyT.items) it.tokens = sanitizeTokens(it.tokens);
    if (anyT.header) for (const c of anyT.header) c.tokens = sanitizeTokens(c.tokens);
    if (anyT.rows) for (const r of anyT.rows) for (const c of r) c.tokens = sanitizeTokens(c.tokens);
    out.push(t);
  }
  return out;
}

/** Block-level tokens of Markdown, sanitised. */
export function markdownTokens(md: string): Token[] {
  return sanitizeTokens(marked.lexer(md));
}

/** Markdown → safe HTML. */
export function markdownToHtml(md: string): string {
  const tokens = markdownTokens(md);
  return marked.parser(tokens as ReturnType<typeof marked.lexer>);
}
