// One CommonJS file of the whole CLI: a SEA's main script is CommonJS and can require only built-ins.
import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { wrapTopLevelAwait } from './top-level-await.ts';

/**
 * classic-level finds its addon with `require('node-gyp-build')(__dirname)`, i.e. on disk next to the
 * package; inside the binary the addon is a SEA asset instead, so that call goes to sea-addon.ts.
 */
function seaAddonPlugin(repo: string): Plugin {
  const shim = join(repo, 'appliance/src/util/sea-addon.ts');
  return {
    name: 'sea-addon',
    setup(b) {
      b.onResolve({ filter: /^node-gyp-build$/ }, () => ({ path: 'node-gyp-build', namespace: 'sea-addon' }));
      b.onLoad({ filter: /.*/, namespace: 'sea-addon' }, () => ({
        contents: `module.exports = require(${JSON.stringify(shim)}).nodeGypBuild;`,
        loader: 'js',
        resolveDir: repo,
      }));
    },
  };
}

/**
 * pdfkit loads its standard fonts (the AFM metrics of Helvetica & co.) with a `createRequire` of its own
 * package's `#standard-fonts/…` imports at run time, which a bundle cannot resolve: point those calls at the
 * package's exported font modules so esbuild bundles them (the compliance report's PDF needs Helvetica).
 */
function pdfkitFontsPlugin(repo: string): Plugin {
  return {
    name: 'pdfkit-fonts',
    setup(b) {
      b.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit(\.node\.mjs|\.js)$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const contents = text.replace(/require\$1\('#standard-fonts\/(\w+)'\)/g, (_m, name: string) => `require('pdfkit/standard-fonts/${name}')`);
        if (contents === text) throw new Error('pdfkit no longer loads its fonts with require$1(\'#standard-fonts/…\'): update pdfkitFontsPlugin');
        // An ES module may still call require(): esbuild bundles the literal require() of the fonts either way.
        return { contents, loader: 'js', resolveDir: join(repo, 'node_modules/pdfkit/js') };
      });
    },
  };
}

/** The entry file only: top-level await → async main (see top-level-await.ts). */
function entryPlugin(entry: string): Plugin {
  const file = resolve(entry);
  return {
    name: 'sea-entry',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (resolve(args.path) !== file) return undefined;
        return { contents: wrapTopLevelAwait(readFileSync(file, 'utf8'), file), loader: 'ts' };
      });
    },
  };
}

export interface BundleResult {
  file: string;
  bytes: number;
}

export async function bundleCli(repo: string, entry: string, outFile: string, version: string): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minifySyntax: true,
    minifyWhitespace: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    nodePaths: [join(repo, 'node_modules')],
    plugins: [seaAddonPlugin(repo), pdfkitFontsPlugin(repo), entryPlugin(entry)],
    // ESM sources use import.meta.url (e.g. createRequire, file paths); in the CJS bundle it is the binary.
    define: {
      'import.meta.url': '__instantOnImportMetaUrl',
      'process.env.INSTANT_ON_BUILD_VERSION': JSON.stringify(version),
    },
    banner: { js: 'var __instantOnImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { file: outFile, bytes };
}
