import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const api = process.env.MURMUR_API_URL ?? "http://127.0.0.1:3000";

/**
 * Stamps the built `sw.js` (copied from public/) with this build's version and hashed assets, so
 * each deploy ships a service worker that differs byte-for-byte: the browser installs it, it
 * precaches the new files and drops the old cache.
 */
function serviceWorkerManifest(): Plugin {
  let outDir = "dist";
  let assets: string[] = [];
  return {
    name: "murmur-service-worker-manifest",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      assets = Object.keys(bundle)
        .filter((file) => file.startsWith("assets/") && !file.endsWith(".map"))
        .map((file) => `/${file}`)
        .sort();
    },
    closeBundle() {
      const file = join(outDir, "sw.js");
      const source = readFileSync(file, "utf8");
      // Anything the shell is made of changes the version: hashed asset names, index.html, this worker.
      const version = createHash("sha256")
        .update(assets.join("\n"))
        .update(readFileSync(join(outDir, "index.html")))
        .update(source)
        .digest("hex")
        .slice(0, 12);
      const marker = /\/\* build-manifest \*\/[^;]*;/;
      if (!marker.test(source)) throw new Error("sw.js: the build-manifest line is missing");
      writeFileSync(file, source.replace(marker, `/* build-manifest */ ${JSON.stringify({ version, assets })};`));
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorkerManifest()],
  server: {
    port: 5173,
    proxy: {
      "/trpc": { target: api, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "vendor", test: /node_modules/ },
          ],
        },
      },
    },
  },
});
