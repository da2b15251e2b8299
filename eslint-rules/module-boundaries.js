// opsline/module-boundaries: a server module's folder is private except for
// its index.ts (DESIGN.md §2: "outside code imports a module only through its
// index.ts"). Code inside modules/<x>/ may import anything in its own folder;
// code elsewhere may import from modules/<x>/ only modules/<x>/index.ts.
//
// Options: { root: 'packages/server/src' } — the src dir, relative to ESLint's cwd;
// { tablesAggregator: 'platform/db/schema.ts' } — the one file (relative to root)
// that may import every module's `<x>.tables.ts`: Drizzle's schema for
// migrations and the typed database handle must see every table.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { importVisitors, isRelative } from './import-sources.js';

// What a specifier may name to mean "the module's index": the folder itself
// (resolved to index.ts by the bundler), or index with or without extension.
const INDEX_FORMS = new Set(['', 'index', 'index.ts', 'index.js']);

/** For a path inside `<root>/modules/<x>/…`: {name: x, rest: path inside x}; else null. */
function moduleOf(root, absPath) {
  const rel = relative(root, absPath);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  const parts = rel.split(sep);
  if (parts[0] !== 'modules' || parts.length < 2 || parts[1] === '') return null;
  return { name: parts[1], rest: parts.slice(2).join('/') };
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Outside code imports a server module only through its index.ts' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, tablesAggregator: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: {
      private:
        "'{{spec}}' reaches into module '{{module}}' ({{target}}); import it from modules/{{module}}/index.ts instead",
    },
  },
  create(context) {
    const cwd = context.cwd ?? context.getCwd();
    const root = resolve(cwd, context.options[0]?.root ?? 'packages/server/src');
    const filename = context.filename ?? context.getFilename();
    const from = moduleOf(root, filename);
    const aggregator = context.options[0]?.tablesAggregator;
    const isAggregator = aggregator !== undefined && resolve(root, aggregator) === resolve(filename);
    return importVisitors((spec, node) => {
      if (!isRelative(spec)) return;
      const target = moduleOf(root, resolve(dirname(filename), spec));
      if (!target) return;
      if (from && from.name === target.name) return;
      if (INDEX_FORMS.has(target.rest)) return;
      if (isAggregator && /^[^/]+\.tables(\.[jt]s)?$/.test(target.rest)) return;
      context.report({
        node,
        messageId: 'private',
        data: { spec, module: target.name, target: `modules/${target.name}/${target.rest}` },
      });
    });
  },
};
