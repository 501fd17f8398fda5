// A marked pseudo-language, to find text left outside the catalogs: every English message wrapped in ⟦…⟧
// (placeholders kept), compiled as the build compiles catalogs and served as the German catalog.
import { readFileSync } from 'node:fs';
import { compileCatalog } from '../../scripts/catalogs.mjs';
import { ROOT } from './local-server.mjs';

const EN = JSON.parse(readFileSync(`${ROOT}/locales/en.json`, 'utf8'));

// `{path, body}` of the pseudo catalog, for startApp's `files` (a browser speaking German gets it).
export function pseudoCatalog() {
  const mark = (text) => `⟦${text}⟧`;
  const marked = Object.fromEntries(Object.entries(EN).map(([key, value]) => [key, typeof value === 'string'
    ? mark(value) : Object.fromEntries(Object.entries(value).map(([c, v]) => [c, mark(v)]))]));
  const { compiled } = compileCatalog(marked, EN);
  return { path: `/locales/de.${compiled.keys}.json`, body: JSON.stringify(compiled) };
}

// Texts of the page (text nodes, and the attributes people hear or read) that are not inside ⟦…⟧.
// User data (names, emails, ids, keys, device names, the session's end as the locale writes dates) and the language
// menu's own names are not UI text; nor is <noscript>, shown only where no script (and so no catalog)
// can run.
export const unmarked = (page) => page.evaluate(() => {
  const skip = 'code, pre, script, style, noscript, [data-testid="language"], [data-testid="username"], [data-testid="name"], [data-testid="email"], [data-testid="groups"], [data-testid="expires"], [data-testid="device-name"], .who strong';
  const found = [];
  const outside = (text) => text.replace(/⟦[^⟧]*⟧/g, '').replace(/[\s•✓…:()]/g, '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip) || node.parentElement.closest('[hidden]')) continue;
    if (outside(node.textContent)) found.push(node.textContent.trim());
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value && outside(value)) found.push(`${name}=${value}`);
    }
  }
  if (outside(document.title)) found.push(`title=${document.title}`);
  return found;
});
