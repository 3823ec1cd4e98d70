// Accessibility test of a built kiosque site: axe-core (WCAG 2.0/2.1 A and AA rules)
// on every page type, plus keyboard checks (skip link, visible focus indicator).
//
//   SITE_DIR=/path/to/site [SITE_DIR_EN=/path/to/english/site] node --test tests/a11y.test.mjs
//
// Without SITE_DIR the whole file is skipped (so `node --test tests/` stays clean).
// Optional: A11Y_REPORT=/path/report.json writes every finding as JSON;
// A11Y_SEARCH_WAIT=ms (default 5000) is how long to wait for [data-search-ready].
// Uses Debian's Chromium (env CHROMIUM, default /usr/bin/chromium) through
// playwright-core; never downloads a browser. Everything is served from 127.0.0.1
// and any request to another host is aborted and reported.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { launchChromium, newContext, startServer } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SEARCH_WAIT = Number(process.env.A11Y_SEARCH_WAIT || 5000);
const EXPLORER_WAIT = 15000;
const FOCUS_STEPS = 30;

const SITES = [];
if (process.env.SITE_DIR) SITES.push({ label: 'SITE_DIR', dir: resolve(process.env.SITE_DIR), expectLang: null });
if (process.env.SITE_DIR && process.env.SITE_DIR_EN) {
  SITES.push({ label: 'SITE_DIR_EN', dir: resolve(process.env.SITE_DIR_EN), expectLang: 'en' });
}

/* ---------------- which pages to test (read from the built files) ---------------- */
const readText = (dir, rel) => readFileSync(join(dir, rel), 'utf8');
const mainOf = (html) => (/<main\b[\s\S]*?<\/main>/i.exec(html) || [html])[0];
// site-relative paths of the internal links of an HTML fragment, resolved from page `from`
function linksIn(html, from) {
  const out = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/gi)) {
    const href = m[1].replace(/&amp;/g, '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//')) continue;
    let p = decodeURIComponent(new URL(href, `http://site.invalid/${from}`).pathname).replace(/^\/+/, '');
    if (p === '' || p.endsWith('/')) p += 'index.html';
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function pagesOf(dir) {
  const has = (rel) => existsSync(join(dir, rel));
  const pages = [];
  const notes = [];
  const add = (name, path, extra = {}) => pages.push({ name, path, ...extra });
  add('home', 'index.html');
  add('catalogue', 'datasets/index.html', { search: true });
  if (has('datasets/page-2.html')) add('catalogue page 2', 'datasets/page-2.html');
  else notes.push('no datasets/page-2.html (catalogue fits on one page)');
  add('themes index', 'themes/index.html');
  if (has('themes/index.html')) {
    const theme = linksIn(mainOf(readText(dir, 'themes/index.html')), 'themes/index.html')
      .find((p) => /^themes\/[^/]+\/index\.html$/.test(p) && has(p));
    if (theme) add('theme page', theme); else notes.push('themes/index.html links to no theme page');
  }
  add('keywords index', 'keywords/index.html');
  if (has('keywords/index.html')) {
    const kw = linksIn(mainOf(readText(dir, 'keywords/index.html')), 'keywords/index.html')
      .find((p) => /^keywords\/[^/]+\/index\.html$/.test(p) && has(p));
    if (kw) add('keyword page', kw); else notes.push('keywords/index.html links to no keyword page');
  }
  const wanted = ['budget', 'arbres-alignement', 'deliberations'].map((s) => `datasets/${s}/index.html`);
  const datasets = wanted.filter(has);
  if (datasets.length < 3 && has('datasets/index.html')) {
    for (const p of linksIn(mainOf(readText(dir, 'datasets/index.html')), 'datasets/index.html')) {
      if (datasets.length >= 3) break;
      if (/^datasets\/[^/]+\/index\.html$/.test(p) && has(p) && !datasets.includes(p)) datasets.push(p);
    }
    notes.push(`missing dataset page(s) ${wanted.filter((p) => !has(p)).join(', ')}: picked from the catalogue`);
  }
  for (const p of datasets) add('dataset page', p, { dataset: true });
  let md = 'a-propos/index.html';
  if (!has(md)) {
    md = linksIn(readText(dir, 'index.html'), 'index.html')
      .find((p) => /^[^/]+\/index\.html$/.test(p) && !/^(datasets|themes|keywords)\//.test(p) && has(p));
    notes.push(`no a-propos/index.html: Markdown page ${md || '(none found)'}`);
  }
  if (md) add('markdown page', md);
  add('404', '404.html');
  return { pages, notes };
}

/* ---------------- browser helpers ---------------- */
let browser;
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');
const report = []; // everything found, for A11Y_REPORT

async function openPage(site, path, { viewport = { width: 1280, height: 900 } } = {}) {
  // anything not on 127.0.0.1 is recorded in rec.external and never leaves the machine
  const { context, page, rec } = await newContext(browser, { viewport });
  rec.notes = [];
  const resp = await page.goto(`${site.origin}/${path}`, { waitUntil: 'load' });
  assert.equal(resp.status(), 200, `GET ${path}`);
  // enhanced state of the table explorer, if the page has one
  if (await page.locator('[data-explorer]').count()) {
    try {
      await page.waitForFunction(() => [...document.querySelectorAll('[data-explorer]')].every((s) => s.hasAttribute('data-explorer-ready')),
        null, { timeout: EXPLORER_WAIT });
    } catch {
      rec.notes.push(`[data-explorer] sections not all ready after ${EXPLORER_WAIT} ms: tested as they were`);
    }
  }
  return { context, page, rec };
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  assert.ok(await page.evaluate(() => typeof window.axe === 'object'), 'axe-core could not be injected (Content-Security-Policy?)');
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const slim = (v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, summary: n.failureSummary || '' })),
    });
    return { violations: r.violations.map(slim), incomplete: r.incomplete.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length })) };
  }, AXE_TAGS);
}

