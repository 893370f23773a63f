#!/usr/bin/env node
// Gzipped size of what a phone downloads to join a workshop: the entry chunk and CSS, plus the
// participant screen chunk and everything they import statically (from dist/.vite/manifest.json);
// the same for the kiosk page (a Raspberry Pi on the room's Wi-Fi).
// Usage: npm run build && node scripts/bundle-size.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

/** Every file the chunks of `keys` load, with their static imports and CSS. */
function filesOf(keys) {
  const files = new Set();
  function visit(key) {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`no chunk ${key} in the manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imp of chunk.imports ?? []) visit(imp);
  }
  keys.forEach(visit);
  return files;
}

function measure(label, keys) {
  let raw = 0;
  let gz = 0;
  const rows = [];
  for (const f of [...filesOf(keys)].sort()) {
    const buf = readFileSync(join(dist, f));
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    rows.push(`${f.padEnd(44)} ${String(buf.length).padStart(7)} B  gzip ${String(g).padStart(6)} B`);
  }
  console.log(rows.join('\n'));
  console.log(`${label} bundle (JS+CSS): ${raw} B raw, ${gz} B gzipped (${(gz / 1024).toFixed(1)} KiB)`);
  return gz;
}

const limit = 60 * 1024;
const participant = measure('participant', ['index.html', 'src/screens/Participant.svelte']);
console.log('');
const kiosk = measure('kiosk', ['index.html', 'src/screens/Kiosk.svelte']);
if (participant > limit || kiosk > limit) {
  console.error(`over the ${limit} B budget`);
  process.exit(1);
}
