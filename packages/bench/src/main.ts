import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig, USAGE } from "./config";
import { resultsDir } from "./paths";
import { toPrettyJson } from "./report/json";
import { renderSvg } from "./report/svg";
import { renderReport } from "./report/table";
import { runBench } from "./run";

const config = parseConfig(process.argv.slice(2));
if (config === "help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// Progress only for a person watching; piped runs get the report alone.
const progress =
  process.stderr.isTTY || process.env.BENCH_PROGRESS === "1"
    ? (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`)
    : undefined;

const results = await runBench(config, progress);
const outputDir = config.outputDir ?? resultsDir;
mkdirSync(outputDir, { recursive: true });
writeFileSync(join(outputDir, "latest.json"), toPrettyJson(results));
writeFileSync(join(outputDir, "latest.svg"), renderSvg(results));
process.stdout.write(renderReport(results));
process.stdout.write(`\nWrote ${join(outputDir, "latest.json")} and latest.svg\n`);
// Benchmarks never fail on speed; only a run that could not measure anything is an error.
process.exit(results.errors.length > 0 && results.rooms.length + results.idle.length === 0 ? 1 : 0);
