// Generates a small static site that mimics kiosque's output, for developing and
// testing explorer.js:  node make-fixture.mjs [outDir]   (default: ./fixture)
//
//   assets/explorer.js, assets/style.css           (from the default theme's explorer.js and kiosque.css)
//   datasets/budget/index.html   (lang=fr) two tables:
//       budget.csv   2,345 rows x 4 columns, chunk_rows 500 → 5 chunks (in-memory sort/filter)
//       communes.csv 7 rows x 5 columns, 1 chunk
//   datasets/budget/en.html      (lang=en) same two tables
//   datasets/budget-stream/index.html (lang=fr) the same budget data with chunk_rows 50
//       → 47 chunks (> 40: streaming sort/filter), plus a section whose manifest is invalid
//       (the static table must stay untouched)
import { mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, 'fixture'));

// deterministic PRNG (mulberry32)
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261123);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];

export const COMMUNES = [
  'Valmorin', 'Aulne', 'Élancourt-sur-Aulne', 'Saint-Étienne-des-Prés', 'Bourg-la-Reine',
  'Œuilly', 'Les Ânes', 'Montcuq', 'Zèbre-Ville', 'Arçonville', 'Lyons-la-Forêt', 'Ézy-sur-Eure',
];

const frGroup = (intStr) => intStr.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
function frenchDecimal(x, decimals) {
  const neg = x < 0;
  const [i, d] = Math.abs(x).toFixed(decimals).split('.');
  return (neg ? '-' : '') + frGroup(i) + (d ? ',' + d : '');
}
const pad = (n, w = 2) => String(n).padStart(w, '0');

function budgetRows(n) {
  const rows = [];
  for (let r = 0; r < n; r++) {
    const commune = r < COMMUNES.length ? COMMUNES[r] : pick(COMMUNES);
    const effectif = rand() < 0.03 ? 'NA' : String(Math.floor(rand() ** 3 * 250000));
    let montant;
    if (r === 777 || r === 1999) montant = 'n.c.';
    else if (rand() < 0.02) montant = '';
    else {
      const v = (rand() - 0.1) * 2_000_000 * rand() ** 2;
      montant = frenchDecimal(v, rand() < 0.8 ? 2 : 1);
      if (rand() < 0.1) montant = montant.replace(/ /g, '\u202f'); // narrow no-break spaces also occur
    }
    let date = '';
    if (rand() >= 0.02) {
      const y = 1998 + Math.floor(rand() * 30), m = 1 + Math.floor(rand() * 12), d = 1 + Math.floor(rand() * 28);
      date = `${pad(d)}/${pad(m)}/${y}`;
    }
    rows.push([commune, effectif, montant, date]);
  }
  return rows;
}

const COMMUNE_ROWS = [
  ['Valmorin', '12 450', '35.7', 'oui', '2024-03-01T10:15:00Z'],
  ['Aulne', '987', '4.25', 'non', '2024-02-28 08:00'],
  ['Élancourt-sur-Aulne', '31 002', '12.9', 'Non', '2023-12-31T23:59:59+01:00'],
  ['Œuilly', '412', '7', 'oui', ''],
  ['Montcuq', 'NA', '48.05', 'non', '2024-01-15T12:00:00'],
  ['Les Ânes', '58', '0.8', 'OUI', '2024-03-02T07:30:00Z'],
  ['Zèbre-Ville', '150 001', '102.33', 'non', '2022-06-30T00:00:00Z'],
];

function writeTable(dir, { columns, rows, chunkRows, decimal }) {
  mkdirSync(dir, { recursive: true });
  const chunks = Math.ceil(rows.length / chunkRows);
  const manifest = { version: 1, rows: rows.length, chunk_rows: chunkRows, chunks, decimal, columns };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (let c = 0; c < chunks; c++) {
    writeFileSync(join(dir, `chunk-${pad(c, 5)}.json`), JSON.stringify(rows.slice(c * chunkRows, (c + 1) * chunkRows)));
  }
  return manifest;
}

const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const frInt = (n) => frGroup(String(n));

