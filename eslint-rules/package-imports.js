// opsline/package-imports: keeps the package direction of DESIGN.md §2
// (contracts → nothing of ours and no node:*; web ↛ server).
//
// Options (paths relative to ESLint's cwd):
//   allowPackages: [..]  when given, the only bare specifiers allowed (so `node:*` and builtins are out)
//   denyPackages:  [..]  bare specifiers (and their subpaths) that are never allowed
//   within:        'dir'  relative imports must stay inside this dir
//   denyPaths:     [..]  relative imports must not resolve into these dirs
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { importVisitors, isRelative, packageName } from './import-sources.js';

const inside = (dir, p) => {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Restricts which packages and paths a workspace package may import' },
    schema: [
      {
        type: 'object',
        properties: {
          allowPackages: { type: 'array', items: { type: 'string' } },
          denyPackages: { type: 'array', items: { type: 'string' } },
          within: { type: 'string' },
          denyPaths: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowed: "'{{spec}}' is not allowed here: this package may import only {{allowed}} and its own files",
      denied: "'{{spec}}' is not allowed here: this package must not depend on {{what}}",
      outside: "'{{spec}}' leaves {{within}}: import other packages by their package name",
    },
  },
  create(context) {
    const cwd = context.cwd ?? context.getCwd();
    const opts = context.options[0] ?? {};
    const filename = context.filename ?? context.getFilename();
    const within = opts.within ? resolve(cwd, opts.within) : null;
    const denyPaths = (opts.denyPaths ?? []).map((p) => ({ name: p, abs: resolve(cwd, p) }));
    return importVisitors((spec, node) => {
      if (isRelative(spec) || spec.startsWith('/')) {
        const target = resolve(dirname(filename), spec);
        if (within && !inside(within, target)) {
          context.report({ node, messageId: 'outside', data: { spec, within: opts.within } });
          return;
        }
        const hit = denyPaths.find((d) => inside(d.abs, target));
        if (hit) context.report({ node, messageId: 'denied', data: { spec, what: hit.name } });
        return;
      }
      const pkg = packageName(spec);
      if (opts.allowPackages && !opts.allowPackages.includes(pkg)) {
        context.report({ node, messageId: 'notAllowed', data: { spec, allowed: opts.allowPackages.join(', ') } });
        return;
      }
      if (opts.denyPackages?.includes(pkg)) {
        context.report({ node, messageId: 'denied', data: { spec, what: pkg } });
      }
    });
  },
};
