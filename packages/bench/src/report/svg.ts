import type { BenchResults, SteppedResult } from "../results";

/** A dependency-free bar chart: sustainable rate and its p99 per server, for the two stepped scenarios. */

const COLORS: Record<string, string> = { murmur: "#6d28d9", socketio: "#0891b2", ws: "#9ca3af" };
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface Bar {
  label: string;
  value: number;
  text: string;
  color: string;
}

function panel(x: number, y: number, width: number, height: number, title: string, bars: Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = bars.length > 0 ? (width - 20) / bars.length : width;
  const parts = [
    `<text x="${x}" y="${y + 14}" font-size="13" font-weight="600">${escape(title)}</text>`,
    `<line x1="${x}" y1="${y + height}" x2="${x + width}" y2="${y + height}" stroke="#444"/>`,
  ];
  bars.forEach((bar, i) => {
    const barHeight = ((height - 50) * bar.value) / max;
    const bx = x + 10 + i * slot + slot * 0.15;
    const bw = slot * 0.7;
    const by = y + height - barHeight;
    parts.push(
      `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${bw.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${bar.color}"/>`,
      `<text x="${(bx + bw / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" font-size="11" text-anchor="middle">${escape(bar.text)}</text>`,
      `<text x="${(bx + bw / 2).toFixed(1)}" y="${y + height + 14}" font-size="11" text-anchor="middle">${escape(bar.label)}</text>`,
    );
  });
  return parts.join("\n");
}

function bars(list: SteppedResult[], pick: "rate" | "deliveries" | "p99"): Bar[] {
  return list.map((r) => {
    const best = r.best;
    const value =
      pick === "rate"
        ? (best?.persistedPerSec ?? 0)
        : pick === "deliveries"
          ? (best?.deliveriesPerSec ?? 0)
          : (best?.p99Ms ?? 0);
    return {
      label: r.target,
      value,
      text: best ? (pick === "p99" ? `${value.toFixed(1)} ms` : value.toFixed(0)) : "none",
      color: COLORS[r.target] ?? "#999",
    };
  });
}

export function renderSvg(results: BenchResults): string {
  const embedded = results.embedded ? [{ ...results.embedded, target: "murmur" as const }] : [];
  const panels = [
    { title: "Rooms: sustainable persisted msg/s", bars: bars(results.rooms, "rate") },
    { title: "Rooms: p99 at that rate", bars: bars(results.rooms, "p99") },
    { title: "Big room: sustainable deliveries/s", bars: bars(results.bigRoom, "deliveries") },
    { title: "Big room: p99 at that rate", bars: bars(results.bigRoom, "p99") },
    { title: "Embedded: sustainable msg/s", bars: bars(embedded, "rate").map((b) => ({ ...b, label: "pglite" })) },
    { title: "Embedded: p99", bars: bars(embedded, "p99").map((b) => ({ ...b, label: "pglite" })) },
  ];
  const width = 300;
  const height = 200;
  const columns = 2;
  const body = panels
    .map((p, i) =>
      panel(
        20 + (i % columns) * (width + 40),
        50 + Math.floor(i / columns) * (height + 50),
        width,
        height,
        p.title,
        p.bars,
      ),
    )
    .join("\n");
  const total = { w: 20 + columns * (width + 40), h: 60 + Math.ceil(panels.length / columns) * (height + 50) };
  const checks = results.targets
    .map((t) => `${t.pass === null ? "N/A" : t.pass ? "PASS" : "MISS"} ${t.name}`)
    .join(" · ");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total.w}" height="${total.h + 20}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="20" y="24" font-size="15" font-weight="700">Murmur benchmark ${escape(results.finishedAt)}${results.smoke ? " (smoke)" : ""}</text>
<text x="20" y="40" font-size="10">${escape(checks)}</text>
${body}
</svg>
`;
}