function section({ id, file, manifestPath, columns, rows, lang }) {
  const fr = lang === 'fr';
  const shown = rows.slice(0, 50);
  const num = columns.map((c) => c.type === 'integer' || c.type === 'number');
  const head = columns.map((c, i) => `<th scope="col"${num[i] ? ' class="num"' : ''}>${esc(c.name)}</th>`).join('');
  const body = shown
    .map((r) => '<tr>' + r.map((v, i) => `<td${num[i] ? ' class="num"' : ''}>${esc(v)}</td>`).join('') + '</tr>')
    .join('\n        ');
  const summary = fr
    ? `${frInt(rows.length)} lignes, ${columns.length} colonnes. ${rows.length > 50 ? 'Les 50 premières lignes' : 'Toutes les lignes'} :`
    : `${rows.length.toLocaleString('en')} rows, ${columns.length} columns. ${rows.length > 50 ? 'The first 50 rows' : 'All rows'}:`;
  const caption = fr
    ? `${rows.length > 50 ? 'Les 50 premières lignes' : 'Les lignes'} de ${file}`
    : `${rows.length > 50 ? 'The first 50 rows' : 'The rows'} of ${file}`;
  return `
  <section class="explorer" data-explorer data-manifest="${esc(manifestPath)}" aria-labelledby="x-${id}-h">
    <h3 id="x-${id}-h">${fr ? 'Aperçu' : 'Preview'} : ${esc(file)}</h3>
    <p class="explorer-summary">${esc(summary)}</p>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="x-${id}-h">
      <table class="preview">
        <caption>${esc(caption)}</caption>
        <thead><tr>${head}</tr></thead>
        <tbody>
        ${body}
        </tbody>
      </table>
    </div>
  </section>`;
}

function page({ lang, title, sections }) {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="../../assets/style.css">
<script src="../../assets/explorer.js" defer></script>
</head>
<body>
<main>
  <h1>${esc(title)}</h1>
  <h2>${lang === 'fr' ? 'Fichiers' : 'Files'}</h2>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

const THEME_CSS = `/* minimal stand-in for kiosque's theme */
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1a1a1a; background: #fff; line-height: 1.5; }
table.preview { border-collapse: collapse; }
table.preview th, table.preview td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; white-space: nowrap; }
table.preview td.num, table.preview th.num { text-align: right; }
caption { text-align: left; font-weight: 600; }
.table-wrap { overflow-x: auto; }
`;

export function makeFixture(dir = out) {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'explorer.js'), readFileSync(join(here, '..', '..', 'themes', 'default', 'assets', 'explorer.js')));
  writeFileSync(join(dir, 'assets', 'style.css'), THEME_CSS + '\n' + readFileSync(join(here, '..', '..', 'themes', 'default', 'assets', 'kiosque.css'), 'utf8'));

  const budget = budgetRows(2345);
  const budgetCols = [
    { name: 'commune', type: 'string', values: [...COMMUNES].sort() },
    { name: 'effectif', type: 'integer' },
    { name: 'montant', type: 'number' },
    { name: 'date', type: 'date' },
  ];
  const communeCols = [
    { name: 'nom', type: 'string', values: COMMUNE_ROWS.map((r) => r[0]).sort() },
    { name: 'population', type: 'integer' },
    { name: 'superficie_km2', type: 'number' },
    { name: 'littoral', type: 'boolean', values: ['Non', 'OUI', 'non', 'oui'] },
    { name: 'mise_a_jour', type: 'datetime' },
  ];

  const ds = join(dir, 'datasets', 'budget');
  writeTable(join(ds, 'preview', 'budget'), { columns: budgetCols, rows: budget, chunkRows: 500, decimal: ',' });
  writeTable(join(ds, 'preview', 'communes'), { columns: communeCols, rows: COMMUNE_ROWS, chunkRows: 500, decimal: '.' });
  for (const lang of ['fr', 'en']) {
    const sections = [
      section({ id: 'budget', file: 'budget.csv', manifestPath: 'preview/budget/manifest.json', columns: budgetCols, rows: budget, lang }),
      section({ id: 'communes', file: 'communes.csv', manifestPath: 'preview/communes/manifest.json', columns: communeCols, rows: COMMUNE_ROWS, lang }),
    ];
    const title = lang === 'fr' ? 'Budget des communes' : 'Municipal budgets';
    writeFileSync(join(ds, lang === 'fr' ? 'index.html' : 'en.html'), page({ lang, title, sections }));
  }

  const st = join(dir, 'datasets', 'budget-stream');
  writeTable(join(st, 'preview', 'budget'), { columns: budgetCols, rows: budget, chunkRows: 50, decimal: ',' });
  mkdirSync(join(st, 'preview', 'broken'), { recursive: true });
  writeFileSync(join(st, 'preview', 'broken', 'manifest.json'), JSON.stringify({ version: 99 }));
  writeFileSync(join(st, 'index.html'), page({
    lang: 'fr',
    title: 'Budget (lecture en flux)',
    sections: [
      section({ id: 'budget', file: 'budget.csv', manifestPath: 'preview/budget/manifest.json', columns: budgetCols, rows: budget, lang: 'fr' }),
      section({ id: 'broken', file: 'casse.csv', manifestPath: 'preview/broken/manifest.json', columns: communeCols, rows: COMMUNE_ROWS, lang: 'fr' }),
    ],
  }));

  writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fixture</title><link rel="icon" href="data:,"></head><body>
<ul><li><a href="datasets/budget/index.html">budget (fr)</a></li><li><a href="datasets/budget/en.html">budget (en)</a></li><li><a href="datasets/budget-stream/index.html">budget (flux)</a></li></ul>
</body></html>\n`);
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log('fixture written to', makeFixture());
}
