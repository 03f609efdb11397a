import { cpus, loadavg, totalmem } from "node:os";
import type { SizeResult, SkippedSize } from "./sizes.ts";

export type SizeOutcome = SizeResult | SkippedSize;
export const isSkipped = (outcome: SizeOutcome): outcome is SkippedSize => "skipped" in outcome;

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    date: new Date().toISOString(),
    /** 1-minute load average when the bench started: other work on the machine skews every timing. */
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const ms1 = fixed(1);
const whole = (value: number) => Math.round(value).toLocaleString("en-US");

interface Column {
  header: string;
  align: "left" | "right";
  cell: (result: SizeResult) => string;
}

const columns: Column[] = [
  { header: "size", align: "left", cell: (r) => r.label },
  { header: "data", align: "left", cell: (r) => r.data },
  { header: "papers", align: "right", cell: (r) => whole(r.papers) },
  { header: "ingest/s", align: "right", cell: (r) => whole(r.ingestPerSecond) },
  { header: "DB MB", align: "right", cell: (r) => fixed(1)(r.databaseMb) },
  { header: "search p50", align: "right", cell: (r) => ms1(r.search.p50) },
  { header: "p95 ms", align: "right", cell: (r) => ms1(r.search.p95) },
  { header: "suggest p95 ms", align: "right", cell: (r) => ms1(r.suggest.p95) },
  { header: "cold start¹ ms", align: "right", cell: (r) => whole(r.coldStart.spawnToAnswerMs) },
  { header: "open→answer² ms", align: "right", cell: (r) => ms1(r.inProcessOpenToAnswerMs) },
  { header: "RSS³ MB", align: "right", cell: (r) => whole(r.rssMb.afterQueries) },
  {
    header: "fuse p50⁴ ms",
    align: "right",
    cell: (r) => (r.naive ? whole(r.naive.naiveP50) : "—"),
  },
  {
    header: "speed-up",
    align: "right",
    cell: (r) => (r.naive ? `${whole(r.naive.speedup)}×` : "—"),
  },
];

/** The results, one aligned row per size; a skipped size spans the row with its reason. */
export function table(outcomes: readonly SizeOutcome[]): string {
  const rows = outcomes.map((o) =>
    isSkipped(o) ? [o.label, `skipped: ${o.skipped}`] : columns.map((c) => c.cell(o)),
  );
  const widths = columns.map((c, i) =>
    Math.max(
      c.header.length,
      ...rows
        .filter((row) => row.length === columns.length)
        .map((row) => (row[i] as string).length),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const column = columns[i];
        if (!column || (cells.length < columns.length && i === cells.length - 1)) return cell;
        return column.align === "left"
          ? cell.padEnd(widths[i] as number)
          : cell.padStart(widths[i] as number);
      })
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  return [header, "-".repeat(header.length), ...rows.map(line)].join("\n");
}

export interface Target {
  name: string;
  value: number | undefined;
  display: string;
  goal: string;
  met: boolean | undefined;
}

export function target(
  name: string,
  value: number | undefined,
  goal: string,
  met: (v: number) => boolean,
  show: (v: number) => string,
): Target {
  return {
    name,
    value,
    display: value === undefined ? "n/a" : show(value),
    goal,
    met: value === undefined ? undefined : met(value),
  };
}

export function targetsLine(targets: readonly Target[]): string {
  const mark = (t: Target) => (t.met === undefined ? "–" : t.met ? "✓" : "✗");
  return targets.map((t) => `${mark(t)} ${t.name} ${t.display} (${t.goal})`).join("  ");
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