const cut = (s, n) => { s = String(s).replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; };

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`  • ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s) — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`      - ${n.target.join(' ')}`);
      lines.push(`        ${cut(n.html, 200)}`);
      const why = n.summary.split('\n').map((s) => s.trim()).filter((s) => s && !/^Fix (any|all) of the following:?$/.test(s));
      if (why.length) lines.push(`        → ${cut(why.join(' | '), 240)}`);
    }
    if (v.nodes.length > 8) lines.push(`      … and ${v.nodes.length - 8} more node(s)`);
  }
  return lines.join('\n');
}

// lang, external requests, console errors, axe: every problem of one page state, as text
async function checkState(site, path, state, page, rec) {
  const problems = [];
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  if (!lang || !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(lang.trim())) problems.push(`<html lang> is missing or invalid: ${JSON.stringify(lang)}`);
  else if (site.expectLang && !lang.toLowerCase().startsWith(site.expectLang)) problems.push(`<html lang="${lang}">, expected ${site.expectLang}`);
  const axe = await runAxe(page);
  if (axe.violations.length) {
    problems.push(`${axe.violations.length} axe violation(s) (${axe.violations.reduce((a, v) => a + v.nodes.length, 0)} node(s)):\n${formatViolations(axe.violations)}`);
  }
  report.push({ site: site.label, dir: site.dir, path, state, lang, violations: axe.violations, incomplete: axe.incomplete, notes: [...rec.notes] });
  return { problems, incomplete: axe.incomplete };
}

function finish(t, site, path, rec, problems, incomplete) {
  if (rec.external.length) problems.push(`request(s) left 127.0.0.1 (aborted):\n${rec.external.map((u) => '  ' + u).join('\n')}`);
  if (rec.consoleErrors.length) problems.push(`console error(s):\n${rec.consoleErrors.map((e) => '  ' + e).join('\n')}`);
  const last = report.filter((r) => r.site === site.label && r.path === path).at(-1);
  if (last) Object.assign(last, { external: rec.external, consoleErrors: rec.consoleErrors });
  for (const n of rec.notes) t.diagnostic(n);
  if (incomplete.length) t.diagnostic(`axe "needs review" (not failures): ${incomplete.map((i) => `${i.id}×${i.count}`).join(', ')}`);
  if (problems.length) assert.fail(`[${site.label}] ${path}\n${problems.join('\n')}`);
}

/* ---------------- tests ---------------- */
if (!SITES.length) {
  test('accessibility (axe-core) of a built site', { skip: 'SITE_DIR is not set: build a site and run SITE_DIR=… [SITE_DIR_EN=…] node --test tests/a11y.test.mjs' }, () => {});
} else {
  before(async () => {
    for (const site of SITES) {
      assert.ok(existsSync(join(site.dir, 'index.html')), `${site.label}: no index.html in ${site.dir}`);
      Object.assign(site, await startServer(site.dir));
    }
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    for (const site of SITES) if (site.server) await new Promise((r) => site.server.close(r));
    if (process.env.A11Y_REPORT) await writeFile(process.env.A11Y_REPORT, JSON.stringify(report, null, 2));
  });

  for (const site of SITES) {
    const { pages, notes } = pagesOf(site.dir);
    describe(`a11y ${site.label} (${site.dir})`, () => {
      if (notes.length) test('page selection', (t) => { for (const n of notes) t.diagnostic(n); });

      for (const pg of pages) {
        test(`axe: ${pg.name} ${pg.path}`, async (t) => {
          if (!existsSync(join(site.dir, pg.path))) return t.skip(`${pg.path} does not exist`);
          const { context, page, rec } = await openPage(site, pg.path);
          const problems = [];
          let incomplete = [];
          try {
            const s = await checkState(site, pg.path, 'static', page, rec);
            problems.push(...s.problems); incomplete = s.incomplete;
            // axe skips hidden content: open every <details> (chart data, checksums…) and look again
            const closed = await page.evaluate(() => {
              const ds = [...document.querySelectorAll('details:not([open])')];
              for (const d of ds) { d.open = true; d.setAttribute('data-a11y-opened', ''); }
              return ds.length;
            });
            if (closed) {
              await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
              const d = await checkState(site, pg.path, 'details open', page, rec);
              problems.push(...d.problems.filter((p) => !p.startsWith('<html lang')).map((p) => `[${closed} <details> opened] ${p}`));
              await page.evaluate(() => { for (const d of document.querySelectorAll('[data-a11y-opened]')) { d.open = false; d.removeAttribute('data-a11y-opened'); } });
            }
            if (pg.search) {
              // the catalogue's search script, once initialised (if it is there)
              let ready = false;
              if (await page.locator('[data-search]').count()) {
                ready = await page.waitForSelector('[data-search-ready]', { timeout: SEARCH_WAIT, state: 'attached' }).then(() => true, () => false);
              }
              if (!ready) {
                t.diagnostic(`[data-search-ready] did not appear within ${SEARCH_WAIT} ms: static catalogue only`);
              } else {
                const r = await checkState(site, pg.path, 'search ready', page, rec);
                problems.push(...r.problems.map((p) => `[search ready] ${p}`));
                // the home page's search form lands here with ?q=
                await page.goto(`${site.origin}/${pg.path}?q=budget`, { waitUntil: 'load' });
                const ready2 = await page.waitForSelector('[data-search-ready]', { timeout: SEARCH_WAIT, state: 'attached' }).then(() => true, () => false);
                if (ready2) {
                  await page.waitForTimeout(300);
                  const q = await checkState(site, `${pg.path}?q=budget`, 'search results', page, rec);
                  problems.push(...q.problems.map((p) => `[?q=budget] ${p}`));
                } else problems.push('[?q=budget] [data-search-ready] did not appear');
              }
            }
          } finally {
            await context.close();
          }
          finish(t, site, pg.path, rec, problems, incomplete);
        });
      }

      test('keyboard: first Tab focuses the skip link; activating it moves focus to <main>', async (t) => {
        const { context, page, rec } = await openPage(site, 'index.html');
        const problems = [];
        try {
          await page.keyboard.press('Tab');
          const first = await page.evaluate(() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            const href = a.getAttribute('href') || '';
            const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
            const main = document.querySelector('main');
            return {
              what: `<${a.tagName.toLowerCase()}${a.className ? ` class="${a.className}"` : ''}${href ? ` href="${href}"` : ''}> ${a.textContent.trim().slice(0, 60)}`,
              isLink: a.tagName === 'A' && href.startsWith('#'),
              visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
              targetOk: !!target && !!main && (target === main || main.contains(target)),
              targetFocusable: !!target && (target.tabIndex >= 0 || target.hasAttribute('tabindex')),
            };
          });
          t.diagnostic(`first Tab: ${first.what}`);
          if (!first.isLink) problems.push(`first Tab focuses ${first.what}, not a skip link (<a href="#…">)`);
          else {
            if (!first.visible) problems.push(`skip link is not visible in the viewport when focused: ${first.what}`);
            if (!first.targetOk) problems.push(`skip link target is not <main> or inside it: ${first.what}`);
            if (!first.targetFocusable) problems.push('skip link target has no tabindex (focus may not move to it)');
            await page.keyboard.press('Enter');
            await page.waitForTimeout(100);
            const after = await page.evaluate(() => {
              const a = document.activeElement, main = document.querySelector('main');
              return { isMain: a === main, inMain: !!main && main.contains(a), what: `<${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}>` };
            });
            t.diagnostic(`after Enter: focus on ${after.what}`);
            if (!after.isMain && !after.inMain) problems.push(`after activating the skip link, focus is on ${after.what}, not <main>`);
            await page.keyboard.press('Tab');
            const next = await page.evaluate(() => {
              const a = document.activeElement, main = document.querySelector('main');
              return { inMain: !!main && main.contains(a) && a !== main, what: `<${a.tagName.toLowerCase()}> ${(a.textContent || '').trim().slice(0, 50)}` };
            });
            t.diagnostic(`next Tab: ${next.what}`);
            if (!next.inMain) problems.push(`the Tab after the skip link focuses ${next.what}, outside <main>`);
          }
        } finally {
          await context.close();
        }
        finish(t, site, 'index.html#skip-link', rec, problems, []);
      });

      const focusPage = pages.find((p) => p.dataset)?.path;
      test(`keyboard: visible focus indicator on the first ${FOCUS_STEPS} Tab stops of ${focusPage}`, async (t) => {
        if (!focusPage) return t.skip('no dataset page');
        const { context, page, rec } = await openPage(site, focusPage);
        const problems = [];
        const stops = [];
        try {
          // unfocused styles of every potentially focusable element, before any Tab
          await page.evaluate(() => {
            const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow', 'backgroundColor', 'color',
              'borderTopColor', 'borderBottomColor', 'borderBottomWidth', 'textDecorationLine', 'textDecorationThickness'];
            window.__a11yStyle = (el) => { const cs = getComputedStyle(el); return Object.fromEntries(props.map((p) => [p, cs[p]])); };
            window.__a11yBefore = new Map();
            for (const el of document.querySelectorAll('a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable], audio[controls], video[controls]')) {
              window.__a11yBefore.set(el, window.__a11yStyle(el));
            }
          });
          let firstEl = null;
          for (let i = 0; i < FOCUS_STEPS; i++) {
            await page.keyboard.press('Tab');
            const handle = await page.evaluateHandle(() => document.activeElement);
            if (firstEl && await page.evaluate(([a, b]) => a === b, [handle, firstEl])) break; // wrapped around
            if (!firstEl) firstEl = handle;
            const s = await handle.evaluate((el) => {
              if (el === document.body || el === document.documentElement) return null;
              const after = window.__a11yStyle(el);
              const before = window.__a11yBefore.get(el) || null;
              const r = el.getBoundingClientRect();
              const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
              const outline = after.outlineStyle !== 'none' && parseFloat(after.outlineWidth) > 0 && !transparent(after.outlineColor) &&
                (!before || before.outlineStyle === 'none' || before.outlineWidth !== after.outlineWidth || before.outlineColor !== after.outlineColor || before.outlineStyle !== after.outlineStyle);
              const shadow = after.boxShadow !== 'none' && (!before || before.boxShadow !== after.boxShadow);
              const other = before ? Object.keys(after).filter((k) => !/^outline|^boxShadow/.test(k) && after[k] !== before[k]) : [];
              const label = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('value') || el.getAttribute('placeholder') || '').replace(/\s+/g, ' ').trim().slice(0, 50);
              let sel = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('');
              for (let p = el.parentElement, d = 0; p && d < 2 && p !== document.body; p = p.parentElement, d++) {
                sel = p.tagName.toLowerCase() + (p.id ? '#' + p.id : '') + [...p.classList].slice(0, 2).map((c) => '.' + c).join('') + ' > ' + sel;
              }
              return {
                sel, label, outline, shadow, other, knownBefore: !!before,
                visible: r.width > 0 && r.height > 0,
                style: `outline: ${after.outlineStyle} ${after.outlineWidth} ${after.outlineColor}; box-shadow: ${after.boxShadow}`,
              };
            });
            if (!s) { t.diagnostic(`Tab ${i + 1}: focus on <body>, stopping`); break; }
            stops.push(s);
            const ok = s.outline || s.shadow;
            t.diagnostic(`Tab ${String(i + 1).padStart(2)}: ${ok ? 'ok ' : 'NO '} ${s.sel} “${s.label}” — ${s.style}${s.other.length ? ` (also changes: ${s.other.join(', ')})` : ''}`);
            if (!s.visible) problems.push(`Tab ${i + 1}: focused element has no size (invisible focus): ${s.sel} “${s.label}”`);
            if (!ok) {
              problems.push(`Tab ${i + 1}: no focus indicator (outline/box-shadow unchanged) on ${s.sel} “${s.label}” — ${s.style}` +
                (s.other.length ? ` — only ${s.other.join(', ')} change(s)` : '') + (s.knownBefore ? '' : ' (element added after load; compared with nothing)'));
            }
          }
          if (!stops.length) problems.push('Tab never focused anything');
        } finally {
          await context.close();
        }
        report.push({ site: site.label, dir: site.dir, path: focusPage, state: 'focus indicators', stops, problems });
        finish(t, site, focusPage, rec, problems, []);
      });
    });
  }
}
