// LATENCY GRAPH's ASCII art, drawn as Redis's latency.c and sparkline.c draw it: 80 columns a
// block, 4 rows of `_o#` with `|` filling below a peak, a blank line, then each sample's age
// ("12s", "3m", "2h", "1d") written vertically under it.

import type { LatencyEvent } from './latency-monitor.js';

const GRAPH_COLUMNS = 80;
const GRAPH_ROWS = 4;
const FILL_CHARS = '_o#';

/** `nowSec` is the current Unix time in seconds, for the age labels. */
export function latencyGraph(name: string, event: LatencyEvent, nowSec: number): string {
  const values = event.samples.map((s) => s.latency);
  const labels = event.samples.map((s) => ageLabel(nowSec - s.time));
  const min = values.length === 0 ? 0 : Math.min(...values);
  const max = values.length === 0 ? 0 : Math.max(...values);
  let graph = `${name} - high ${max} ms, low ${min} ms (all time high ${event.max} ms)\n${'-'.repeat(GRAPH_COLUMNS)}\n`;
  for (let start = 0; start < values.length; start += GRAPH_COLUMNS) {
    if (start !== 0) graph += '\n';
    graph += renderRange(values.slice(start, start + GRAPH_COLUMNS), labels.slice(start, start + GRAPH_COLUMNS), min, max);
  }
  return graph;
}

function ageLabel(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.floor(elapsed / 3600)}h`;
  return `${Math.floor(elapsed / 86400)}d`;
}

/** One block of columns; min and max are over the whole series, so blocks share one scale. */
function renderRange(values: number[], labels: string[], min: number, max: number): string {
  const steps = FILL_CHARS.length * GRAPH_ROWS;
  const range = max - min === 0 ? 1 : max - min;
  // As sparkline.c: the scaled value is truncated twice, once before and once after dividing.
  const stepOf = values.map((v) => Math.min(steps - 1, Math.max(0, Math.trunc(Math.trunc((v - min) * steps) / range))));
  let out = '';
  for (let row = 0; row < GRAPH_ROWS; row++) {
    let line = '';
    for (const step of stepOf) {
      const index = step - (GRAPH_ROWS - row - 1) * FILL_CHARS.length;
      line += index >= FILL_CHARS.length ? '|' : index >= 0 ? FILL_CHARS[index] : ' ';
    }
    out += `${line}\n`;
  }
  // Every sample has a label, so a blank spacing line comes first, then the labels top-down.
  out += `${' '.repeat(values.length)}\n`;
  const tallest = Math.max(0, ...labels.map((l) => l.length));
  for (let row = 0; row < tallest; row++) {
    out += `${labels.map((l) => l[row] ?? ' ').join('')}\n`;
  }
  return out;
}
