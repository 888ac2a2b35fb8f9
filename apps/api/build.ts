/**
 * Bundles the server and the workspace packages it imports (TypeScript sources) into dist/main.js;
 * npm packages stay imports. Production runs that file on plain Node: tsx, which the dev and test
 * scripts use, compiles with esbuild's keepNames, which gives every closure an own `name`
 * property, costing memory per connection and time per call.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "npm-packages-stay-imports",
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@murmur/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
