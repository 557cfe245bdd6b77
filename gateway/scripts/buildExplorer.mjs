// Bundles the explorer (GraphiQL, React and the SDK's operations) into dist/explorer/ with esbuild:
// index.html, explorer.js, explorer.css. Everything the page needs is in these three files, so it
// works offline and under a `'self'`-only Content-Security-Policy. Run by the package's `build`.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const gatewayDir = fileURLToPath(new URL('..', import.meta.url));
const operationsDir = fileURLToPath(new URL('../../schema/operations/', import.meta.url));
const outdir = `${gatewayDir}dist/explorer`;
const assets = ['index.html', 'explorer.js', 'explorer.css'];

/** `import documents from 'explorer:operations'`: the text of every `*.graphql` file, by name. */
const operationsPlugin = {
  name: 'explorer-operations',
  setup(context) {
    context.onResolve({ filter: /^explorer:operations$/ }, () => ({
      path: operationsDir,
      namespace: 'explorer-operations',
    }));
    context.onLoad({ filter: /.*/, namespace: 'explorer-operations' }, async () => {
      const files = (await readdir(operationsDir)).filter((f) => f.endsWith('.graphql')).sort();
      const documents = await Promise.all(files.map((f) => readFile(operationsDir + f, 'utf8')));
      return {
        contents: `export default ${JSON.stringify(documents)};`,
        loader: 'js',
        watchFiles: files.map((f) => operationsDir + f),
      };
    });
  },
};

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Booking Platform explorer</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/explorer/explorer.css" />
    <style>
      html, body, #explorer { height: 100%; margin: 0; }
    </style>
  </head>
  <body>
    <div id="explorer"></div>
    <script type="module" src="/explorer/explorer.js"></script>
  </body>
</html>
`;

// Only the bundle's own files: tsc writes the compiled createExplorerTabs beside them.
await mkdir(outdir, { recursive: true });
await Promise.all(assets.map((name) => rm(`${outdir}/${name}`, { force: true })));
const result = await build({
  entryPoints: { explorer: `${gatewayDir}src/explorer/main.jsx` },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  jsx: 'automatic',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [operationsPlugin],
  metafile: true,
  logLevel: 'warning',
});
await writeFile(`${outdir}/index.html`, html);

// esbuild leaves absolute URLs in CSS alone; one would break the page offline (and under the CSP).
const css = await readFile(`${outdir}/explorer.css`, 'utf8');
const remote = css.match(/url\(\s*['"]?(?:https?:)?\/\/[^)]*\)|@import[^;]*/g);
if (remote) throw new Error(`explorer.css loads from elsewhere: ${remote.join(', ')}`);

const sizes = Object.entries(result.metafile.outputs).map(
  ([file, { bytes }]) => `${file.split('/').pop()} ${(bytes / 1024).toFixed(0)} KiB`,
);
console.log(`explorer: ${sizes.join(', ')}`);
