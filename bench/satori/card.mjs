// Reference peer for ogcard's performance target: renders the same kind of
// 1200x630 Open Graph card with Satori (HTML/CSS -> SVG) and @resvg/resvg-js
// (SVG -> PNG), and times warm renders in one process.
//
// Satori and resvg-js are NOT dependencies of ogcard. bench/compare.sh installs
// them into a temporary folder and passes it here with --modules DIR.
//
// Usage:
//   node bench/satori/card.mjs [card.json] [--modules DIR] [--n 50]
//        [--warmup 5] [--out /tmp/satori-card.png]
//
// card.json (every field optional; defaults below):
//   {"site": "...", "title": "...", "summary": "...", "date": "23 January 2025"
//    or "2025-01-23", "author": "Name · Company" or "authors": [{"name","company"}],
//    "tags": ["..."]}
//
// The last line printed is machine-readable: satori_ms_per_card=<median total ms>.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

// ---------- arguments ----------
const opts = { n: 50, warmup: 5, out: '', modules: process.env.OGBENCH_NODE_MODULES || '', input: '' };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    const next = () => {
      if (i + 1 >= a.length) die(`missing value after ${k}`);
      return a[++i];
    };
    if (k === '--n') opts.n = posInt(next(), k);
    else if (k === '--warmup') opts.warmup = nonNegInt(next(), k);
    else if (k === '--out') opts.out = next();
    else if (k === '--modules') opts.modules = next();
    else if (k === '-h' || k === '--help') {
      console.log('usage: node card.mjs [card.json] [--modules DIR] [--n 50] [--warmup 5] [--out file.png]');
      process.exit(0);
    } else if (k.startsWith('--')) die(`unknown option ${k}`);
    else if (!opts.input) opts.input = k;
    else die(`unexpected argument ${k}`);
  }
}

function die(msg) {
  console.error(`card.mjs: ${msg}`);
  process.exit(2);
}
function posInt(s, k) {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) die(`${k} wants a positive integer, got ${s}`);
  return v;
}
function nonNegInt(s, k) {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0) die(`${k} wants an integer >= 0, got ${s}`);
  return v;
}

// ---------- libraries (from --modules DIR, else normal resolution) ----------
async function load(name) {
  if (opts.modules) {
    const req = createRequire(join(resolve(opts.modules), 'noop.js'));
    let p;
    try {
      p = req.resolve(name);
    } catch (e) {
      die(`cannot find ${name} under ${opts.modules}: ${e.message}`);
    }
    return import(pathToFileURL(p).href);
  }
  return import(name);
}
const satoriMod = await load('satori');
// import() of the CommonJS build puts module.exports on .default.
const satori = [satoriMod.default, satoriMod.default?.default, satoriMod.satori].find(
  (f) => typeof f === 'function',
);
if (!satori) die('satori module has no callable export');
const resvgMod = await load('@resvg/resvg-js');
const Resvg = resvgMod.Resvg ?? resvgMod.default?.Resvg;
if (typeof Resvg !== 'function') die('@resvg/resvg-js has no Resvg export');
const satoriVersion = pkgVersion('satori');
const resvgVersion = pkgVersion('@resvg/resvg-js');

function pkgVersion(name) {
  try {
    const base = opts.modules ? join(resolve(opts.modules), 'noop.js') : import.meta.url;
    return createRequire(base)(`${name}/package.json`).version;
  } catch {
    return '?';
  }
}

// ---------- fonts: read ONCE at module level ----------
// Satori's trap: handing it new font buffers on every call makes it re-parse
// them each time (SVG stage ~9 ms -> ~50 ms). Keep one array and reuse it.
const fontDir = join(repoRoot, 'fonts');
const FONTS = [
  { name: 'Inter', weight: 400, style: 'normal', data: readFileSync(join(fontDir, 'Inter-Regular.otf')) },
  { name: 'Inter', weight: 600, style: 'normal', data: readFileSync(join(fontDir, 'Inter-SemiBold.otf')) },
  { name: 'Inter', weight: 700, style: 'normal', data: readFileSync(join(fontDir, 'Inter-Bold.otf')) },
];

// ---------- card data ----------
const DEFAULTS = {
  site: 'Cilium',
  title: 'Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026',
  summary: 'Learn how to engage with the Cilium community at KubeCon + CloudNativeCon Europe 2026',
  date: '23 January 2025',
  author: 'Katie Meinders · Isovalent',
  tags: ['Cilium', 'Community', 'eBPF'],
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

function normalise(raw) {
  const c = { ...DEFAULTS };
  for (const k of ['site', 'title', 'summary']) if (typeof raw[k] === 'string') c[k] = raw[k];
  if (typeof raw.date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw.date);
    c.date = m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : raw.date;
  }
  if (typeof raw.author === 'string') c.author = raw.author;
  else if (Array.isArray(raw.authors) && raw.authors.length) {
    const p = raw.authors[0];
    c.author = typeof p === 'string' ? p : [p.name, p.company].filter(Boolean).join(' · ');
  }
  if (Array.isArray(raw.tags)) c.tags = raw.tags.filter((t) => typeof t === 'string');
  c.tags = c.tags.slice(0, 3);
  return c;
}

