/*! kiosque catalogue search — progressive enhancement of the catalogue page.
 *
 * Plain ES2019+, no build step. Served as assets/search.js, after the vendored
 * MiniSearch (assets/vendor/minisearch/minisearch.js, defines window.MiniSearch).
 *
 * HTML contract (templates/catalogue.html; the page works without JavaScript):
 *   <section class="search" data-search data-index="ROOT/search-index.json"
 *            [data-index-gz="ROOT/search-index.json.gz"] data-root="ROOT/" hidden>
 *     … <form class="search-form"> with input#search-q[name=q] …
 *     <script type="application/json" id="search-strings">{…interface texts…}</script>
 *   </section>
 *   <div data-all-datasets>…the static, paginated list…</div>
 * The script unhides the section, loads the index (the gzip copy first when
 * data-index-gz is given and the browser has DecompressionStream, else the plain
 * JSON; see src/search.rs for its format), builds a MiniSearch index once, then
 * answers every keystroke and every filter change in the page:
 *   - full text (title, keywords, column names, publisher, description), accents,
 *     case, œ/æ and simple plurals ignored, prefix search on the word being typed,
 *     light typo tolerance on words of 5 letters or more, all words required;
 *   - facets (themes, keywords, publisher, formats, licence, frequency, updated in
 *     the last 3/6/12 months): OR within a facet, AND between facets; the count of a
 *     value is computed over the results of the query and of the *other* facets;
 *   - the state lives in the URL (?q=…&theme=…&page=2): replaceState while typing,
 *     pushState on a filter change or a submit, restored on popstate and on load.
 * While no query and no filter is active the static list stays; otherwise the
 * matches replace it, 20 at a time, as the same cards (partials/dataset_card.html).
 * Data from the index is only ever inserted as text (textContent / DOM APIs).
 * On failure (index missing, MiniSearch missing) the error text is shown and the
 * static list is left as it is.
 * For tests and measurement the section gets data-search-ready once usable,
 * data-search-ms (duration of the last search + render, ms), data-search-runs (count
 * of searches), data-search-load-ms (fetch + parse) and data-search-build-ms.
 */
