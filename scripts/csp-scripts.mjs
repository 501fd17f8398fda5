// Trunk post-build hook (Trunk.toml [[hooks]]): makes the built index.html run no inline script the
// Content-Security-Policy would have to name. Trunk's wasm loader (an inline module script) is moved to
// its own file, `boot-<hash>.js` beside the other hashed assets, loaded with `src` and `integrity`, so the
// production policy (index.html's <meta> and the CloudFront header in deploy/template.yaml) is simply
// `script-src 'self' 'wasm-unsafe-eval'`. Only `trunk serve`'s live-reload script stays inline, allowed by
// its sha256 in the <meta> policy. The 'inline-scripts' placeholder is replaced by those hashes (or by
// nothing in a release build).
//
// In a release build it also minifies the wasm-bindgen JS glue (every `modulepreload`ed module) with
// esbuild, from the project's npm tools like wasm-opt (Trunk's own minifier cannot parse the glue), and
// updates its `integrity`: the glue is part of the budgeted first load. (In this same hook, not a second
// one: Trunk runs a stage's hooks at once, and both rewrite index.html.)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const PLACEHOLDER = "'inline-scripts'";
const POLICY = /(http-equiv="Content-Security-Policy" content="[^"]*?) ?'inline-scripts'/;
if (!POLICY.test(html)) {
  console.error(`csp-scripts: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
const digest = (algorithm, text, encoding) => createHash(algorithm).update(text, 'utf8').digest(encoding);
const hash = (text) => `'sha256-${digest('sha256', text, 'base64')}'`;
// `trunk serve` fills its live-reload script's address with the request's Host header when it serves the
// page, so that script is hashed as served at the addresses of Trunk.toml's [serve] port (another host or
// port only loses live reload, never the app).
const port = readFileSync('Trunk.toml', 'utf8').match(/^port\s*=\s*(\d+)/m)?.[1] ?? '8080';
const asServed = (text) => [`127.0.0.1:${port}`, `localhost:${port}`].map((host) =>
  text.replaceAll("'{{__TRUNK_ADDRESS__}}'", `'${host}'`).replaceAll('{{__TRUNK_WS_BASE__}}', '/'));

let minified = 0;
let page = html;
if (process.env.TRUNK_PROFILE === 'release' || process.argv.includes('--minify')) {
  const esbuild = createRequire(join(process.cwd(), 'e2e', 'package.json'))('esbuild');
  page = html.replace(/<link rel="modulepreload" href="\/([^"]+\.js)"([^>]*?) integrity="[^"]*"/g, (_, name, between) => {
    const code = esbuild.transformSync(readFileSync(join(dir, name), 'utf8'), { minify: true, format: 'esm', target: 'es2020' }).code;
    writeFileSync(join(dir, name), code);
    minified += 1;
    return `<link rel="modulepreload" href="/${name}"${between} integrity="sha384-${digest('sha384', code, 'base64')}"`;
  });
}

const hashes = [];
let moved = 0;
const rewritten = page.replace(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g, (whole, attributes, body) => {
  if (body.includes('{{__TRUNK_ADDRESS__}}')) {
    hashes.push(...asServed(body).map(hash));
    return whole;
  }
  const name = `boot-${digest('sha256', body, 'hex').slice(0, 16)}.js`;
  writeFileSync(join(dir, name), body);
  moved += 1;
  const integrity = `sha384-${digest('sha384', body, 'base64')}`;
  return `<script${attributes} src="/${name}" integrity="${integrity}" crossorigin="anonymous"></script>`;
});
writeFileSync(file, rewritten.replace(POLICY, (_, before) => [before, ...hashes].join(' ')));
console.log(`csp-scripts: ${moved} inline script(s) moved to files, ${hashes.length} allowed by hash, ${minified} module(s) minified in ${file}`);
