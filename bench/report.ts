import { readFile, writeFile } from 'node:fs/promises';
import type { DatabaseShare } from './db-profile.js';
import { figureRows, type FigureRow } from './figure-rows.js';
import type { BenchOptions } from './options.js';
import type { Results } from './results.js';
import { targetVerdicts, type TargetVerdict } from './targets.js';

export interface Report {
  measuredAt: string;
  options: BenchOptions;
  /** A full run: scale 1, every scenario. Only a full run replaces the table in bench/README.md. */
  full: boolean;
  durationSeconds: number;
  machine: { cpus: number; node: string; platform: string };
  servers: string;
  figures: FigureRow[];
  targets: TargetVerdict[];
  results: Results;
  errors: Record<string, string>;
  /** Warnings and errors the system under test logged, by kind (the 20 most frequent). */
  systemUnderTestWarnings: Record<string, number>;
}

export function buildReport(input: Omit<Report, 'figures' | 'targets'>): Report {
  return { ...input, figures: figureRows(input.results), targets: targetVerdicts(input.results) };
}

const cell = (value: number | null, unit: string) => (value === null ? (unit === 'ms' ? 'never (> drain)' : 'not measured') : `${value} ${unit}`);

export function markdownOf(report: Report): string {
  const lines = [
    `Measured ${report.measuredAt} (${report.durationSeconds} s) on ${report.machine.cpus} cores, Node ${report.machine.node}; ` +
      `scale ${report.options.scale}, sustained window ${report.options.sustainedSeconds} s, ${report.options.openConversations} open conversations` +
      `${report.options.only ? `, only ${report.options.only.join(', ')}` : ''}. ${report.servers}.`,
    '',
    '| Figure | Value | × floor | Floor |',
    '| --- | ---: | ---: | --- |',
    ...report.figures.map((row) => `| ${row.name} | ${cell(row.value, row.unit)} | ${row.vsFloor ?? '—'} | ${row.floor ?? '—'} |`),
    '',
    '| Target | This run | Limit | Met |',
    '| --- | ---: | ---: | :---: |',
    ...report.targets.map((t) => `| ${t.target} | ${t.figure} | ${t.limit} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`),
  ];
  const profiles: [string, DatabaseShare[] | undefined][] = [
    ['webhook → SSE, one at a time, per message', report.results.webhookToSse?.database],
    ['agent replies, per reply', report.results.replyToProvider?.database],
    ['sustained ingest at 8 in flight, per acknowledged message', report.results.ingest8?.database],
    ['sustained ingest at 64 in flight, per acknowledged message', report.results.ingest64?.database],
  ];
  for (const [what, shares] of profiles) {
    if (!shares?.length) continue;
    lines.push(
      '',
      `Database commands during ${what} (the costliest shapes; FerretDB scans the collection for any filter but exactly \`{_id}\`):`,
      '',
      '| Command | Per message | ms per message |',
      '| --- | ---: | ---: |',
      ...shares.map((row) => `| \`${row.shape}\` | ${row.perMessage} | ${row.msPerMessage} |`),
    );
  }
  const errors = Object.entries(report.errors);
  if (errors.length > 0) lines.push('', 'Failed scenarios:', '', ...errors.map(([name, message]) => `- ${name}: ${message}`));
  const warnings = Object.entries(report.systemUnderTestWarnings).sort((a, b) => b[1] - a[1]).slice(0, 10);
  if (warnings.length > 0) lines.push('', 'Warnings the system under test logged (most frequent first):', '', ...warnings.map(([message, count]) => `- ${count} × ${message}`));
  return `${lines.join('\n')}\n`;
}

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

export async function writeReport(report: Report, files: { json: string; markdown: string; readme: string }): Promise<void> {
  const markdown = markdownOf(report);
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, `# Latest benchmark results\n\n${markdown}`);
  if (!report.full) return;
  const readme = await readFile(files.readme, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return;
  await writeFile(files.readme, `${readme.slice(0, start + START.length)}\n${markdown}${readme.slice(end)}`);
}
