import { readdirSync, readFileSync } from "node:fs";

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

function readStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces or parentheses; the fields after its last ")" are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid, ticks };
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

/** The process and all its descendants (cluster workers are children of the primary). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
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

export interface ProcSample {
  at: number;
  cpuSeconds: number;
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
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const seconds = (to.at - from.at) / 1000;
  return seconds > 0 ? ((to.cpuSeconds - from.cpuSeconds) / seconds) * 100 : 0;
}
