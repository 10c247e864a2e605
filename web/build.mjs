// Builds the browser client: type-checks web/src (esbuild does not), bundles web/src/main.ts with
// RxJS into dist/web/app.js, and copies index.html and app.css beside it. `rxagent serve` serves
// dist/web/ over HTTP on its websocket port.
//
//   node web/build.mjs            (part of `npm run build`)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const root = dirname(web);
const out = join(root, 'dist', 'web');

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(web, 'tsconfig.json')], { stdio: 'inherit' });

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(web, 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari16'],
  // The ESM build of RxJS (tree-shakeable), as the CLI bundle uses.
  alias: { rxjs: join(root, 'node_modules', 'rxjs', 'dist', 'esm') },
  sourcemap: true,
  minify: false,
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) copyFileSync(join(web, file), join(out, file));
