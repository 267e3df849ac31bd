#!/usr/bin/env bash
# Converts the BudouX 0.9.2 phrase models (npm budoux@0.9.2, Apache-2.0,
# dist/data/models/*.js) to the JSON files beside this script, and records
# BudouX's own segmentation of ../testdata/budoux-sentences.txt in
# ../testdata/budoux-reference.json, which the Go port is tested against.
# Needs npm and node; nothing is installed globally.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent budoux@0.9.2 >/dev/null
tar xzf budoux-0.9.2.tgz
node - "$HERE" <<'JS'
const fs = require('fs');
const path = require('path');
const out = process.argv[2];
const {Parser} = require('./package/dist/parser.js');
const langs = {ja: 'ja', 'zh-hans': 'zh-hans', 'zh-hant': 'zh-hant', th: 'th'};
const parsers = {};
for (const lang of Object.keys(langs)) {
  const {model} = require(`./package/dist/data/models/${lang}.js`);
  // Keys sorted so that the file is stable.
  const sorted = {};
  for (const f of Object.keys(model).sort()) {
    sorted[f] = {};
    for (const k of Object.keys(model[f]).sort()) sorted[f][k] = model[f][k];
  }
  fs.writeFileSync(path.join(out, `${lang}.json`), JSON.stringify(sorted) + '\n');
  parsers[lang] = new Parser(model);
}
const lines = fs.readFileSync(path.join(out, '..', 'testdata', 'budoux-sentences.txt'), 'utf8').split('\n');
const ref = [];
for (const line of lines) {
  if (line === '' || line.startsWith('#')) continue;
  const [lang, sentence] = line.split('\t');
  ref.push({lang, sentence, phrases: parsers[lang].parse(sentence)});
}
fs.writeFileSync(path.join(out, '..', 'testdata', 'budoux-reference.json'), JSON.stringify(ref, null, 1) + '\n');
JS
