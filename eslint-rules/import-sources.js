// Shared by the local rules: visits every static import source of a file
// (import/export-from, dynamic import('…'), import('…') types, import x = require('…')).

/** Calls `check(specifier, node)` for every import specifier in the file. */
export function importVisitors(check) {
  const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node : null);
  const visit = (node, source) => {
    const lit = literal(source);
    if (lit) check(lit.value, lit);
  };
  return {
    ImportDeclaration: (node) => visit(node, node.source),
    ExportNamedDeclaration: (node) => visit(node, node.source),
    ExportAllDeclaration: (node) => visit(node, node.source),
    ImportExpression: (node) => visit(node, node.source),
    TSImportType: (node) => visit(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.source),
    TSExternalModuleReference: (node) => visit(node, node.expression),
  };
}

export const isRelative = (spec) => spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');

/** The package name of a bare specifier: `@scope/name/x` → `@scope/name`, `zod/v4` → `zod`. */
export function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
