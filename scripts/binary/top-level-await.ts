// A SEA's main script is CommonJS in Node 24 (ESM mains arrive in 25), and CommonJS has no top-level
// await, so esbuild refuses an entry that uses it. An entry module exports nothing, so its statements can
// run inside one async function without changing their meaning: imports stay on top, the rest moves into
// `async function main() {…}`, and a rejection is rethrown as an uncaught exception (as TLA would).
import ts from 'typescript';

function hasTopLevelAwait(node: ts.Node): boolean {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  return ts.forEachChild(node, hasTopLevelAwait) ?? false;
}

/** Returns the entry's source with its top-level awaits inside an async function, or unchanged without any. */
export function wrapTopLevelAwait(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const body = file.statements.filter((s) => !ts.isImportDeclaration(s));
  if (!body.some(hasTopLevelAwait)) return source;
  const exported = body.find((s) => ts.isExportDeclaration(s) || ts.isExportAssignment(s) ||
    (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)));
  if (exported) throw new Error(`${fileName}: an entry with top-level await must not export anything`);
  const imports = file.statements.filter(ts.isImportDeclaration).map((s) => s.getFullText(file)).join('');
  const rest = body.map((s) => s.getFullText(file)).join('');
  return `${imports}\nasync function __seaMain(): Promise<void> {${rest}\n}\n` +
    '__seaMain().catch((err: unknown) => { process.nextTick(() => { throw err; }); });\n';
}
