/*! kiosque table explorer — progressive enhancement of static dataset previews.
 *
 * Vanilla ES2020, no dependencies, no build step. Served as assets/explorer.js.
 *
 * HTML contract (rendered by the Rust side; readable without JavaScript):
 *   <section class="explorer" data-explorer data-manifest="preview/NAME/manifest.json" aria-labelledby="H">
 *     <h3 id="H">…</h3>
 *     <p class="explorer-summary">…</p>                       (optional; text is replaced)
 *     <div class="table-wrap" tabindex="0" role="region" aria-labelledby="H-table">
 *       <table class="preview"><caption id="H-table">…</caption><thead>…</thead><tbody>…</tbody></table>
 *     </div>
 *   </section>
 * data-manifest is resolved against the page URL and must be same-origin.
 * Nothing in the section is changed until the manifest and the first chunk(s) have
 * loaded; on any failure the static table stays as it is.
 * Once enhanced, the section gets the attribute data-explorer-ready, and
 * data-explorer-busy while an operation (page load, sort, filter) runs.
 *
 * Data files (per table, in the manifest's folder): manifest.json
 *   {version:1, rows, chunk_rows, chunks, decimal, columns:[{name,type,values?}]}
 * and chunk-00000.json … : JSON arrays of rows (arrays of trimmed cell strings or null).
 *
 * Loading strategy
 * ----------------
 * - Unfiltered, unsorted browsing only fetches the chunk(s) covering the page shown
 *   (an LRU cache keeps at most CACHE_CHUNKS chunks). The first page needs only the
 *   manifest and chunk 0 (with chunk_rows >= PAGE_SIZE).
 * - Sorting or filtering a table of at most MEMORY_CHUNKS chunks loads every chunk,
 *   one after the other (progress shown in the live region, cancellable), keeps them
 *   in memory and sorts/filters there (stable Array#sort with the row index as tie-breaker).
 * - Above MEMORY_CHUNKS chunks nothing is kept beyond the LRU cache and the result
 *   window; chunks are streamed one at a time:
 *     * filtering alone collects the indices (row numbers) of matching rows, plus the rows
 *       of the page being shown; other pages are then fetched through the cache by index;
 *     * sorting (with or without filter) keeps a bounded top-K in a binary heap whose
 *       root is the worst kept row, K = rows needed to show the requested page, rounded
 *       up to PAGE_SIZE * 10 so that "Next" rarely triggers a new pass, capped at
 *       SORT_LIMIT: pages past the first SORT_LIMIT sorted rows are not offered and the
 *       status says that sorting is limited. Paging past K re-reads the file with a larger K.
 *   Progress ("Lecture 12/250…") goes to the live region (throttled) with a Stop button.
 * Typed parsing follows the Rust side: see NULL_TOKENS, parseNumber, parseDate,
 * parseDateTime, parseBool. Unparseable typed cells are shown as written and sort
 * after parsed ones; nulls sort last in both directions.
 */
