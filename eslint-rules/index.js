// Opsline's local ESLint rules, registered in eslint.config.js as plugin `opsline`.
import moduleBoundaries from './module-boundaries.js';
import packageImports from './package-imports.js';

export default {
  meta: { name: 'eslint-plugin-opsline' },
  rules: {
    'module-boundaries': moduleBoundaries,
    'package-imports': packageImports,
  },
};
