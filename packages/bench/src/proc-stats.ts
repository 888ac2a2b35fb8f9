import { readdirSync, readFileSync } from "node:fs";

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

function readStat(pid: number): { command: string; ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces or parentheses; the fields after its last ")" are fixed.
    const command = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { command, ppid, ticks };
  } catch {
    return null;
  }
}

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const allPids = () =>
  readdirSync("/proc")
    .map(Number)
    .filter((pid) => Number.isInteger(pid));

/** The process and all its descendants (cluster workers are children of the primary). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0 && tree.length < 10_000) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU time used by the sample's time (performance.now(), ms). */
export interface CpuSample {
  at: number;
  cpuSeconds: number;
}

export interface ProcSample extends CpuSample {
  rssKiB: number;
}

export function sampleTree(pids: number[]): ProcSample {
  let ticks = 0;
  let rss = 0;
  for (const pid of pids) {
    ticks += readStat(pid)?.ticks ?? 0;
    rss += rssKiB(pid);
  }
  return { at: performance.now(), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssKiB: rss };
}

/** CPU use between two samples, in percent of one core (200% = both cores of this machine). */
export function cpuPercent(from: CpuSample, to: CpuSample): number {
  const seconds = (to.at - from.at) / 1000;
  return seconds > 0 ? ((to.cpuSeconds - from.cpuSeconds) / seconds) * 100 : 0;
}

/**
 * CPU time of the processes named `command` (PostgreSQL's server and backends, on this machine),
 * by pid, so a step's share can be told apart from the server's and the load generator's.
 */
export function sampleCommand(command: string): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat?.command === command) ticks.set(pid, stat.ticks);
  }
  return ticks;
}

/** CPU use of those processes between two samples (those alive at both), in percent of one core. */
export function commandCpuPercent(from: Map<number, number>, to: Map<number, number>, seconds: number): number {
  let ticks = 0;
  for (const [pid, before] of from) {
    const after = to.get(pid);
    if (after !== undefined) ticks += after - before;
  }
  return seconds > 0 ? (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100 : 0;
}

/** Busy CPU time of the whole machine, from /proc/stat (everything but idle and I/O wait). */
export function sampleMachine(): CpuSample {
  const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
  const ticks = (cpu ?? "").trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { at: performance.now(), cpuSeconds: (total - idle) / CLOCK_TICKS_PER_SECOND };
}
