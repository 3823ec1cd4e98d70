// Browser test: names and settings a hostile (or careless) publisher controls never run
// script on the portal's own address (issue "Never lose, never leak, part two", items 1-2).
//   - data files named `javascript:alert(document.domain).json` and `javascript:void(0).csv`,
//     in a dataset folder without `resources:`: every link on their page (downloads, the
//     table's JSON and Excel exports) stays a link to a file;
//   - `map_tiles.attribution` holding HTML: the interactive map shows it as text.
// The site is built here from a hostile source folder with the kiosque binary (env KIOSQUE,
// default target/debug/kiosque), served on 127.0.0.1; tile requests (to tiles.invalid, made
// only once the map is opened) are aborted by the harness: nothing leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessFetch, launchChromium, newContext, startServer } from '../lib/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KIOSQUE = process.env.KIOSQUE || join(ROOT, 'target', 'debug', 'kiosque');
const SCRIPT_NAME = 'javascript:alert(document.domain).json';
const SCRIPT_TABLE = 'javascript:void(0).csv';
const ATTRIBUTION = '<img src=x onerror="window.__pwned=1">Tuiles <b>gras</b>';

let work, site, browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiosque-hostile-'));
  const src = join(work, 'site');
  mkdirSync(join(src, 'datasets', 'd'), { recursive: true });
  writeFileSync(join(src, 'site.yaml'), [
    'title: Site hostile',
    'base_url: https://data.exemple.fr/',
    'license: etalab-2.0',
    'publisher: Mairie',
    'map_tiles:',
    "  url: 'https://tiles.invalid/{z}/{x}/{y}.png'",
    `  attribution: '${ATTRIBUTION}'`,
    '',
  ].join('\n'));
  writeFileSync(join(src, 'datasets', 'd', 'dataset.yaml'), 'title: Fichiers aux noms piégés\ndescription: D.\nmodified: 2026-11-01\n');
  writeFileSync(join(src, 'datasets', 'd', SCRIPT_NAME), '[{"nom": "a", "valeur": 1}, {"nom": "b", "valeur": 2}]\n');
  writeFileSync(join(src, 'datasets', 'd', SCRIPT_TABLE), 'nom,valeur\na,1\nb,2\n');
  writeFileSync(join(src, 'datasets', 'd', 'points.csv'), 'nom,latitude,longitude\nA,48.85,2.35\nB,48.86,2.36\n');
  execFileSync(KIOSQUE, ['build', src, '-o', join(work, 'public'), '-q'], { env: { ...process.env, SOURCE_DATE_EPOCH: '1795392000' } });
  site = await startServer(join(work, 'public'));
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (site) await new Promise((r) => site.server.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
});

test('links made from a file name are links to files, never a script', async () => {
  const { context, page } = await newContext(browser);
  await page.goto(`${site.origin}/datasets/d/`);
  const links = await page.$$eval('a[href]', (as) => as.map((a) => ({ raw: a.getAttribute('href'), url: a.href })));
  assert.ok(links.length > 0);
  for (const { raw, url } of links) {
    assert.ok(['http:', 'https:', 'mailto:'].includes(new URL(url).protocol), `${raw} → ${url}`);
  }
  // The file's own links (download, JSON and Excel exports) reach files of the site.
  const own = links.filter(({ url }) => url.startsWith(site.origin) && decodeURIComponent(url).includes('/javascript:'));
  // the two downloads, and the table's JSON and CSV-for-Excel exports
  assert.equal(own.length, 4, JSON.stringify(own));
  for (const { url } of own) await harnessFetch(site.origin, new URL(url).pathname);
  // Clicking the download link navigates to the file and runs nothing.
  await page.evaluate(() => { window.__ran = false; window.alert = () => { window.__ran = true; }; });
  const download = own.find(({ url }) => decodeURIComponent(url).endsWith(SCRIPT_NAME));
  assert.ok(download, JSON.stringify(own));
  await page.goto(download.url);
  assert.equal(new URL(page.url()).pathname, new URL(download.url).pathname);
  await context.close();
});

test('the map attribution is shown as text, not run as HTML', async () => {
  const { context, page, rec } = await newContext(browser, { ignoreConsoleFrom: /tiles\.invalid/ });
  await page.goto(`${site.origin}/datasets/d/`);
  const button = page.locator('.map-open').first();
  await button.click();
  const control = page.locator('.leaflet-control-attribution');
  await control.waitFor({ timeout: 10000 });
  const text = await control.textContent();
  assert.ok(text.includes('<img src=x onerror="window.__pwned=1">Tuiles <b>gras</b>'), text);
  assert.equal(await control.locator('img, b').count(), 0, 'no element made from the attribution');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.ok(rec.external.every((u) => new URL(u).hostname === 'tiles.invalid'), rec.external.join(' '));
  await context.close();
});
