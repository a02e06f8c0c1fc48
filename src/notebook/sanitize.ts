/**
 * The one place where notebook Markdown/HTML becomes DOM: a strict DOMPurify configuration
 * (an opened notebook is hostile until trusted, and data values are hostile always), links
 * limited to this origin, and escaping of values interpolated into Markdown.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export { escapeHtmlText, escapeMarkdown } from './escape';

/** Elements that could restyle the page, collect input, embed another document or run code. */
const FORBID_TAGS = [
  'style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'label', 'fieldset',
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'meta', 'link', 'base',
  'script', 'noscript', 'template', 'dialog', 'portal', 'audio', 'video', 'source', 'track',
  'svg', 'math', 'marquee', 'slot',
];
const FORBID_ATTR = [
  'style', 'class', 'action', 'formaction', 'form', 'target', 'srcset', 'ping', 'popover',
  'popovertarget', 'autofocus', 'tabindex', 'contenteditable', 'background', 'poster',
];

const PURIFY_CONFIG = {
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: true,
  // Only these schemes survive; anything else (javascript:, data:text/html, …) is dropped.
  ALLOWED_URI_REGEXP: /^(?:https?:|#|\.{0,2}\/|[^a-z:]*$)/i,
};

/** Attribute carrying an external link's address after the sanitiser took its `href` away. */
export const EXTERNAL_HREF_ATTR = 'data-external-href';

let hooked = false;
function purifier() {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      const el = node as Element;
      if (el.tagName === 'A' && el.hasAttribute('href')) {
        const href = el.getAttribute('href')!;
        if (!isSameOrigin(href)) {
          el.removeAttribute('href');
          el.setAttribute(EXTERNAL_HREF_ATTR, href);
          el.setAttribute('title', `Внешний адрес: ${href}`);
        }
      }
      // Images may come only from this origin or inline data (CSP enforces it as well).
      if (el.tagName === 'IMG' && el.hasAttribute('src') && !isSameOrigin(el.getAttribute('src')!) && !/^data:image\//i.test(el.getAttribute('src')!)) {
        el.removeAttribute('src');
      }
    });
    // The purifier's own filter keeps data-* out; our marker is added afterwards, so it survives.
  }
  return DOMPurify;
}

/** In-page anchors and addresses of this very origin; everything else counts as external. */
export function isSameOrigin(href: string): boolean {
  if (href.startsWith('#')) return true;
  try {
    const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
    return new URL(href, base).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export function sanitizeHtml(html: string): string {
  return purifier().sanitize(html, PURIFY_CONFIG) as string;
}

export function renderMarkdown(text: string): string {
  return sanitizeHtml(marked.parse(text, { async: false }) as string);
}

/**
 * Click on a link that leaves the app: ask first («Открыть внешний адрес …?»), then open it in a
 * new tab without a referrer. Attach once to a container of sanitised output.
 */
export function guardLinkClick(e: MouseEvent): void {
  const a = (e.target as Element | null)?.closest?.(`a[${EXTERNAL_HREF_ATTR}]`);
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute(EXTERNAL_HREF_ATTR) ?? '';
  if (!/^https?:/i.test(href)) return;
  if (confirm(`Открыть внешний адрес ${href}?\nДанные из ссылки уйдут за пределы этого компьютера.`)) {
    window.open(href, '_blank', 'noopener,noreferrer');
  }
}
