/** What /proc says about the machine and about one process: CPU time and memory. */
import { readdirSync, readFileSync } from "node:fs";

/** Busy and total jiffies of the whole machine so far (/proc/stat's first line). */
export function cpuJiffies(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
  const n = fields.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - (n[3] ?? 0) - (n[4] ?? 0), total };
}

/** User + system CPU seconds of process `pid` so far (/proc/PID/stat, 100 ticks a second). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at state; utime, stime are 14, 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

/** Resident and peak resident bytes of process `pid` (/proc/PID/status VmRSS, VmHWM). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

/** `pid` and every process below it (/proc/PID/task/TID/children), `pid` first. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const at = tree[i] ?? pid;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${at}/task`);
    } catch {
      continue; // the process ended meanwhile: it has no children to count
    }
    for (const task of tasks) {
      const children = readIfThere(`/proc/${at}/task/${task}/children`).trim();
      if (children !== "") tree.push(...children.split(/\s+/).map(Number));
    }
  }
  return tree;
}

/** Resident bytes of `pid` and every process below it; processes that end meanwhile count 0. */
export function treeRss(pid: number): number {
  return processTree(pid).reduce((sum, p) => {
    const status = readIfThere(`/proc/${p}/status`);
    return sum + Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }, 0);
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // the process ended between listing and reading
  }
}

/** Samples `treeRss(pid)` every 50 ms until stopped; `stop` returns the highest seen. */
export function sampleTreeRss(pid: number): { stop(): number } {
  let peak = treeRss(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRss(pid));
    },
  };
}