(() => {
  'use strict';

  const PAGE_SIZE = 20;
  const TOP_VALUES = 10; // values shown by facets with many values until "show all"
  const URL_DEBOUNCE_MS = 150;
  const ANNOUNCE_DEBOUNCE_MS = 400;
  const EXCERPT_CHARS = 220; // as the static cards (render/mod.rs)
  const WIDE = '(min-width: 48em)'; // filters open by default from this width

  /* Facets, in display order. `param` is the URL parameter, `legend` a string key.
   * sort: 'label' (alphabetical), 'count' (most frequent first), 'fixed' (index order).
   * `top`: only the first values are shown until the "show all" button is pressed. */
  const FACETS = [
    { key: 'theme', legend: 'themes', sort: 'label' },
    { key: 'keyword', legend: 'keywords', sort: 'count', top: TOP_VALUES },
    { key: 'publisher', legend: 'publisher', sort: 'count', top: TOP_VALUES },
    { key: 'format', legend: 'format', sort: 'label', top: TOP_VALUES },
    { key: 'license', legend: 'license', sort: 'label' },
    { key: 'frequency', legend: 'frequency', sort: 'label' },
    { key: 'updated', legend: 'updated', sort: 'fixed' },
  ];
  const UPDATED = [3, 6, 12]; // months

  /* ---------- Text normalisation (index and query sides) ---------- */
  const COMBINING = /[\u0300-\u036f]/g;
  const SEPARATORS = /[\n\r\p{Z}\p{P}]+/u; // MiniSearch's default tokenizer
  const ENDS_WITH_SEPARATOR = /[\n\r\p{Z}\p{P}]$/u;
  const STOP_WORDS = new Set([
    'a', 'au', 'aux', 'd', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les', 'un', 'une', 'ou',
    'an', 'and', 'in', 'of', 'on', 'the', 'to', 'for',
  ]);
  // accents, case and ligatures: "Délibérations", "DELIBERATIONS" → "deliberations", "Œuvres" → "oeuvres"
  const fold = (s) => s.normalize('NFD').replace(COMBINING, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  // simple plurals: "arbres" → "arbre", "réseaux" → "reseau"
  const stem = (t) => (t.length > 3 && (t.endsWith('s') || t.endsWith('x')) ? t.slice(0, -1) : t);
  const isStopWord = (t) => STOP_WORDS.has(t) || (t.length === 1 && !/\d/.test(t));
  // index side: the field is folded once (stringifyField), each token is then stemmed
  const SHORT_PREFIX = 2; // a word being typed of at most this length is a filter, see queryTerms

  /* The query: MiniSearch terms with the prefix flag of each, and `short`. The word
   * being typed (the last one, unless followed by a separator) is searched as a
   * prefix. Stop words are left out, and so are single letters once typed; while
   * typed, a stop word is left out too, and a word of one or two letters is not
   * given to MiniSearch (such a prefix matches a large part of the vocabulary, which
   * is slow: 40 ms and more for 10,000 datasets) but returned as `short`, for a
   * filter on the one- and two-letter prefixes of every dataset's words. */
  function queryTerms(q) {
    const tokens = fold(q).split(SEPARATORS).filter(Boolean);
    const open = q !== '' && !ENDS_WITH_SEPARATOR.test(q);
    const terms = [];
    let short = '';
    tokens.forEach((t, i) => {
      const typing = open && i === tokens.length - 1;
      if (typing && !STOP_WORDS.has(t) && t.length <= SHORT_PREFIX) short = t;
      else if (!isStopWord(t)) terms.push({ term: stem(t), prefix: typing });
    });
    return { terms, short };
  }

  /* ---------- Small DOM helpers ---------- */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The description cut as the static cards cut it (markdown::excerpt in Rust).
  function excerpt(text) {
    const chars = Array.from(text);
    if (chars.length <= EXCERPT_CHARS) return text;
    let cut = chars.slice(0, EXCERPT_CHARS).join('');
    const sp = cut.lastIndexOf(' ');
    if (sp > EXCERPT_CHARS / 2) cut = cut.slice(0, sp);
    return cut.replace(/[,;:. ]+$/, '') + '…';
  }

  function isoDay(d) {
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  /* ---------- Index loading ---------- */
  async function fetchJSON(url) {
    const r = await fetch(url, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  }

  // The gzip copy, decompressed in the page. A server that already decoded it
  // (Content-Encoding: gzip) hands over plain JSON: recognised by the magic bytes.
  async function fetchGzJSON(url) {
    const r = await fetch(url, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }

  async function loadIndex(section) {
    const gz = section.getAttribute('data-index-gz');
    if (gz && typeof DecompressionStream === 'function') {
      try {
        return await fetchGzJSON(gz);
      } catch (e) {
        /* fall back to the plain JSON */
      }
    }
    return fetchJSON(section.getAttribute('data-index'));
  }

  /* ---------- The search ---------- */
  function init(section) {
    const root = section.getAttribute('data-root') || '';
    const lang = (document.documentElement.lang || 'fr').toLowerCase();
    // The interface texts, in the page's language (theme i18n files, through the template).
    let given = {};
    try {
      const s = section.querySelector('#search-strings');
      if (s) given = JSON.parse(s.textContent);
    } catch (e) {
      given = {};
    }
    const S = {};
    for (const [k, v] of Object.entries(given)) if (typeof v === 'string') S[k] = v;

    const numberFmt = new Intl.NumberFormat(lang);
    const dateFmt = new Intl.DateTimeFormat(lang, lang.startsWith('en')
      ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
      : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
    const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
    const countText = (n) => (n === 0 ? S.none : n === 1 ? S.one : S.many.replace('{n}', numberFmt.format(n)));
    const formatDate = (iso) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
      return m ? dateFmt.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))) : iso;
    };

    const form = section.querySelector('form');
    const input = section.querySelector('#search-q') || section.querySelector('input[type="search"]');
    const staticList = document.querySelector('[data-all-datasets]');
    if (!form || !input) return;

    /* interface built around the form */
    const status = el('p', 'search-status');
    status.id = 'search-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    const clearBtn = el('button', 'search-clear', S.clear);
    clearBtn.type = 'button';
    clearBtn.hidden = true;
    const bar = el('div', 'search-bar');
    bar.append(status, clearBtn);
    const filters = el('details', 'search-filters');
    const summary = el('summary', null, S.filters);
    const facetBox = el('div', 'search-facets');
    filters.append(summary, facetBox);
    filters.hidden = true;
    const results = el('div', 'search-results');
    results.hidden = true;
    const list = el('ul', 'dataset-list');
    list.id = 'search-results-list';
    const moreBtn = el('button', 'search-more', S.more);
    moreBtn.type = 'button';
    moreBtn.hidden = true;
    results.append(list, moreBtn);
    form.after(bar, filters, results);
    section.hidden = false;

    /* state */
    const state = { q: '', page: 1 };
    let ready = false;
    let data = null; // the index JSON
    let ms = null; // the MiniSearch instance
    let facets = []; // runtime facets
    let matches = []; // ids (positions in data.datasets) of the current results
    let shown = 0;
    let urlTimer = 0;
    let announceTimer = 0;
    let runs = 0;

    function announce(text, delay) {
      clearTimeout(announceTimer);
      if (delay) announceTimer = setTimeout(() => { status.textContent = text; }, delay);
      else status.textContent = text;
    }

    /* ----- URL state ----- */
    function readURL() {
      const p = new URLSearchParams(location.search);
      state.q = p.get('q') || '';
      const page = parseInt(p.get('page') || '1', 10);
      state.page = Number.isFinite(page) && page > 1 ? Math.min(page, 1000) : 1;
      for (const f of facets) {
        f.sel.clear();
        for (const id of p.getAll(f.key)) {
          const v = f.byId.get(id);
          if (v !== undefined) f.sel.add(v);
        }
      }
    }
    function pendingParams() {
      // before the index is there, facet parameters of the URL are kept as they are
      return ready ? null : new URLSearchParams(location.search);
    }
    function urlOf() {
      const p = new URLSearchParams();
      if (state.q.trim()) p.set('q', state.q.trim());
      const old = pendingParams();
      if (old) {
        for (const f of FACETS) for (const id of old.getAll(f.key)) p.append(f.key, id);
      } else {
        for (const f of facets) {
          for (const v of [...f.sel].sort((a, b) => a - b)) p.append(f.key, f.values[v].id);
        }
      }
      if (state.page > 1 && [...p.keys()].length) p.set('page', String(state.page));
      const qs = p.toString();
      return location.pathname + (qs ? `?${qs}` : '') + location.hash;
    }
    function writeURL(push) {
      clearTimeout(urlTimer);
      urlTimer = 0;
      const url = urlOf();
      if (url === location.pathname + location.search + location.hash) return;
      try {
        if (push) history.pushState(null, '', url);
        else history.replaceState(null, '', url);
      } catch (e) {
        /* e.g. file: URLs in some browsers: the search still works */
      }
    }
    function flushURL() {
      if (urlTimer) writeURL(false);
    }

    /* ----- facets ----- */
    function buildFacets() {
      const n = data.datasets.length;
      const none = [];
      const now = new Date();
      const cuts = UPDATED.map((m) => {
        const d = new Date(now.getFullYear(), now.getMonth(), now.getDate());
        d.setMonth(d.getMonth() - m);
        return isoDay(d);
      });
      facets = FACETS.map((spec) => {
        let values;
        const docVals = new Array(n);
        if (spec.key === 'updated') {
          values = UPDATED.map((m) => ({ id: String(m), label: S[`updated_${m}`] }));
          const sets = UPDATED.map((_, i) => UPDATED.map((__, j) => j).slice(i)); // [0,1,2], [1,2], [2]
          data.datasets.forEach((d, i) => {
            const day = typeof d.modified === 'string' ? d.modified.slice(0, 10) : '';
            const b = day ? cuts.findIndex((c) => day >= c) : -1;
            docVals[i] = b >= 0 ? sets[b] : none;
          });
        } else {
          values = (data.facets && Array.isArray(data.facets[spec.key]) ? data.facets[spec.key] : [])
            .map((v) => ({ id: String(v.id), label: String(v.label == null ? v.id : v.label) }));
          const valid = (v, k, arr) => Number.isInteger(v) && v >= 0 && v < values.length && arr.indexOf(v) === k;
          data.datasets.forEach((d, i) => {
            const raw = d[spec.key];
            const arr = Array.isArray(raw) ? raw : Number.isInteger(raw) ? [raw] : none;
            // positions in range, each once (a dataset counts once per value)
            docVals[i] = arr.every(valid) ? arr : arr.filter(valid);
          });
        }
        const byId = new Map(values.map((v, i) => [v.id, i]));
        const order = values.map((_, i) => i);
        if (spec.sort === 'label' || spec.sort === 'count') order.sort((a, b) => collator.compare(values[a].label, values[b].label));
        const rank = new Int32Array(values.length);
        order.forEach((v, r) => { rank[v] = r; });
        return {
          ...spec, values, byId, docVals, order, rank, sel: new Set(),
          counts: new Int32Array(values.length), expanded: false, items: new Array(values.length),
          fieldset: null, ul: null, toggle: null,
        };
      });
      // DOM: one fieldset per facet
      for (const f of facets) {
        const fs = el('fieldset', 'facet');
        fs.setAttribute('data-facet', f.key);
        fs.append(el('legend', null, S[f.legend]));
        f.ul = el('ul', 'facet-values');
        f.ul.id = `search-facet-${f.key}`;
        fs.append(f.ul);
        if (f.top) {
          f.toggle = el('button', 'facet-toggle');
          f.toggle.type = 'button';
          f.toggle.setAttribute('aria-expanded', 'false');
          f.toggle.setAttribute('aria-controls', f.ul.id);
          f.toggle.hidden = true;
          f.toggle.addEventListener('click', () => {
            f.expanded = !f.expanded;
            renderFacet(f);
          });
          fs.append(f.toggle);
        }
        f.fieldset = fs;
        facetBox.append(fs);
      }
      filters.hidden = false;
    }

    function item(f, v) {
      let it = f.items[v];
      if (it) return it;
      const li = el('li', 'facet-value');
      const box = el('input');
      box.type = 'checkbox';
      box.id = `search-${f.key}-${v}`;
      box.value = f.values[v].id;
      box.setAttribute('data-facet', f.key);
      box.setAttribute('data-value', String(v));
      const label = el('label');
      label.htmlFor = box.id;
      const count = el('span', 'facet-count');
      label.append(document.createTextNode(f.values[v].label), document.createTextNode(' '), count);
      li.append(box, label);
      it = { li, box, count, n: -1 };
      f.items[v] = it;
      return it;
    }

    function renderFacet(f) {
      const focused = document.activeElement;
      const visible = [];
      for (const v of f.order) {
        if (f.counts[v] > 0 || f.sel.has(v) || (f.items[v] && f.items[v].box === focused)) visible.push(v);
      }
      if (f.sort === 'count') visible.sort((a, b) => f.counts[b] - f.counts[a] || f.rank[a] - f.rank[b]);
      let wanted = visible;
      const collapsible = f.top && visible.length > f.top;
      if (collapsible && !f.expanded) {
        wanted = visible.filter((v, i) => i < f.top || f.sel.has(v) || (f.items[v] && f.items[v].box === focused));
      }
      f.fieldset.hidden = visible.length === 0;
      // reuse the elements (a focused checkbox stays focused), move only what must move
      let cur = f.ul.firstChild;
      for (const v of wanted) {
        const it = item(f, v);
        if (it.n !== f.counts[v]) {
          it.n = f.counts[v];
          it.count.textContent = `(${numberFmt.format(it.n)})`;
        }
        const on = f.sel.has(v);
        if (it.box.checked !== on) it.box.checked = on;
        if (it.li === cur) cur = cur.nextSibling;
        else f.ul.insertBefore(it.li, cur);
      }
      while (cur) {
        const next = cur.nextSibling;
        f.ul.removeChild(cur);
        cur = next;
      }
      if (focused && focused !== document.activeElement && focused.isConnected) focused.focus();
      f.ul.classList.toggle('facet-values-all', Boolean(collapsible && f.expanded));
      if (f.toggle) {
        f.toggle.hidden = !collapsible;
        f.toggle.setAttribute('aria-expanded', String(f.expanded));
        f.toggle.textContent = f.expanded ? S.show_less : S.show_all.replace('{n}', numberFmt.format(visible.length));
      }
    }

    /* ----- search ----- */
    const FIELDS = ['title', 'keywords', 'publisher', 'columns', 'text'];
    function fieldText(i, field) {
      const d = data.datasets[i];
      switch (field) {
        case 'id': return i;
        case 'title': return d.title;
        case 'text': return d.text;
        case 'keywords': {
          const kw = data.facets.keyword || [];
          return Array.isArray(d.keyword) ? d.keyword.map((k) => (kw[k] ? kw[k].label : '')).join(' ; ') : undefined;
        }
        case 'publisher': {
          const p = (data.facets.publisher || [])[d.publisher];
          return p ? p.label : undefined;
        }
        case 'columns': {
          const cols = data.columns || [];
          return Array.isArray(d.columns) ? d.columns.map((c) => cols[c] || '').join(' ; ') : undefined;
        }
        default: return undefined;
      }
    }

    // the datasets having a word that starts with a given one- or two-letter prefix, as bit sets
    let prefixBits = new Map();
    let current = 0; // the dataset being indexed
    function markPrefixes(t) {
      for (let len = 1; len <= SHORT_PREFIX && len <= t.length; len++) {
        const key = t.slice(0, len);
        let bits = prefixBits.get(key);
        if (!bits) {
          bits = new Uint32Array((data.datasets.length + 31) >>> 5);
          prefixBits.set(key, bits);
        }
        bits[current >>> 5] |= 1 << (current & 31);
      }
    }

    async function buildIndex() {
      const ids = data.datasets.map((_, i) => i);
      prefixBits = new Map();
      ms = new window.MiniSearch({
        idField: 'id',
        fields: FIELDS,
        storeFields: [],
        // MiniSearch reads the id first, then the fields, one dataset at a time
        extractField: (i, field) => {
          if (field === 'id') current = i;
          return fieldText(i, field);
        },
        stringifyField: (v) => fold(String(v)),
        processTerm: (t) => {
          if (!t) return null;
          markPrefixes(t);
          return isStopWord(t) ? null : stem(t);
        },
      });
      // in slices, so that the page stays responsive with thousands of datasets
      await ms.addAllAsync(ids, { chunkSize: 500 });
    }

    // {ids: dataset positions by score, or null for all in catalogue order; bits: short prefix filter}
    function searchIds(q) {
      const { terms, short } = queryTerms(q);
      const bits = short ? prefixBits.get(short) || new Uint32Array(1) : null;
      if (!terms.length) return { ids: null, bits };
      const found = ms.search(terms.map((t) => t.term).join(' '), {
        combineWith: 'AND',
        processTerm: (t) => t,
        prefix: (t, i) => terms[i].prefix,
        fuzzy: (t) => (t.length >= 5 ? 0.15 : false),
        boost: { title: 5, keywords: 3, publisher: 2, columns: 1.5, text: 1 },
      });
      return { ids: found.map((r) => r.id), bits };
    }

    const hasAny = (arr, set) => {
      for (let k = 0; k < arr.length; k++) if (set.has(arr[k])) return true;
      return false;
    };

    // results of the query and the filters, and the disjunctive counts of every facet
    function compute() {
      const { ids: found, bits } = state.q.trim() ? searchIds(state.q) : { ids: null, bits: null };
      const n = found ? found.length : data.datasets.length;
      const active = facets.filter((f) => f.sel.size);
      for (const f of facets) f.counts.fill(0);
      const out = [];
      const add = (f, i) => {
        const vals = f.docVals[i];
        for (let k = 0; k < vals.length; k++) f.counts[vals[k]]++;
      };
      for (let j = 0; j < n; j++) {
        const i = found ? found[j] : j;
        if (bits && !((bits[i >>> 5] >>> (i & 31)) & 1)) continue;
        let fails = 0;
        let failed = null;
        for (let a = 0; a < active.length; a++) {
          if (!hasAny(active[a].docVals[i], active[a].sel)) {
            failed = active[a];
            if (++fails > 1) break;
          }
        }
        if (fails === 0) {
          out.push(i);
          for (let k = 0; k < facets.length; k++) add(facets[k], i);
        } else if (fails === 1) {
          add(failed, i);
        }
      }
      return out;
    }

    const isActive = () => state.q.trim() !== '' || facets.some((f) => f.sel.size > 0);

    function card(i) {
      const d = data.datasets[i];
      const li = el('li', 'dataset-card');
      const h = el('h2');
      const a = el('a', null, d.title);
      a.href = `${root}datasets/${encodeURIComponent(d.slug)}/index.html`;
      h.append(a);
      li.append(h);
      if (d.late) li.append(el('p', 'badge badge-late', S.late_badge));
      if (d.text) li.append(el('p', 'excerpt', excerpt(d.text)));
      const dl = el('dl', 'card-meta');
      const meta = (term, ...nodes) => {
        const div = el('div');
        const dd = el('dd');
        nodes.forEach((node, k) => {
          if (k) dd.append(' ');
          dd.append(node);
        });
        div.append(el('dt', null, term), dd);
        dl.append(div);
      };
      const labels = (key, ids) => (Array.isArray(ids) ? ids : Number.isInteger(ids) ? [ids] : [])
        .map((v) => (data.facets[key] || [])[v]).filter(Boolean).map((v) => v.label);
      const th = labels('theme', d.theme);
      if (th.length) meta(S.themes, ...th.map((t) => el('span', 'tag', t)));
      const fm = labels('format', d.format);
      if (fm.length) meta(S.formats, ...fm.map((t) => el('span', 'format', t)));
      const lic = labels('license', d.license);
      if (lic.length) meta(S.license_label, lic[0]);
      if (d.modified) {
        const t = el('time', null, formatDate(d.modified));
        t.dateTime = d.modified;
        meta(S.last_update, t);
      }
      if (dl.firstChild) li.append(dl);
      return li;
    }

    function appendCards(upto) {
      const frag = document.createDocumentFragment();
      const first = shown;
      for (; shown < Math.min(upto, matches.length); shown++) frag.append(card(matches[shown]));
      list.append(frag);
      moreBtn.hidden = shown >= matches.length;
      return first;
    }

    // search + facet counts + rendering; `announceDelay` debounces the live region
    function run(announceDelay) {
      if (!ready) return;
      const t0 = performance.now();
      matches = compute();
      for (const f of facets) renderFacet(f);
      const active = isActive();
      const nFilters = facets.reduce((a, f) => a + f.sel.size, 0);
      summary.textContent = nFilters ? `${S.filters} (${numberFmt.format(nFilters)})` : S.filters;
      clearBtn.hidden = !active;
      list.textContent = '';
      shown = 0;
      if (active) {
        const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
        if (state.page > pages) state.page = pages;
        appendCards(state.page * PAGE_SIZE);
      } else {
        state.page = 1;
        moreBtn.hidden = true;
      }
      results.hidden = !active;
      if (staticList) staticList.hidden = active;
      const dt = performance.now() - t0;
      runs += 1;
      section.setAttribute('data-search-ms', dt.toFixed(2));
      section.setAttribute('data-search-runs', String(runs));
      announce(active ? countText(matches.length) : '', active ? announceDelay : 0);
    }

    /* ----- events ----- */
    input.addEventListener('input', () => {
      state.q = input.value;
      state.page = 1;
      run(ANNOUNCE_DEBOUNCE_MS);
      clearTimeout(urlTimer);
      urlTimer = setTimeout(() => writeURL(false), URL_DEBOUNCE_MS);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(urlTimer);
      urlTimer = 0;
      const changed = state.q !== input.value;
      state.q = input.value;
      if (changed) state.page = 1;
      writeURL(true);
      run(0);
    });
    facetBox.addEventListener('change', (e) => {
      const box = e.target;
      if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-facet')) return;
      const f = facets.find((x) => x.key === box.getAttribute('data-facet'));
      const v = Number(box.getAttribute('data-value'));
      if (!f) return;
      flushURL(); // the entry being left keeps the query typed so far
      if (box.checked) f.sel.add(v);
      else f.sel.delete(v);
      state.page = 1;
      writeURL(true);
      run(0);
    });
    clearBtn.addEventListener('click', () => {
      flushURL();
      state.q = '';
      input.value = '';
      state.page = 1;
      for (const f of facets) f.sel.clear();
      writeURL(true);
      run(0);
      input.focus();
    });
    moreBtn.addEventListener('click', () => {
      const first = appendCards(shown + PAGE_SIZE);
      state.page = Math.ceil(shown / PAGE_SIZE);
      writeURL(false);
      const link = list.children[first] && list.children[first].querySelector('a');
      if (link) link.focus();
      else input.focus();
    });
    window.addEventListener('popstate', () => {
      clearTimeout(urlTimer);
      urlTimer = 0;
      readURL();
      input.value = state.q;
      run(0);
    });

    /* ----- start ----- */
    {
      const p = new URLSearchParams(location.search);
      state.q = p.get('q') || '';
      if (state.q && !input.value) input.value = state.q;
    }
    announce(S.loading, 0);
    const t0 = performance.now();
    (async () => {
      try {
        if (typeof window.MiniSearch !== 'function') throw new Error('MiniSearch is missing');
        data = await loadIndex(section);
        if (!data || !Array.isArray(data.datasets)) throw new Error('unexpected search index');
        if (!data.facets) data.facets = {};
        const t1 = performance.now();
        section.setAttribute('data-search-load-ms', (t1 - t0).toFixed(0));
        buildFacets();
        await buildIndex();
        section.setAttribute('data-search-build-ms', (performance.now() - t1).toFixed(0));
      } catch (err) {
        form.hidden = true;
        filters.hidden = true;
        results.hidden = true;
        clearBtn.hidden = true;
        if (staticList) staticList.hidden = false;
        announce(S.error, 0);
        section.setAttribute('data-search-error', '');
        return;
      }
      const typed = input.value; // what was typed while the index loaded wins over the URL
      readURL();
      if (typed !== state.q) {
        state.q = typed;
        state.page = 1;
      }
      ready = true;
      filters.open = window.matchMedia(WIDE).matches || facets.some((f) => f.sel.size > 0);
      run(0);
      if (typed !== (new URLSearchParams(location.search).get('q') || '')) writeURL(false);
      section.setAttribute('data-search-ready', '');
    })();
  }

  function start() {
    document.querySelectorAll('[data-search]').forEach((s) => init(s));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