let raw = {};
if (opts.input) {
  try {
    raw = JSON.parse(readFileSync(opts.input, 'utf8'));
  } catch (e) {
    die(`reading ${opts.input}: ${e.message}`);
  }
}
const CARD = normalise(raw);

// ---------- the card, in Satori's object syntax (no JSX) ----------
const W = 1200;
const H = 630;

function h(type, style, children) {
  return { type, props: { style, children } };
}

function cardTree(c) {
  const muted = 'rgba(226, 236, 250, 0.78)';
  return h(
    'div',
    {
      width: '100%',
      height: '100%',
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'space-between',
      padding: '56px 72px',
      backgroundImage: 'linear-gradient(135deg, #0b1d3a 0%, #1f4f8f 100%)',
      color: '#ffffff',
      fontFamily: 'Inter',
    },
    [
      // header: site name left, date right
      h('div', { display: 'flex', justifyContent: 'space-between', alignItems: 'center', width: '100%' }, [
        h('div', { fontSize: 30, fontWeight: 700, letterSpacing: -0.3 }, c.site),
        h('div', { fontSize: 26, fontWeight: 400, color: muted }, c.date),
      ]),
      // body: title (<= 3 lines) and summary (<= 2 lines)
      h('div', { display: 'flex', flexDirection: 'column', width: '100%' }, [
        h(
          'div',
          {
            display: 'block',
            fontSize: 64,
            fontWeight: 700,
            lineHeight: 1.12,
            letterSpacing: -1,
            lineClamp: 3,
          },
          c.title,
        ),
        h(
          'div',
          {
            display: 'block',
            marginTop: 24,
            fontSize: 30,
            fontWeight: 400,
            lineHeight: 1.35,
            color: muted,
            lineClamp: 2,
          },
          c.summary,
        ),
      ]),
      // footer: author left, tag pills right
      h('div', { display: 'flex', justifyContent: 'space-between', alignItems: 'center', width: '100%' }, [
        h('div', { fontSize: 28, fontWeight: 600 }, c.author),
        h(
          'div',
          { display: 'flex', alignItems: 'center' },
          c.tags.map((t, i) =>
            h(
              'div',
              {
                display: 'flex',
                marginLeft: i === 0 ? 0 : 12,
                padding: '8px 20px',
                borderRadius: 999,
                backgroundColor: 'rgba(255, 255, 255, 0.14)',
                fontSize: 22,
                fontWeight: 600,
              },
              t,
            ),
          ),
        ),
      ]),
    ],
  );
}

const SATORI_OPTS = { width: W, height: H, fonts: FONTS };
const RESVG_OPTS = { fitTo: { mode: 'original' } };

async function renderOnce() {
  const t0 = performance.now();
  const svg = await satori(cardTree(CARD), SATORI_OPTS);
  const t1 = performance.now();
  const png = new Resvg(svg, RESVG_OPTS).render().asPng();
  const t2 = performance.now();
  return { svgMs: t1 - t0, pngMs: t2 - t1, totalMs: t2 - t0, png, svgBytes: svg.length };
}

// ---------- measure ----------
for (let i = 0; i < opts.warmup; i++) await renderOnce();

const svgMs = [];
const pngMs = [];
const totalMs = [];
let last;
const wall0 = performance.now();
for (let i = 0; i < opts.n; i++) {
  last = await renderOnce();
  svgMs.push(last.svgMs);
  pngMs.push(last.pngMs);
  totalMs.push(last.totalMs);
}
const wallMs = performance.now() - wall0;

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  // nearest-rank
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[idx];
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const f1 = (x) => x.toFixed(1);

if (opts.out) writeFileSync(opts.out, last.png);

console.log(`satori ${satoriVersion} + @resvg/resvg-js ${resvgVersion}, node ${process.version}`);
console.log(`card: ${W}x${H}, "${CARD.title}"`);
console.log(`runs: ${opts.warmup} warm-up + ${opts.n} timed, single process`);
console.log(`stage          median ms   p90 ms`);
console.log(`svg (satori)   ${f1(median(svgMs)).padStart(9)}   ${f1(quantile(svgMs, 0.9)).padStart(6)}`);
console.log(`png (resvg)    ${f1(median(pngMs)).padStart(9)}   ${f1(quantile(pngMs, 0.9)).padStart(6)}`);
console.log(`total          ${f1(median(totalMs)).padStart(9)}   ${f1(quantile(totalMs, 0.9)).padStart(6)}`);
console.log(`mean total ${f1(wallMs / opts.n)} ms over the timed loop; svg ${last.svgBytes} chars; png ${last.png.length} bytes`);
if (opts.out) console.log(`last PNG written to ${opts.out}`);
console.log(`satori_svg_ms=${f1(median(svgMs))}`);
console.log(`satori_png_ms=${f1(median(pngMs))}`);
console.log(`satori_png_bytes=${last.png.length}`);
console.log(`satori_ms_per_card=${f1(median(totalMs))}`);
