// The layer rule: a domain imports only the layers below it. Relative specifiers are resolved by
// path (every import in src/ is relative), so no import resolver is needed.
import path from 'node:path';

/** From the top: each layer may import the ones after it. */
export const LAYERS = ['fusion', 'governance', 'finance', 'membership', 'notification', 'auth', 'audit', 'shared'];

/**
 * Above every layer: the composition root (app, schema, services, config, main, database/,
 * scripts/) and http/ (the downloads, calling the domains' services). They may import anything;
 * no layer may import them.
 */
const COMPOSITION = 'composition';

function layerOf(file, srcDir) {
  const relative = path.relative(srcDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const top = relative.split(path.sep)[0];
  return LAYERS.includes(top) ? top : COMPOSITION;
}

/** @type {import('eslint').Rule.RuleModule} */
const layerRule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'A layer imports only the layers below it: fusion → governance → finance → membership → notification → auth → audit → shared.',
    },
    schema: [],
    messages: {
      upward:
        '{{from}} must not import {{to}} ({{specifier}}): layers go fusion → governance → finance → membership → notification → auth → audit → shared, with the composition root (app, services, schema, database/, http/, scripts/) above all. Move the code down, or pass what it needs from above.',
    },
  },
  create(context) {
    const srcDir = path.join(context.cwd, 'src');
    const from = layerOf(context.filename, srcDir);
    if (from === null || from === COMPOSITION) return {};
    const check = (node, specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), specifier), srcDir);
      if (to === null || to === from) return;
      const allowed = to !== COMPOSITION && LAYERS.indexOf(to) > LAYERS.indexOf(from);
      if (!allowed) context.report({ node, messageId: 'upward', data: { from, to, specifier } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'import-direction': layerRule } };
