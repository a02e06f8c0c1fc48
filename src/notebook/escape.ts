/** Escaping of data placed into Markdown or HTML text (no DOM needed: Node, page and sandbox). */

/**
 * A value placed into Markdown text stays text: HTML, links, emphasis and table pipes are
 * backslash-escaped (CommonMark renders `\<` as `&lt;`), so `<img onerror=…>` or
 * `](http://…)` inside data cannot become markup.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>&!|~]/g, '\\$&');
}

export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * A value placed into plain text drawn by a chart (SVG text, never parsed as markup): control
 * characters and line breaks become spaces so one value cannot add lines or hide text.
 */
export function escapePlainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
