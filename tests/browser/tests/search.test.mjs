// Browser test of kiosque's catalogue search (assets/search.js + vendored MiniSearch).
//
//   SITE_DIR=/path/to/built/example-site npm test            (French or English build)
//   SCALE_SITE_DIR=/path/to/big/site node --test tests/search.test.mjs
//
// SITE_DIR: a build of example-site (the content checks — "Délibérations du conseil
// municipal", "Arbres d'alignement" — are about its datasets; the interface texts
// are read from the page, so the French and the English builds both pass).
// SCALE_SITE_DIR: a big generated site (thousands of datasets); measures the bytes
// read before the search is ready and the time of each keystroke, prints them, and
// asserts < 500 KB and a median < 50 ms. SCALE_PAGE (default datasets/index.html)
// picks the catalogue page. Either variable unset: that part is skipped.
// Uses Debian's Chromium (env CHROMIUM, default /usr/bin/chromium) through
// playwright-core; never downloads a browser. Everything is served from 127.0.0.1.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessFetch, launchChromium, newContext, startServer } from '../lib/harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const AXE = resolve(HERE, '..', 'node_modules', 'axe-core', 'axe.min.js');
const VNU = resolve(HERE, '..', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const SITE_DIR = process.env.SITE_DIR ? resolve(process.env.SITE_DIR) : null;
const SCALE_SITE_DIR = process.env.SCALE_SITE_DIR ? resolve(process.env.SCALE_SITE_DIR) : null;
const CATALOGUE = 'datasets/index.html';
const SCALE_PAGE = (process.env.SCALE_PAGE || CATALOGUE).replace(/^\/+/, '');
const WAIT = { timeout: 15000 };
const SCALE_WAIT = { timeout: 120000 };
const KB = 1024;

if (!SITE_DIR) console.log('search.test.mjs: SITE_DIR is not set: the catalogue search tests on the example site are skipped');
if (!SCALE_SITE_DIR) console.log('search.test.mjs: SCALE_SITE_DIR is not set: the scale test is skipped');

/* ---------------- independent model of the expected behaviour ---------------- */
const fold = (s) => String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
const asList = (v) => (Array.isArray(v) ? v : Number.isInteger(v) ? [v] : []);
const FACET_KEYS = ['theme', 'keyword', 'publisher', 'format', 'license', 'frequency', 'updated'];
const MONTHS = [3, 6, 12];

function isoDay(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
// value positions of dataset d in facet key (for "updated": 0 = 3 months, 1 = 6, 2 = 12)
function docValues(d, key) {
  if (key !== 'updated') return asList(d[key]);
  if (!d.modified) return [];
  const now = new Date();
  return MONTHS.map((m, i) => {
    const c = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    c.setMonth(c.getMonth() - m);
    return d.modified.slice(0, 10) >= isoDay(c) ? i : -1;
  }).filter((i) => i >= 0);
}
function facetValues(index, key) {
  return key === 'updated' ? MONTHS.map((m) => ({ id: String(m) })) : index.facets[key] || [];
}
// results and disjunctive counts for the datasets `ids` and the selection {key: Set(value ids)}
function expected(index, ids, sel) {
  const pos = {};
  for (const k of FACET_KEYS) pos[k] = new Set([...(sel[k] || [])].map((id) => facetValues(index, k).findIndex((v) => v.id === id)));
  const passes = (d, k) => !pos[k].size || docValues(d, k).some((v) => pos[k].has(v));
  const results = ids.filter((i) => FACET_KEYS.every((k) => passes(index.datasets[i], k)));
  const counts = {};
  for (const k of FACET_KEYS) {
    const c = new Map();
    for (const i of ids) {
      const d = index.datasets[i];
      if (!FACET_KEYS.every((o) => o === k || passes(d, o))) continue;
      for (const v of docValues(d, k)) {
        const id = facetValues(index, k)[v].id;
        c.set(id, (c.get(id) || 0) + 1);
      }
    }
    counts[k] = c;
  }
  return { results, counts };
}

/* ---------------- browser helpers ---------------- */
let browser;

async function launch() {
  if (browser) return;
  browser = await launchChromium();
}

// opens a page of `site` (a static server: {origin, log}); waits for the search unless waitReady is false
async function openPage(site, pagePath, { viewport = { width: 1280, height: 900 }, waitReady = true, wait = WAIT, setup, allowConsole } = {}) {
  // anything not on 127.0.0.1 is recorded in rec.external and never leaves the machine;
  // a console error about /favicon.ico is the browser's own request, not the page's
  const { context, page, rec } = await newContext(browser, { viewport, ignoreConsoleFrom: /\/favicon\.ico$/ });
  rec.logStart = site.log.length;
  if (setup) await setup(page, context);
  await page.goto(`${site.origin}/${pagePath}`, { waitUntil: 'domcontentloaded' });
  if (waitReady) await waitReady_(page, wait);
  const close = async () => {
    await context.close();
    assert.deepEqual(rec.external, [], `requests left 127.0.0.1:\n${rec.external.join('\n')}`);
    const errors = allowConsole ? rec.consoleErrors.filter((e) => !allowConsole.test(e)) : rec.consoleErrors;
    assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`);
  };
  return { context, page, rec, close };
}

async function waitReady_(page, wait = WAIT) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-search]');
    return s && (s.hasAttribute('data-search-ready') || s.hasAttribute('data-search-error'));
  }, null, wait);
}

// handles on the search section
function ui(page) {
  const section = page.locator('[data-search]');
  const self = {
    section,
    input: page.locator('#search-q'),
    status: section.locator('[role="status"][aria-live="polite"]'),
    cards: section.locator('.search-results li.dataset-card'),
    staticList: page.locator('[data-all-datasets]'),
    facet: (key) => section.locator(`fieldset.facet[data-facet="${key}"]`),
    box: (key, id) => section.locator(`fieldset.facet[data-facet="${key}"] input[type="checkbox"][value="${id}"]`),
    runs: () => section.evaluate((s) => Number(s.getAttribute('data-search-runs') || 0)),
    // waits until a search ran after `since` runs, and for the live region (debounced while typing)
    async settled(since) {
      await page.waitForFunction(([s, n]) => Number(s.getAttribute('data-search-runs') || 0) > n, [await section.elementHandle(), since], WAIT);
      await page.waitForTimeout(500);
    },
    async type(text) {
      const n = await self.runs();
      await self.input.fill(text);
      await self.settled(n);
    },
    async titles() {
      return self.cards.locator('h2 > a').allTextContents();
    },
    async slugs() {
      return self.cards.locator('h2 > a').evaluateAll((as) => as.map((a) => /datasets\/([^/]+)\/index\.html$/.exec(new URL(a.href).pathname)[1]).map(decodeURIComponent));
    },
    // {key: {valueId: count}} of the facets shown, and the checked values
    async facets() {
      return section.locator('fieldset.facet').evaluateAll((fss) => {
        const out = {};
        for (const fs of fss) {
          const vals = {};
          if (!fs.hidden) {
            for (const li of fs.querySelectorAll('li')) {
              const box = li.querySelector('input[type="checkbox"]');
              const count = Number(li.querySelector('.facet-count').textContent.replace(/\D/g, ''));
              vals[box.value] = { count, checked: box.checked, label: li.querySelector('label').textContent };
            }
          }
          out[fs.getAttribute('data-facet')] = vals;
        }
        return out;
      });
    },
  };
  return self;
}

// what a card shows (same extraction for the static and the search cards)
function cardsData(locator) {
  return locator.evaluateAll((lis) => lis.map((li) => ({
    heading: li.querySelector(':scope > h2') ? 'h2' : '?',
    title: li.querySelector('h2 > a').textContent,
    href: li.querySelector('h2 > a').href,
    excerpt: li.querySelector(':scope > p.excerpt') ? li.querySelector(':scope > p.excerpt').textContent : null,
    meta: [...li.querySelectorAll(':scope > dl.card-meta > div')].map((d) => ({
      dt: d.querySelector('dt').textContent,
      dd: d.querySelector('dd').textContent,
      spans: [...d.querySelectorAll('dd span')].map((s) => `${s.className}:${s.textContent}`),
      datetime: d.querySelector('time') ? d.querySelector('time').getAttribute('datetime') : null,
    })),
  })));
}

const countText = (S, n, lang) => (n === 0 ? S.none : n === 1 ? S.one : S.many.replace('{n}', new Intl.NumberFormat(lang).format(n)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

after(async () => {
  if (browser) await browser.close();
});

/* ---------------- the example site ---------------- */
describe(`catalogue search on ${SITE_DIR || '(SITE_DIR unset)'}`, { skip: !SITE_DIR && 'SITE_DIR is not set' }, () => {
  let site, index, S, lang, html, slugIndex;

  before(async () => {
    assert.ok(existsSync(join(SITE_DIR, CATALOGUE)), `${CATALOGUE} not found in ${SITE_DIR}`);
    site = await startServer(SITE_DIR);
    await launch();
    html = await (await harnessFetch(site.origin, '/' + CATALOGUE)).text();
    const m = /<script type="application\/json" id="search-strings">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(m, 'the catalogue page has the search strings');
    S = JSON.parse(m[1]);
    lang = /<html lang="([^"]+)"/.exec(html)[1];
    index = await (await harnessFetch(site.origin, '/search-index.json')).json();
    assert.equal(index.version, 1);
    slugIndex = new Map(index.datasets.map((d, i) => [d.slug, i]));
  });
  after(async () => {
    if (site) await new Promise((r) => site.server.close(r));
  });

  test('enhancement: section shown, index loaded (gzip copy when offered), static list kept while idle', async () => {
    assert.match(html, /<section class="search"[^>]*\bhidden\b/, 'the search section is hidden without JavaScript');
    const { page, rec, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    assert.equal(await x.section.getAttribute('data-search-error'), null, 'no error');
    assert.ok(await x.section.isVisible(), 'section shown');
    assert.ok(await page.locator('label[for="search-q"]').isVisible(), 'visible label');
    assert.equal(await x.status.count(), 1, 'one live region');
    assert.ok(await x.staticList.isVisible(), 'static list shown while no query or filter is active');
    assert.ok(await x.cards.count() === 0 || !(await x.section.locator('.search-results').isVisible()));
    assert.equal(await x.status.textContent(), '', 'nothing announced while idle');
    // facets: fieldset + legend + labelled checkboxes
    for (const key of ['theme', 'keyword', 'publisher', 'format', 'license', 'frequency', 'updated']) {
      const fs = x.facet(key);
      assert.equal(await fs.count(), 1, `facet ${key}`);
      if (await fs.isHidden()) continue;
      assert.equal(await fs.locator('legend').count(), 1);
      const box = fs.locator('input[type="checkbox"]').first();
      assert.ok(await fs.locator(`label[for="${await box.getAttribute('id')}"]`).isVisible(), `${key}: visible label`);
      assert.match(await fs.locator('label').first().textContent(), /\S \(\d[\d\s\u202f\u00a0,.]*\)$/, `${key}: "Label (count)"`);
    }
    // what was read
    await page.waitForLoadState('networkidle');
    const paths = site.log.slice(rec.logStart).map((e) => e.path);
    const gz = /data-index-gz="/.test(html);
    assert.ok(paths.some((p) => p.endsWith(gz ? '/search-index.json.gz' : '/search-index.json')), `index fetched: ${paths}`);
    if (gz) assert.ok(!paths.some((p) => p.endsWith('/search-index.json')), 'the plain index is not fetched when the gzip copy works');
    assert.ok(paths.some((p) => p.endsWith('/assets/vendor/minisearch/minisearch.js')), 'vendored MiniSearch');
    await close();
  });

  test('while the index loads: the loading text in the live region, the static list still there', async () => {
    let release;
    const held = new Promise((r) => { release = r; });
    const { page, close } = await openPage(site, CATALOGUE, {
      waitReady: false,
      setup: (p) => p.route(/\/search-index\.json(\.gz)?$/, async (r) => { await held; return r.continue(); }),
    });
    const x = ui(page);
    await page.waitForFunction(() => { const s = document.querySelector('[data-search]'); return s && !s.hidden; }, null, WAIT);
    assert.equal(await x.status.textContent(), S.loading);
    assert.ok(await x.staticList.isVisible());
    // typing before the index is there: answered once it is
    await x.input.fill('deliberation');
    release();
    await waitReady_(page);
    await page.waitForFunction(() => document.querySelectorAll('.search-results li.dataset-card').length > 0, null, WAIT);
    assert.ok((await x.titles()).includes('Délibérations du conseil municipal'));
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'deliberation', null, WAIT);
    await close();
  });

  test('accents and case: "deliberation" finds "Délibérations du conseil municipal"; cards as the static ones; live region', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    const staticCards = await cardsData(x.staticList.locator('li.dataset-card'));
    for (const q of ['deliberation', 'DÉLIBÉRATIONS', 'Deliberations']) {
      await x.type(q);
      const titles = await x.titles();
      assert.ok(titles.includes('Délibérations du conseil municipal'), `${q}: ${titles}`);
      assert.equal(titles[0], 'Délibérations du conseil municipal', `${q}: the title match ranks first`);
      assert.equal(await x.status.textContent(), countText(S, titles.length, lang), `${q}: live region`);
      assert.ok(await x.staticList.isHidden(), 'static list replaced');
    }
    // the search cards look like the static ones (same markup, texts, links, dates)
    const shown = await cardsData(x.cards);
    for (const c of shown) {
      const s = staticCards.find((sc) => sc.href === c.href);
      assert.ok(s, `static card for ${c.href}`);
      assert.deepEqual(c, s, `card of ${c.title}`);
    }
    // and no match
    await x.type('zzzqqqxw');
    assert.equal(await x.cards.count(), 0);
    assert.equal(await x.status.textContent(), S.none);
    await close();
  });

  test('plurals: "arbre" and "arbres" find the same datasets, "Arbres d\'alignement" first', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    await x.type('arbre');
    const one = await x.slugs();
    await x.type('arbres');
    const many = await x.slugs();
    assert.ok(one.length > 0);
    assert.deepEqual(many, one);
    assert.equal((await x.titles())[0], "Arbres d'alignement");
    // prefix of the word being typed, typo tolerance for longer words
    await x.type('alignem');
    assert.ok((await x.titles()).includes("Arbres d'alignement"), 'prefix');
    await x.type('alignemnt ');
    assert.ok((await x.titles()).includes("Arbres d'alignement"), 'one typo in a long word');
    // every word is required
    await x.type('arbres budget');
    assert.ok(!(await x.titles()).includes("Arbres d'alignement"), 'AND of the words');
    await close();
  });

  test('normalisation: accents, œ, short plurals (no typo tolerance below 5 letters), stop words, prefix', async () => {
    // a few made-up datasets, so that typo tolerance cannot hide a missing rule
    const idx = JSON.parse(JSON.stringify(index));
    const made = [
      ['t-gnous', 'Gnous des plaines'], ['t-yack', 'Yack blanc'], ['t-oeufs', 'Œufs de caille'], ['t-ete', 'Été indien'],
      ['t-eaux', 'Réseaux de zyxwz'],
    ];
    for (const [slug, title] of made) idx.datasets.push({ slug, title });
    const body = Buffer.from(JSON.stringify(idx));
    const { page, close } = await openPage(site, CATALOGUE, {
      setup: (p) => Promise.all([
        p.route(/\/search-index\.json\.gz$/, (r) => r.fulfill({ status: 200, contentType: 'application/gzip', body: gzipSync(body) })),
        p.route(/\/search-index\.json$/, (r) => r.fulfill({ status: 200, contentType: 'application/json', body })),
      ]),
    });
    const x = ui(page);
    const cases = [
      ['gnou ', 't-gnous'], ['GNOUS ', 't-gnous'], ['yacks ', 't-yack'], ['oeuf ', 't-oeufs'], ['OEUFS ', 't-oeufs'],
      ['ete ', 't-ete'], ['été ', 't-ete'], ['reseau zyxwz ', 't-eaux'], ['gnous des plaines ', 't-gnous'],
      ['plaines gn', 't-gnous'], ['cail', 't-oeufs'],
    ];
    for (const [q, slug] of cases) {
      await x.type(q);
      assert.ok((await x.slugs()).includes(slug), `${JSON.stringify(q)} finds ${slug}`);
    }
    for (const q of ['gnou blanc ', 'yak ', 'gno ']) {
      await x.type(q);
      assert.equal((await x.slugs()).filter((s) => s.startsWith('t-')).length, 0, `${JSON.stringify(q)} finds none of the made-up datasets`);
    }
    await close();
  });

  test('facets: a click filters, counts are disjunctive and update, OR within a facet', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    const all = index.datasets.map((_, i) => i);
    // idle counts = counts over every dataset
    let want = expected(index, all, {});
    let got = await x.facets();
    for (const k of FACET_KEYS) {
      const shownCounts = Object.fromEntries(Object.entries(got[k]).map(([id, v]) => [id, v.count]));
      if (k === 'keyword' || k === 'publisher' || k === 'format') {
        // top values only: each shown count is right and they are the largest
        for (const [id, n] of Object.entries(shownCounts)) assert.equal(n, want.counts[k].get(id), `${k}=${id}`);
        const shownMin = Math.min(...Object.values(shownCounts));
        const hidden = [...want.counts[k]].filter(([id]) => !(id in shownCounts));
        for (const [id, n] of hidden) assert.ok(n <= shownMin, `${k}=${id} (${n}) hidden while ${shownMin} is shown`);
      } else {
        assert.deepEqual(shownCounts, Object.fromEntries(want.counts[k]), `idle counts of ${k}`);
      }
    }
    // pick a theme that filters
    const [themeId] = [...want.counts.theme].filter(([, n]) => n < index.datasets.length).sort((a, b) => b[1] - a[1])[0];
    let n = await x.runs();
    await x.box('theme', themeId).check();
    await x.settled(n);
    want = expected(index, all, { theme: new Set([themeId]) });
    assert.deepEqual(await x.slugs(), want.results.map((i) => index.datasets[i].slug), 'filtered results in catalogue order');
    assert.equal(await x.status.textContent(), countText(S, want.results.length, lang));
    assert.match(page.url(), new RegExp(`[?&]theme=${themeId}(&|$)`));
    got = await x.facets();
    for (const k of ['theme', 'license', 'frequency', 'updated']) {
      const shownCounts = Object.fromEntries(Object.entries(got[k]).filter(([, v]) => v.count > 0).map(([id, v]) => [id, v.count]));
      assert.deepEqual(shownCounts, Object.fromEntries(want.counts[k]), `counts of ${k} with theme=${themeId}`);
    }
    assert.ok(got.theme[themeId].checked);
    for (const k of FACET_KEYS) {
      for (const [id, v] of Object.entries(got[k])) assert.ok(v.count > 0 || v.checked, `${k}=${id}: a value with no match is hidden`);
    }
    // a second theme: OR
    const other = [...want.counts.theme].map(([id]) => id).find((id) => id !== themeId);
    n = await x.runs();
    await x.box('theme', other).check();
    await x.settled(n);
    want = expected(index, all, { theme: new Set([themeId, other]) });
    assert.deepEqual(await x.slugs(), want.results.map((i) => index.datasets[i].slug), 'OR within a facet');
    // another facet: AND
    const lic = [...want.counts.license].sort((a, b) => a[1] - b[1])[0][0];
    n = await x.runs();
    await x.box('license', lic).check();
    await x.settled(n);
    want = expected(index, all, { theme: new Set([themeId, other]), license: new Set([lic]) });
    assert.deepEqual(await x.slugs(), want.results.map((i) => index.datasets[i].slug), 'AND between facets');
    got = await x.facets();
    for (const k of FACET_KEYS) {
      for (const [id, v] of Object.entries(got[k])) assert.equal(v.count, want.counts[k].get(id) || 0, `${k}=${id} with two facets`);
    }
    // clear
    await x.section.locator('.search-clear').click();
    await page.waitForFunction(() => !location.search);
    assert.ok(await x.staticList.isVisible());
    assert.ok(await x.input.evaluate((i) => i === document.activeElement), 'focus back in the search box');
    assert.equal((await x.facets()).theme[themeId].checked, false);
    await close();
  });

  test('"show all" keywords: top 10, then the rest (aria-expanded)', async (t) => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    const kw = x.facet('keyword');
    const nonZero = expected(index, index.datasets.map((_, i) => i), {}).counts.keyword.size;
    if (nonZero <= 10) {
      await close();
      return t.skip('10 keywords or fewer');
    }
    const toggle = kw.locator('button.facet-toggle');
    assert.equal(await kw.locator('li').count(), 10);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const list = await toggle.getAttribute('aria-controls');
    assert.equal(await kw.locator(`ul#${list}`).count(), 1, 'aria-controls names the list');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await kw.locator('li').count(), nonZero);
    assert.ok(await toggle.evaluate((b) => b === document.activeElement), 'focus stays on the button');
    await toggle.click();
    assert.equal(await kw.locator('li').count(), 10);
    await close();
  });

  test('URL state: query + facet in the URL, reload restores it, Back restores the previous state; submit does not reload', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    await page.evaluate(() => { window.__sameDocument = true; });
    await x.type('budget');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'budget', null, WAIT); // replaceState, debounced
    const queryOnly = await x.slugs();
    assert.ok(queryOnly.length >= 1);
    const want = expected(index, queryOnly.map((s) => slugIndex.get(s)), {});
    const [themeId] = [...want.counts.theme].sort((a, b) => a[1] - b[1])[0];
    let n = await x.runs();
    await x.box('theme', themeId).check();
    await x.settled(n);
    const both = await x.slugs();
    const wantBoth = expected(index, queryOnly.map((s) => slugIndex.get(s)), { theme: new Set([themeId]) });
    assert.deepEqual(new Set(both), new Set(wantBoth.results.map((i) => index.datasets[i].slug)), 'query AND facet');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'budget');
    assert.deepEqual(url.searchParams.getAll('theme'), [themeId]);
    const statusBoth = await x.status.textContent();
    // reload
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitReady_(page);
    await page.waitForTimeout(300);
    assert.equal(await x.input.inputValue(), 'budget');
    assert.ok(await x.box('theme', themeId).isChecked());
    assert.deepEqual(await x.slugs(), both);
    assert.equal(await x.status.textContent(), statusBoth);
    // Back: the query alone
    n = await x.runs();
    await page.goBack();
    await x.settled(n);
    assert.equal(new URL(page.url()).searchParams.getAll('theme').length, 0);
    assert.equal(await x.input.inputValue(), 'budget');
    assert.equal(await x.box('theme', themeId).isChecked(), false);
    assert.deepEqual(await x.slugs(), queryOnly);
    // Forward again
    n = await x.runs();
    await page.goForward();
    await x.settled(n);
    assert.deepEqual(await x.slugs(), both);
    // submit: no reload, pushState
    await page.evaluate(() => { window.__sameDocument = true; });
    await x.input.fill('eau');
    await x.input.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'eau', null, WAIT);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    await close();
  });

  test('keyboard only: Tab to the search box, type, Tab to a facet, Space toggles it', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    const active = () => page.evaluate(() => {
      const a = document.activeElement;
      return a ? { id: a.id, tag: a.tagName, type: a.type || '', facet: a.closest('fieldset.facet') ? a.closest('fieldset.facet').getAttribute('data-facet') : null } : {};
    });
    let tabs = 0;
    while ((await active()).id !== 'search-q') {
      assert.ok(++tabs < 40, 'the search box is reached with Tab');
      await page.keyboard.press('Tab');
    }
    const n0 = await x.runs();
    await page.keyboard.type('budget');
    await x.settled(n0);
    const before = await x.slugs();
    assert.ok(before.length > 0);
    let a;
    tabs = 0;
    do {
      assert.ok(++tabs < 15, 'a facet checkbox is reached with Tab');
      await page.keyboard.press('Tab');
      a = await active();
    } while (!(a.type === 'checkbox' && a.facet));
    const n1 = await x.runs();
    await page.keyboard.press('Space');
    await x.settled(n1);
    const box = page.locator(`#${a.id}`);
    assert.ok(await box.isChecked(), 'Space checked the box');
    assert.equal((await active()).id, a.id, 'focus stays on the checkbox');
    assert.ok(new URL(page.url()).searchParams.getAll(a.facet).length === 1, 'URL updated');
    const after = await x.slugs();
    assert.ok(after.every((s) => before.includes(s)), 'results filtered');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'budget' && [...new URL(location.href).searchParams.keys()].length === 1, null, WAIT);
    assert.deepEqual(await x.slugs(), before, 'unchecked: back to the query results');
    await close();
  });

  test('home page form: submitting q lands on the catalogue with results', async () => {
    const { page, close } = await openPage(site, 'index.html', { waitReady: false });
    await page.locator('#home-q').fill('deliberation');
    await Promise.all([page.waitForURL(/datasets\/index\.html\?q=deliberation$/, WAIT), page.locator('#home-q').press('Enter')]);
    await waitReady_(page);
    const x = ui(page);
    await page.waitForFunction(() => document.querySelectorAll('.search-results li.dataset-card').length > 0, null, WAIT);
    assert.equal(await x.input.inputValue(), 'deliberation');
    assert.ok((await x.titles()).includes('Délibérations du conseil municipal'));
    assert.equal(await x.status.textContent(), countText(S, await x.cards.count(), lang));
    assert.ok(await x.staticList.isHidden());
    await close();
  });

  test('data from the index is inserted as text, never as HTML', async () => {
    const evil = JSON.parse(JSON.stringify(index));
    const i = slugIndex.get('arbres-alignement') ?? 0;
    evil.datasets[i].title = 'Arbres <img src="/x-injected.png" onerror="window.__xss=1"> zzinjected';
    evil.datasets[i].text = '<b>gras</b> <script>window.__xss=2</script> texte';
    const body = Buffer.from(JSON.stringify(evil));
    const { page, rec, close } = await openPage(site, CATALOGUE, {
      setup: (p) => Promise.all([
        p.route(/\/search-index\.json\.gz$/, (r) => r.fulfill({ status: 200, contentType: 'application/gzip', body: gzipSync(body) })),
        p.route(/\/search-index\.json$/, (r) => r.fulfill({ status: 200, contentType: 'application/json', body })),
      ]),
    });
    const x = ui(page);
    await x.type('zzinjected');
    assert.equal(await x.cards.count(), 1);
    assert.equal(await x.cards.locator('h2 > a').textContent(), evil.datasets[i].title);
    assert.equal(await x.cards.locator('p.excerpt').textContent(), evil.datasets[i].text);
    assert.equal(await x.section.locator('img, b, .search-results script').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.ok(!rec.requests.some((u) => u.includes('x-injected')));
    await close();
  });

  test('failures: without the gzip copy the plain JSON is used; without any index the static list stays', async () => {
    const gz = /data-index-gz="/.test(html);
    if (gz) {
      const a = await openPage(site, CATALOGUE, {
        setup: (p) => p.route(/\/search-index\.json\.gz$/, (r) => r.fulfill({ status: 404, body: 'no' })),
        allowConsole: /Failed to load resource.*404/,
      });
      assert.equal(await a.page.locator('[data-search]').getAttribute('data-search-error'), null);
      await ui(a.page).type('deliberation');
      assert.ok((await ui(a.page).titles()).includes('Délibérations du conseil municipal'));
      await a.close();
    }
    const { page, close } = await openPage(site, CATALOGUE, {
      setup: (p) => p.route(/\/search-index\.json(\.gz)?$/, (r) => r.fulfill({ status: 404, body: 'no' })),
      allowConsole: /Failed to load resource.*404/,
    });
    const x = ui(page);
    assert.equal(await x.section.getAttribute('data-search-error'), '');
    assert.equal(await x.status.textContent(), S.error);
    assert.ok(await x.status.isVisible());
    assert.ok(await x.staticList.isVisible());
    assert.equal(await x.staticList.locator('li.dataset-card').count(), Math.min(20, index.datasets.length));
    assert.ok(await x.input.isHidden(), 'the search form is hidden');
    await close();
  });

  test('the page as enhanced: no axe-core violation (WCAG 2.1 A/AA), valid HTML (Nu Html Checker)', async () => {
    const { page, close } = await openPage(site, CATALOGUE);
    const x = ui(page);
    await x.type('budget');
    const n = await x.runs();
    await x.section.locator('fieldset.facet input[type="checkbox"]').first().check();
    await x.settled(n);
    const dom = await page.content(); // before axe-core is injected
    await page.addScriptTag({ path: AXE });
    const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const v = res.violations.map((r) => `${r.id}: ${r.help} — ${r.nodes.map((nd) => nd.target.join(' ')).join(', ')}`);
    assert.deepEqual(v, [], `axe-core:\n${v.join('\n')}`);
    await close();
    let java = true;
    try { execFileSync('java', ['-version'], { stdio: 'ignore' }); } catch { java = false; }
    if (!java || !existsSync(VNU)) return;
    const dir = await mkdtemp(join(tmpdir(), 'search-vnu-'));
    try {
      await writeFile(join(dir, 'page.html'), dom);
      try {
        execFileSync('java', ['-jar', VNU, '--errors-only', join(dir, 'page.html')], { stdio: 'pipe' });
      } catch (e) {
        assert.fail(`Nu Html Checker on the enhanced page:\n${e.stderr}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('320 px wide: filters folded in "Filtrer", no horizontal overflow', async () => {
    const { page, close } = await openPage(site, CATALOGUE, { viewport: { width: 320, height: 800 } });
    const x = ui(page);
    const details = x.section.locator('details.search-filters');
    assert.equal(await details.evaluate((d) => d.open), false, 'closed on a narrow screen');
    assert.equal((await details.locator('summary').textContent()).trim(), S.filters);
    await x.type('budget');
    await details.locator('summary').click();
    assert.ok(await x.facet('theme').locator('input').first().isVisible());
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= 320, `page width ${w}`);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `search-320-${lang}.png`), fullPage: true });
    await close();
  });
});

/* ---------------- scale ---------------- */
describe(`catalogue search at scale on ${SCALE_SITE_DIR || '(SCALE_SITE_DIR unset)'}`, { skip: !SCALE_SITE_DIR && 'SCALE_SITE_DIR is not set' }, () => {
  let site;
  before(async () => {
    assert.ok(existsSync(join(SCALE_SITE_DIR, SCALE_PAGE)), `${SCALE_PAGE} not found in ${SCALE_SITE_DIR}`);
    for (const f of ['assets/search.js', 'assets/vendor/minisearch/minisearch.js', 'search-index.json']) {
      assert.ok(existsSync(join(SCALE_SITE_DIR, f)), `${f} not found in ${SCALE_SITE_DIR} (built before the search existed?)`);
    }
    site = await startServer(SCALE_SITE_DIR);
    await launch();
  });
  after(async () => {
    if (site) await new Promise((r) => site.server.close(r));
  });

  test('bytes before the search is ready < 500 KB; median keystroke < 50 ms; "more"', async () => {
    const { page, rec, close } = await openPage(site, SCALE_PAGE, { wait: SCALE_WAIT });
    const x = ui(page);
    assert.equal(await x.section.getAttribute('data-search-error'), null, 'search loaded');
    const log = site.log.slice(rec.logStart);
    const bytes = log.reduce((a, e) => a + e.bytes, 0);
    const attrs = await x.section.evaluate((s) => ({
      load: s.getAttribute('data-search-load-ms'), build: s.getAttribute('data-search-build-ms'), first: s.getAttribute('data-search-ms'),
    }));
    const lines = [`bytes read before the search was ready: ${bytes} (${(bytes / KB).toFixed(1)} KiB)`];
    for (const e of log) lines.push(`  ${String(e.bytes).padStart(9)}  ${e.status}  ${e.path}`);
    lines.push(`index fetch + parse: ${attrs.load} ms, MiniSearch index build: ${attrs.build} ms, first search + render: ${attrs.first} ms`);

    const queries = (process.env.SCALE_QUERIES || 'budget|arbres alignement|deliberations conseil|equipements sportifs').split('|');
    const all = [];
    for (const q of queries) {
      await x.input.fill('');
      await x.input.focus();
      const times = [];
      for (const ch of q) {
        const n = await x.runs();
        await page.keyboard.type(ch);
        await page.waitForFunction(([s, k]) => Number(s.getAttribute('data-search-runs')) > k, [await x.section.elementHandle(), n], WAIT);
        times.push(Number(await x.section.getAttribute('data-search-ms')));
      }
      await page.waitForTimeout(500);
      all.push(...times);
      lines.push(`"${q}": ${times.map((t) => t.toFixed(1)).join(' ')} ms → ${await x.status.textContent()}`);
    }
    const med = median(all);
    const max = Math.max(...all);
    lines.push(`keystrokes: ${all.length}, median ${med.toFixed(1)} ms, max ${max.toFixed(1)} ms`);

    // "more": 20 more cards, focus on the first new one, page=2 in the URL, kept on reload
    await x.type(queries[0]);
    const total = Number((await x.status.textContent()).replace(/\D/g, ''));
    if (total > 20) {
      assert.equal(await x.cards.count(), 20);
      await x.section.locator('.search-more').click();
      assert.equal(await x.cards.count(), Math.min(40, total));
      assert.ok(await x.cards.nth(20).locator('h2 > a').evaluate((a) => a === document.activeElement), 'focus on the first new result');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('page') === '2', null, WAIT);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await waitReady_(page, SCALE_WAIT);
      await page.waitForFunction(() => document.querySelectorAll('.search-results li.dataset-card').length > 0, null, WAIT);
      assert.equal(await x.cards.count(), Math.min(40, total), 'page=2 restored');
    }
    console.log(lines.join('\n'));
    await close();
    assert.ok(bytes < 500 * 1000, `bytes before the search is ready: ${bytes} ≥ 500 kB`);
    assert.ok(med < 50, `median keystroke ${med.toFixed(1)} ms ≥ 50 ms`);
  });
});