(() => {
  'use strict';

  /* ---------- All user-visible texts ---------- */
  const STRINGS = {
    fr: {
      controls: 'Filtres du tableau',
      search: 'Rechercher dans le tableau',
      all: 'Toutes',
      reset: 'Réinitialiser',
      pager: 'Pagination',
      prev: 'Page précédente',
      next: 'Page suivante',
      goTo: 'Aller à la page',
      pageOf: (p, n) => `Page ${p} sur ${n}`,
      rows: (n, f) => (n === 0 ? 'Aucune ligne' : n === 1 ? '1 ligne' : `${f} lignes`),
      matches: (n, f) =>
        n === 0 ? 'Aucune ligne ne correspond au filtre'
          : n === 1 ? '1 ligne correspond au filtre' : `${f} lignes correspondent au filtre`,
      range: (a, b, t) => `Lignes ${a} à ${b} sur ${t}`,
      rangeFiltered: (a, b, t) => `Lignes ${a} à ${b} sur ${t} (filtrées)`,
      empty: 'Aucune ligne',
      noMatch: 'Aucune ligne ne correspond au filtre.',
      sortedBy: (col, dir) => `triées par ${col}, ordre ${dir === 'asc' ? 'croissant' : 'décroissant'}`,
      sortState: { none: 'non trié', asc: 'tri croissant', desc: 'tri décroissant' },
      loading: (i, n) => `Chargement ${i}/${n}…`,
      reading: (i, n) => `Lecture ${i}/${n}…`,
      cancel: 'Arrêter',
      cancelled: 'Lecture arrêtée.',
      error: 'Impossible de charger les données.',
      sortLimit: (f) => `Tri limité aux ${f} premières lignes triées.`,
      summary: (r, rf, c) => `${r === 1 ? '1 ligne' : `${rf} lignes`}, ${c === 1 ? '1 colonne' : `${c} colonnes`}.`,
      yes: 'oui',
      no: 'non',
    },
    en: {
      controls: 'Table filters',
      search: 'Search the table',
      all: 'All',
      reset: 'Reset',
      pager: 'Pagination',
      prev: 'Previous page',
      next: 'Next page',
      goTo: 'Go to page',
      pageOf: (p, n) => `Page ${p} of ${n}`,
      rows: (n, f) => (n === 0 ? 'No rows' : n === 1 ? '1 row' : `${f} rows`),
      matches: (n, f) =>
        n === 0 ? 'No rows match the filter' : n === 1 ? '1 row matches the filter' : `${f} rows match the filter`,
      range: (a, b, t) => `Rows ${a} to ${b} of ${t}`,
      rangeFiltered: (a, b, t) => `Rows ${a} to ${b} of ${t} (filtered)`,
      empty: 'No rows',
      noMatch: 'No rows match the filter.',
      sortedBy: (col, dir) => `sorted by ${col}, ${dir === 'asc' ? 'ascending' : 'descending'}`,
      sortState: { none: 'not sorted', asc: 'sorted ascending', desc: 'sorted descending' },
      loading: (i, n) => `Loading ${i}/${n}…`,
      reading: (i, n) => `Reading ${i}/${n}…`,
      cancel: 'Stop',
      cancelled: 'Stopped.',
      error: 'Could not load the data.',
      sortLimit: (f) => `Sorting is limited to the first ${f} sorted rows.`,
      summary: (r, rf, c) => `${r === 1 ? '1 row' : `${rf} rows`}, ${c === 1 ? '1 column' : `${c} columns`}.`,
      yes: 'yes',
      no: 'no',
    },
  };

  const PAGE_SIZE = 50;
  const CACHE_CHUNKS = 8;
  const MEMORY_CHUNKS = 40;
  const SORT_LIMIT = 10000;
  const DEBOUNCE_MS = 150;
  const PROGRESS_MS = 700; // minimum interval between two progress announcements

  /* ---------- Typed cell parsing (must match the Rust side) ---------- */
  const NULL_TOKENS = new Set(['', 'na', 'n/a', '#n/a', 'null', '-']);
  const isNullCell = (s) => s === null || s === undefined || NULL_TOKENS.has(String(s).trim().toLowerCase());

  const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  const cleanNumber = (s, decimal) => {
    let t = String(s).trim().replace(/[ \u00a0\u202f]/g, '');
    if (decimal === ',') t = t.replace(/,/g, '.');
    return t;
  };
  const parseNumber = (s, decimal) => {
    const t = cleanNumber(s, decimal);
    if (!NUM_RE.test(t)) return NaN;
    const n = Number(t);
    return Number.isFinite(n) ? n : NaN;
  };

  const TRUE_TOKENS = new Set(['true', 'vrai', 'oui', 'yes', '1']);
  const FALSE_TOKENS = new Set(['false', 'faux', 'non', 'no', '0']);
  const parseBool = (s) => {
    const t = String(s).trim().toLowerCase();
    return TRUE_TOKENS.has(t) ? 1 : FALSE_TOKENS.has(t) ? 0 : NaN;
  };

  const DATE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
  const DATE_FR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
  const utcDate = (y, m, d) => {
    if (m < 1 || m > 12 || d < 1 || d > 31) return null;
    const dt = new Date(0);
    dt.setUTCFullYear(y, m - 1, d);
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
    return dt;
  };
  // → {t: ms since epoch (UTC), y, m, d} or null
  const parseDate = (s) => {
    const t = String(s).trim();
    let m = DATE_ISO.exec(t);
    let y, mo, d;
    if (m) { y = +m[1]; mo = +m[2]; d = +m[3]; } else {
      m = DATE_FR.exec(t);
      if (!m) return null;
      d = +m[1]; mo = +m[2]; y = +m[3];
    }
    const dt = utcDate(y, mo, d);
    return dt ? { t: dt.getTime(), y, m: mo, d } : null;
  };
  const DT_RE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})[T ]((\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
  // → {t, date, time (as written), zone (as written)} or null
  const parseDateTime = (s) => {
    const m = DT_RE.exec(String(s).trim());
    if (!m) return null;
    const date = parseDate(m[1]);
    const hh = +m[3], mi = +m[4], ss = m[5] ? +m[5] : 0;
    if (!date || hh > 23 || mi > 59 || ss > 60) return null;
    const ms = m[6] ? Math.floor(Number('0.' + m[6]) * 1000) : 0;
    let t = date.t + ((hh * 60 + mi) * 60 + ss) * 1000 + ms;
    const z = m[7];
    if (z && z.toUpperCase() !== 'Z') {
      const sign = z[0] === '-' ? -1 : 1;
      const digits = z.slice(1).replace(':', '');
      const oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2) : 0;
      if (oh > 23 || om > 59) return null;
      t -= sign * (oh * 60 + om) * 60000;
    }
    return { t, date, time: m[2], zone: z || '' };
  };

  const NUMERIC_TYPES = new Set(['integer', 'number']);
  const ORDERED_TYPES = new Set(['integer', 'number', 'date', 'datetime', 'boolean']);
  // Integer columns whose name suggests a year or a code are shown as written (no "2 018").
  const NO_GROUPING_NAME = /(^|[^a-z])(ann[ée]e|annee|year|an|code|id|insee|siren|siret|cp|postal|zip|millesime|millésime)([^a-z]|$)/i;

  /* ---------- Text normalisation for the filter ---------- */
  const normText = (s) =>
    String(s)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/ß/g, 'ss')
      .replace(/[\u00a0\u202f\u2007]/g, ' ');

  let explorerSeq = 0;

  const el = (tag, props, ...children) => {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') e.textContent = v;
        else if (k === 'className') e.className = v;
        else if (k in e && typeof v !== 'string') e[k] = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };

  const isAbort = (err) => err && (err.name === 'AbortError' || err.kiosqueAbort === true);
  const abortError = () => {
    const e = new Error('aborted');
    e.kiosqueAbort = true;
    return e;
  };

  async function fetchJSON(url, signal) {
    const res = await fetch(url, { signal, credentials: 'same-origin', cache: 'default' });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
    return res.json();
  }

  /* ---------- Top-K binary heap (root = worst kept entry) ---------- */
  class TopK {
    constructor(k, cmp) {
      this.k = k;
      this.cmp = cmp; // cmp(a, b) < 0 when a comes before b
      this.a = [];
    }
    // true when `e` would be kept
    accepts(e) {
      return this.a.length < this.k || this.cmp(e, this.a[0]) < 0;
    }
    push(e) {
      const a = this.a, cmp = this.cmp;
      if (a.length < this.k) {
        a.push(e);
        let i = a.length - 1;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (cmp(a[i], a[p]) <= 0) break;
          [a[i], a[p]] = [a[p], a[i]];
          i = p;
        }
        return;
      }
      if (this.k === 0 || cmp(e, a[0]) >= 0) return;
      a[0] = e;
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let w = i;
        if (l < n && cmp(a[l], a[w]) > 0) w = l;
        if (r < n && cmp(a[r], a[w]) > 0) w = r;
        if (w === i) break;
        [a[i], a[w]] = [a[w], a[i]];
        i = w;
      }
    }
    sorted() {
      return this.a.slice().sort(this.cmp);
    }
  }

  class Explorer {
    constructor(section) {
      this.section = section;
      this.uid = 'kiosque-xp-' + ++explorerSeq;
      const langEl = section.closest('[lang]') || document.documentElement;
      const lang = (langEl.getAttribute('lang') || '').trim();
      this.fr = /^fr(-|_|$)/i.test(lang);
      this.S = this.fr ? STRINGS.fr : STRINGS.en;
      let locale = this.fr ? 'fr' : 'en';
      try {
        if (lang) locale = Intl.getCanonicalLocales(lang)[0] || locale;
      } catch (_) { /* invalid lang tag: keep default */ }
      this.locale = locale;
      this.collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
      this.compare = this.collator.compare;
      this.countFmt = new Intl.NumberFormat(locale);
      this.numFmts = new Map();
      this.dateFmt = this.fr
        ? new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
        : null; // English dates are shown as ISO 8601 (YYYY-MM-DD)

      this.cache = new Map(); // chunk index -> {promise, signal}; Map order = LRU order
      this.all = null; // memory mode: array of chunks while loading
      this.allRows = null; // memory mode: all rows once loaded
      this.keys = new Map(); // memory mode: column -> {g, v}
      this.hay = null; // memory mode: normalised text of each row

      this.applied = { q: '', sel: [], sort: null }; // state of the view shown
      this.view = null;
      this.page = 0;
      this.ctrl = null; // AbortController of the running operation
      this.debounce = 0;
      this.lastProgress = 0;
    }

    fmtCount(n) {
      return this.countFmt.format(n);
    }

    numberFormat(decimals, grouping) {
      const key = decimals + (grouping ? 'g' : '');
      let f = this.numFmts.get(key);
      if (!f) {
        f = new Intl.NumberFormat(this.locale, decimals < 0
          ? { maximumFractionDigits: 20, useGrouping: grouping } // exponent notation: as many decimals as needed
          : { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: grouping });
        this.numFmts.set(key, f);
      }
      return f;
    }

    fmtDate(d) {
      if (this.dateFmt) return this.dateFmt.format(new Date(d.t));
      const p = (n, w) => String(n).padStart(w, '0');
      return `${p(d.y, 4)}-${p(d.m, 2)}-${p(d.d, 2)}`;
    }

    /* Text shown for a cell. */
    display(ci, raw) {
      if (raw === null || raw === undefined) return '';
      const col = this.columns[ci];
      if (isNullCell(raw)) return raw;
      switch (col.type) {
        case 'integer':
        case 'number': {
          const n = parseNumber(raw, this.decimal);
          if (Number.isNaN(n)) return raw;
          const t = cleanNumber(raw, this.decimal);
          if (col.type === 'integer' && (col.noGrouping || /^[+-]?0\d/.test(t))) return raw;
          if (/e/i.test(t)) return this.numberFormat(-1, true).format(n);
          const dot = t.indexOf('.');
          const decimals = dot < 0 ? 0 : Math.min(20, t.length - dot - 1);
          return this.numberFormat(decimals, true).format(n);
        }
        case 'boolean': {
          const b = parseBool(raw);
          return Number.isNaN(b) ? raw : b ? this.S.yes : this.S.no;
        }
        case 'date': {
          const d = parseDate(raw);
          return d ? this.fmtDate(d) : raw;
        }
        case 'datetime': {
          const d = parseDateTime(raw);
          if (!d) return raw;
          const zone = !d.zone ? '' : d.zone.toUpperCase() === 'Z' ? ' UTC' : ` UTC${d.zone}`;
          return `${this.fmtDate(d.date)} ${d.time}${zone}`;
        }
        default:
          return raw;
      }
    }

    /* Sort key of a cell: group g (0 parsed, 1 unparseable, 2 null) and value v. */
    sortKey(ci, raw) {
      if (isNullCell(raw)) return [2, 0];
      const type = this.columns[ci].type;
      let v = NaN;
      switch (type) {
        case 'integer':
        case 'number':
          v = parseNumber(raw, this.decimal);
          break;
        case 'boolean':
          v = parseBool(raw);
          break;
        case 'date': {
          const d = parseDate(raw);
          v = d ? d.t : NaN;
          break;
        }
        case 'datetime': {
          const d = parseDateTime(raw);
          v = d ? d.t : NaN;
          break;
        }
        default:
          return [0, String(raw)];
      }
      return Number.isNaN(v) ? [1, String(raw)] : [0, v];
    }

    /* Normalised searchable text of a row: raw cells plus formatted typed cells. */
    haystack(row, withFormatted) {
      const parts = [];
      for (let c = 0; c < this.columns.length; c++) {
        const raw = row[c];
        if (raw === null || raw === undefined) continue;
        parts.push(raw);
        if (this.columns[c].type === 'boolean' || (withFormatted && ORDERED_TYPES.has(this.columns[c].type))) {
          const f = this.display(c, raw);
          if (f !== raw) parts.push(f);
        }
      }
      return normText(parts.join('\u0001'));
    }

    /* ---------- data access ---------- */
    chunkUrl(i) {
      return new URL(`chunk-${String(i).padStart(5, '0')}.json`, this.manifestUrl).href;
    }

    getChunk(i, signal) {
      if (this.all && this.all[i]) return Promise.resolve(this.all[i]);
      const hit = this.cache.get(i);
      if (hit && !(hit.signal && hit.signal.aborted)) {
        this.cache.delete(i);
        this.cache.set(i, hit);
        return hit.promise;
      }
      const entry = { signal };
      entry.promise = fetchJSON(this.chunkUrl(i), signal).then((rows) => {
        if (!Array.isArray(rows)) throw new Error('chunk is not an array');
        return rows;
      });
      entry.promise.catch(() => {
        if (this.cache.get(i) === entry) this.cache.delete(i);
      });
      this.cache.delete(i);
      this.cache.set(i, entry);
      while (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value);
      return entry.promise;
    }

    checkAbort(signal) {
      if (signal && signal.aborted) throw abortError();
    }

    /* Rows [start, end) of the whole file. */
    async rowRange(start, end, signal) {
      if (this.allRows) return this.allRows.slice(start, end);
      const cr = this.chunkRows;
      const out = [];
      for (let c = Math.floor(start / cr); c * cr < end && c < this.chunks; c++) {
        const rows = await this.getChunk(c, signal);
        this.checkAbort(signal);
        const base = c * cr;
        out.push(...rows.slice(Math.max(0, start - base), Math.max(0, end - base)));
      }
      return out;
    }

    /* Rows at the given global indices (sorted ascending or not), in the given order. */
    async rowsAt(indices, signal) {
      if (this.allRows) return indices.map((i) => this.allRows[i]);
      const cr = this.chunkRows;
      const byChunk = new Map();
      indices.forEach((idx) => {
        const c = Math.floor(idx / cr);
        if (!byChunk.has(c)) byChunk.set(c, []);
        byChunk.get(c).push(idx);
      });
      const found = new Map();
      for (const [c, list] of byChunk) {
        const rows = await this.getChunk(c, signal);
        this.checkAbort(signal);
        for (const idx of list) found.set(idx, rows[idx - c * cr]);
      }
      return indices.map((i) => found.get(i) || []);
    }

    async loadAll(signal) {
      if (this.allRows) return;
      if (!this.all) this.all = new Array(this.chunks);
      for (let c = 0; c < this.chunks; c++) {
        if (this.all[c]) continue;
        if (!this.cache.has(c)) this.progress(this.S.loading(c + 1, this.chunks), c + 1 === this.chunks);
        this.all[c] = await this.getChunk(c, signal);
        this.checkAbort(signal);
      }
      const rows = [];
      for (const ch of this.all) for (const r of ch) rows.push(r);
      this.allRows = rows;
      this.all = null;
      this.cache.clear();
    }

    columnKeys(ci) {
      let k = this.keys.get(ci);
      if (!k) {
        const rows = this.allRows;
        const g = new Uint8Array(rows.length);
        const v = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const [gi, vi] = this.sortKey(ci, rows[i][ci]);
          g[i] = gi;
          v[i] = vi;
        }
        k = { g, v };
        this.keys.set(ci, k);
      }
      return k;
    }

    /* ---------- state ---------- */
    isIdentity(st) {
      return !st.q.trim() && st.sel.length === 0 && !st.sort;
    }

    isFiltered(st) {
      return !!st.q.trim() || st.sel.length > 0;
    }

    /* Returns match(row, hay) or null when no filter applies. */
    matcher(st) {
      const terms = normText(st.q).split(/\s+/).filter(Boolean);
      const sel = st.sel;
      if (!terms.length && !sel.length) return null;
      const withFormatted = terms.some((t) => /[^\p{L}]/u.test(t));
      return (row, hay) => {
        for (const [c, val] of sel) if (row[c] !== val) return false;
        if (!terms.length) return true;
        const h = hay === undefined ? this.haystack(row, withFormatted) : hay;
        for (const t of terms) if (!h.includes(t)) return false;
        return true;
      };
    }

    entryCmp(dir) {
      const compare = this.compare;
      return (a, b) => {
        if (a.g !== b.g) return a.g - b.g;
        let r = 0;
        if (a.g === 0) r = typeof a.v === 'number' ? a.v - b.v : compare(a.v, b.v);
        else if (a.g === 1) r = compare(a.v, b.v);
        return r !== 0 ? r * dir : a.i - b.i;
      };
    }

    /* Compute the view for a state. `page` is the page wanted (for top-K sizes). */
    async computeView(st, page, signal) {
      if (this.isIdentity(st)) return { kind: 'range', total: this.rows };
      if (this.chunks <= MEMORY_CHUNKS) return this.memoryView(st, signal);
      if (st.sort) return this.streamSort(st, page, signal);
      return this.streamFilter(st, page, signal);
    }

    async memoryView(st, signal) {
      await this.loadAll(signal);
      const rows = this.allRows;
      const match = this.matcher(st);
      let idx;
      if (match) {
        if (st.q.trim() && !this.hay) this.hay = rows.map((r) => this.haystack(r, true));
        const hay = this.hay;
        idx = [];
        for (let i = 0; i < rows.length; i++) if (match(rows[i], hay ? hay[i] : null)) idx.push(i);
      } else {
        idx = rows.map((_, i) => i);
      }
      if (st.sort) {
        const { g, v } = this.columnKeys(st.sort.col);
        const dir = st.sort.dir === 'desc' ? -1 : 1;
        const compare = this.compare;
        idx.sort((a, b) => {
          const ga = g[a], gb = g[b];
          if (ga !== gb) return ga - gb;
          let r = 0;
          if (ga === 0) r = typeof v[a] === 'number' ? v[a] - v[b] : compare(v[a], v[b]);
          else if (ga === 1) r = compare(v[a], v[b]);
          return r !== 0 ? r * dir : a - b;
        });
      }
      return { kind: 'indices', idx, total: idx.length };
    }

    async streamFilter(st, page, signal) {
      const match = this.matcher(st);
      const idx = [];
      const lo = page * PAGE_SIZE, hi = lo + PAGE_SIZE;
      const pageRows = [];
      const cr = this.chunkRows;
      for (let c = 0; c < this.chunks; c++) {
        this.progress(this.S.reading(c + 1, this.chunks), c + 1 === this.chunks);
        const rows = await this.getChunk(c, signal);
        this.checkAbort(signal);
        for (let r = 0; r < rows.length; r++) {
          if (!match(rows[r])) continue;
          if (idx.length >= lo && idx.length < hi) pageRows.push(rows[r]);
          idx.push(c * cr + r);
        }
      }
      return { kind: 'indices', idx, total: idx.length, pageRows: { page, rows: pageRows } };
    }

    async streamSort(st, page, signal) {
      const need = (page + 1) * PAGE_SIZE;
      const k = Math.min(SORT_LIMIT, Math.ceil(need / (PAGE_SIZE * 10)) * PAGE_SIZE * 10);
      const match = this.matcher(st);
      const ci = st.sort.col;
      const cmp = this.entryCmp(st.sort.dir === 'desc' ? -1 : 1);
      const heap = new TopK(k, cmp);
      const cr = this.chunkRows;
      let total = 0;
      for (let c = 0; c < this.chunks; c++) {
        this.progress(this.S.reading(c + 1, this.chunks), c + 1 === this.chunks);
        const rows = await this.getChunk(c, signal);
        this.checkAbort(signal);
        for (let r = 0; r < rows.length; r++) {
          const row = rows[r];
          if (match && !match(row)) continue;
          total++;
          const [g, v] = this.sortKey(ci, row[ci]);
          const e = { g, v, i: c * cr + r, row };
          if (heap.accepts(e)) heap.push(e);
        }
      }
      return { kind: 'topk', entries: heap.sorted(), total, k, st };
    }

    pageCount(view) {
      const total = view.kind === 'topk' ? Math.min(view.total, SORT_LIMIT) : view.total;
      return Math.max(1, Math.ceil(total / PAGE_SIZE));
    }

    /* Rows of page p of the view; may replace the view (top-K re-read). */
    async pageRows(view, p, signal) {
      const lo = p * PAGE_SIZE;
      if (view.kind === 'range') return { view, rows: await this.rowRange(lo, Math.min(view.total, lo + PAGE_SIZE), signal) };
      if (view.kind === 'indices') {
        if (view.pageRows && view.pageRows.page === p) return { view, rows: view.pageRows.rows };
        return { view, rows: await this.rowsAt(view.idx.slice(lo, lo + PAGE_SIZE), signal) };
      }
      // top-K
      const hi = Math.min(lo + PAGE_SIZE, view.total, SORT_LIMIT);
      if (hi > view.entries.length && view.entries.length < view.total) {
        view = await this.streamSort(view.st, p, signal);
      }
      return { view, rows: view.entries.slice(lo, hi).map((e) => e.row) };
    }

    /* ---------- UI ---------- */
    async init() {
      const section = this.section;
      const table = section.querySelector('table.preview');
      if (!table) return;
      const src = section.getAttribute('data-manifest');
      if (!src) return;
      let url;
      try {
        url = new URL(src, document.baseURI);
      } catch (_) {
        return;
      }
      if (url.origin !== window.location.origin) return; // same-site files only
      this.manifestUrl = url;
      let m;
      try {
        m = await fetchJSON(url.href);
        if (!m || m.version !== 1 || !Array.isArray(m.columns) || !m.columns.length) throw new Error('bad manifest');
        if (![m.rows, m.chunk_rows, m.chunks].every((n) => Number.isInteger(n) && n >= 0) || m.chunk_rows < 1) {
          throw new Error('bad manifest counts');
        }
        this.rows = m.rows;
        this.chunkRows = m.chunk_rows;
        this.chunks = Math.min(m.chunks, Math.ceil(m.rows / m.chunk_rows));
        this.decimal = m.decimal === ',' ? ',' : '.';
        this.columns = m.columns.map((c, i) => ({
          name: typeof c.name === 'string' && c.name ? c.name : `#${i + 1}`,
          type: typeof c.type === 'string' ? c.type : 'string',
          values: Array.isArray(c.values) ? c.values.filter((v) => typeof v === 'string') : null,
          plain: c.plain === true,
        }));
        // The manifest says which integer columns are codes or years (`plain`); the name test is a fallback.
        for (const c of this.columns) c.noGrouping = c.plain || (c.type === 'integer' && NO_GROUPING_NAME.test(c.name));
        this.view = { kind: 'range', total: this.rows };
        this.firstRows = (await this.pageRows(this.view, 0)).rows;
      } catch (err) {
        if (window.console) console.warn('kiosque explorer: static table kept:', err && err.message);
        return;
      }
      this.table = table;
      this.wrap = table.closest('.table-wrap') || table.parentElement;
      this.build();
      this.render(this.firstRows);
      this.firstRows = null;
      this.setStatus(this.countText());
      section.setAttribute('data-explorer-ready', '');
    }

    build() {
      const S = this.S, id = this.uid, section = this.section;
      const label = (forId, text) => el('label', { for: forId, text });

      // summary
      const summary = section.querySelector('.explorer-summary');
      if (summary) summary.textContent = S.summary(this.rows, this.fmtCount(this.rows), this.columns.length);

      // filters
      this.search = el('input', { type: 'search', id: `${id}-q`, className: 'explorer-input', autocomplete: 'off', spellcheck: 'false' });
      const controls = el('div', { className: 'explorer-controls', role: 'group', 'aria-label': S.controls },
        el('div', { className: 'explorer-field explorer-search' }, label(`${id}-q`, S.search), this.search));
      this.selects = [];
      this.columns.forEach((col, ci) => {
        if (!col.values || !col.values.length) return;
        const sel = el('select', { id: `${id}-f${ci}`, className: 'explorer-select' }, el('option', { value: '', text: S.all }));
        const values = col.values.slice().sort((a, b) => {
          if (NUMERIC_TYPES.has(col.type) || col.type === 'date' || col.type === 'datetime') {
            const [ga, va] = this.sortKey(ci, a), [gb, vb] = this.sortKey(ci, b);
            if (ga !== gb) return ga - gb;
            if (ga === 0 && typeof va === 'number') return va - vb;
          }
          return this.compare(a, b);
        });
        const formatted = NUMERIC_TYPES.has(col.type) || col.type === 'date' || col.type === 'datetime';
        for (const v of values) sel.append(el('option', { value: v, text: (formatted && this.display(ci, v)) || v }));
        sel.dataset.col = String(ci);
        sel.addEventListener('change', () => this.update(true));
        this.selects.push(sel);
        controls.append(el('div', { className: 'explorer-field explorer-filter' }, label(sel.id, col.name), sel));
      });
      this.resetBtn = el('button', { type: 'button', className: 'explorer-button explorer-reset', text: S.reset });
      controls.append(el('div', { className: 'explorer-field explorer-actions' }, this.resetBtn));

      this.search.addEventListener('input', () => {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.update(true), DEBOUNCE_MS);
      });
      this.search.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          clearTimeout(this.debounce);
          this.update(true);
        }
      });
      this.resetBtn.addEventListener('click', () => {
        clearTimeout(this.debounce);
        this.search.value = '';
        for (const s of this.selects) s.value = '';
        this.pendingSort = null;
        this.syncSortHeaders(null);
        this.update(true);
      });

      // status (live region) + stop button
      this.status = el('p', { className: 'explorer-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
      this.cancelBtn = el('button', { type: 'button', className: 'explorer-button explorer-cancel', text: S.cancel, hidden: true });
      this.cancelBtn.addEventListener('click', () => this.cancel());
      const statusBar = el('div', { className: 'explorer-statusbar' }, this.status, this.cancelBtn);

      // pager
      this.prevBtn = el('button', { type: 'button', className: 'explorer-button explorer-prev', text: S.prev });
      this.nextBtn = el('button', { type: 'button', className: 'explorer-button explorer-next', text: S.next });
      this.pageInfo = el('span', { className: 'explorer-pageinfo' });
      this.pageInput = el('input', { type: 'number', id: `${id}-page`, className: 'explorer-input explorer-page-input', min: '1', step: '1', inputmode: 'numeric' });
      const heading = section.getAttribute('aria-labelledby') && document.getElementById(section.getAttribute('aria-labelledby'));
      const pager = el('nav', { className: 'explorer-pager', 'aria-label': heading ? `${S.pager} (${heading.textContent.trim()})` : S.pager },
        this.prevBtn, this.pageInfo, this.nextBtn,
        el('span', { className: 'explorer-goto' }, label(this.pageInput.id, S.goTo), this.pageInput));
      this.prevBtn.addEventListener('click', () => this.goPage(this.page - 1));
      this.nextBtn.addEventListener('click', () => this.goPage(this.page + 1));
      this.pageInput.addEventListener('change', () => {
        const n = parseInt(this.pageInput.value, 10);
        if (Number.isNaN(n)) {
          this.pageInput.value = String(this.page + 1);
          return;
        }
        this.goPage(Math.min(Math.max(n, 1), this.pageCount(this.view)) - 1);
      });
      this.pageInput.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          this.pageInput.dispatchEvent(new Event('change'));
        }
      });

      this.wrap.before(controls, statusBar, pager);

      // sortable headers
      let thead = this.table.tHead;
      if (!thead) thead = this.table.createTHead();
      const tr = el('tr');
      this.headers = this.columns.map((col, ci) => {
        const name = el('span', { className: 'explorer-colname', text: col.name });
        const icon = el('span', { className: 'explorer-sort-icon', 'aria-hidden': 'true' });
        const state = el('span', { className: 'explorer-sr' });
        const btn = el('button', { type: 'button', className: 'explorer-sort' }, name, icon, state);
        btn.dataset.col = String(ci);
        btn.addEventListener('click', () => this.onSort(ci));
        const th = el('th', { scope: 'col', className: NUMERIC_TYPES.has(col.type) ? 'num' : null }, btn);
        tr.append(th);
        return { th, icon, state };
      });
      thead.replaceChildren(tr);
      this.syncSortHeaders(null);
      let tbody = this.table.tBodies[0];
      if (!tbody) tbody = this.table.createTBody();
      this.tbody = tbody;
      if (!this.table.caption) this.table.createCaption();
    }

    syncSortHeaders(sort) {
      this.headers.forEach((h, ci) => {
        const dir = sort && sort.col === ci ? sort.dir : 'none';
        h.th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
        h.icon.textContent = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕';
        h.state.textContent = `, ${this.S.sortState[dir]}`;
      });
    }

    onSort(ci) {
      const cur = this.pendingSort !== undefined ? this.pendingSort : this.applied.sort;
      let next;
      if (!cur || cur.col !== ci) next = { col: ci, dir: 'asc' };
      else if (cur.dir === 'asc') next = { col: ci, dir: 'desc' };
      else next = null;
      this.pendingSort = next;
      this.syncSortHeaders(next);
      this.update(true);
    }

    readState() {
      const sel = [];
      for (const s of this.selects) if (s.value !== '') sel.push([+s.dataset.col, s.value]);
      const sort = this.pendingSort !== undefined ? this.pendingSort : this.applied.sort;
      return { q: this.search.value, sel, sort };
    }

    restoreControls() {
      this.search.value = this.applied.q;
      for (const s of this.selects) {
        const hit = this.applied.sel.find(([c]) => c === +s.dataset.col);
        s.value = hit ? hit[1] : '';
      }
      this.pendingSort = undefined;
      this.syncSortHeaders(this.applied.sort);
    }

    /* Run one operation at a time; a new one aborts the running one. */
    run(kind, task) {
      if (this.ctrl) this.ctrl.abort();
      const ctrl = new AbortController();
      this.ctrl = ctrl;
      this.ctrlKind = kind;
      this.lastProgress = 0;
      this.section.setAttribute('data-explorer-busy', '');
      this.wrap.setAttribute('aria-busy', 'true');
      const done = () => {
        if (this.ctrl !== ctrl) return;
        this.ctrl = null;
        this.section.removeAttribute('data-explorer-busy');
        this.wrap.removeAttribute('aria-busy');
        this.hideCancel();
      };
      task(ctrl.signal).then(done, (err) => {
        if (ctrl.signal.aborted || isAbort(err)) {
          done();
          return;
        }
        done();
        if (window.console) console.warn('kiosque explorer:', err && err.message);
        this.restoreControls();
        this.setStatus(this.S.error);
      });
    }

    hideCancel() {
      if (this.cancelBtn.hidden) return;
      const hadFocus = document.activeElement === this.cancelBtn;
      this.cancelBtn.hidden = true;
      if (hadFocus) (this.focusBack && this.focusBack.isConnected ? this.focusBack : this.search).focus();
    }

    progress(text, last) {
      const now = Date.now();
      if (this.cancelBtn.hidden) {
        this.focusBack = document.activeElement;
        this.cancelBtn.hidden = false;
      }
      if (last || now - this.lastProgress >= PROGRESS_MS) {
        this.lastProgress = now;
        this.setStatus(text);
      }
    }

    cancel() {
      if (!this.ctrl) return;
      this.ctrl.abort();
      this.restoreControls();
      this.setStatus(`${this.S.cancelled} ${this.countText()}`);
    }

    update(resetPage) {
      const st = this.readState();
      const page = resetPage ? 0 : this.page;
      this.run('update', async (signal) => {
        let view = await this.computeView(st, page, signal);
        const res = await this.pageRows(view, page, signal);
        this.checkAbort(signal);
        view = res.view;
        this.applied = st;
        this.pendingSort = undefined;
        this.view = view;
        this.page = page;
        this.render(res.rows);
        this.setStatus(this.countText());
      });
    }

    goPage(p) {
      if (this.ctrl && this.ctrlKind === 'update') return; // the pager shows a view being replaced
      if (this.ctrl && this.ctrlKind === 'page' && this.targetPage === p) return; // already on its way
      const pages = this.pageCount(this.view);
      if (p < 0 || p >= pages || p === this.page) {
        this.pageInput.value = String(this.page + 1);
        return;
      }
      const view0 = this.view;
      this.targetPage = p;
      this.run('page', async (signal) => {
        const res = await this.pageRows(view0, p, signal);
        this.checkAbort(signal);
        this.view = res.view;
        this.page = p;
        this.render(res.rows);
        this.setStatus(this.rangeText());
      });
    }

    countText() {
      const v = this.view, st = this.applied, S = this.S;
      let t = this.isFiltered(st) ? S.matches(v.total, this.fmtCount(v.total)) : S.rows(v.total, this.fmtCount(v.total));
      if (st.sort && v.total > 1) t += ` — ${S.sortedBy(this.columns[st.sort.col].name, st.sort.dir)}`;
      t += '.';
      if (v.kind === 'topk' && v.total > SORT_LIMIT) t += ' ' + S.sortLimit(this.fmtCount(SORT_LIMIT));
      return t;
    }

    rangeText() {
      const v = this.view, S = this.S;
      const total = v.total;
      if (!total) return this.isFiltered(this.applied) ? S.noMatch : S.empty;
      const a = this.page * PAGE_SIZE + 1;
      const b = Math.min(total, (this.page + 1) * PAGE_SIZE);
      const f = this.isFiltered(this.applied) ? S.rangeFiltered : S.range;
      return f(this.fmtCount(a), this.fmtCount(b), this.fmtCount(total));
    }

    setStatus(text) {
      if (this.status.textContent !== text) this.status.textContent = text;
    }

    render(rows) {
      const frag = document.createDocumentFragment();
      const ncol = this.columns.length;
      const numeric = this.columns.map((c) => NUMERIC_TYPES.has(c.type));
      for (const row of rows) {
        const tr = document.createElement('tr');
        for (let c = 0; c < ncol; c++) {
          const td = document.createElement('td');
          if (numeric[c]) td.className = 'num';
          td.textContent = this.display(c, row[c]);
          tr.append(td);
        }
        frag.append(tr);
      }
      if (!rows.length) {
        const td = el('td', { colspan: String(ncol), className: 'explorer-empty', text: this.rangeText() });
        frag.append(el('tr', null, td));
      }
      this.tbody.replaceChildren(frag);
      this.table.caption.textContent = this.rangeText();
      const pages = this.pageCount(this.view);
      this.pageInfo.textContent = this.S.pageOf(this.fmtCount(this.page + 1), this.fmtCount(pages));
      this.pageInput.max = String(pages);
      this.pageInput.value = String(this.page + 1);
      this.prevBtn.setAttribute('aria-disabled', String(this.page <= 0));
      this.nextBtn.setAttribute('aria-disabled', String(this.page >= pages - 1));
    }
  }

  const started = new WeakSet();
  function start() {
    for (const section of document.querySelectorAll('[data-explorer]')) {
      if (started.has(section)) continue;
      started.add(section);
      new Explorer(section).init();
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
