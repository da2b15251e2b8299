// RuleTester cases for the local rules; run by `npm run check` with `node --test`
// (vitest's projects cover only the packages, and vitest.config.ts is not ours).
import { RuleTester } from 'eslint';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import moduleBoundaries from './module-boundaries.js';
import packageImports from './package-imports.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const cwd = process.cwd();
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });
const src = (p) => join(cwd, 'packages/server/src', p);
const opts = [{ root: 'packages/server/src' }];
const err = () => ({ messageId: 'private' });

tester.run('module-boundaries', moduleBoundaries, {
  valid: [
    // Outside code through the index, in every spelling the bundler resolves.
    { filename: src('app.ts'), code: "import { usersPlugin } from './modules/users/index.ts';", options: opts },
    { filename: src('app.ts'), code: "import { usersPlugin } from './modules/users/index.js';", options: opts },
    { filename: src('app.ts'), code: "import { usersPlugin } from './modules/users/index';", options: opts },
    { filename: src('app.ts'), code: "import { usersPlugin } from './modules/users';", options: opts },
    { filename: src('app.ts'), code: "export * from './modules/users/';", options: opts },
    { filename: src('platform/auth/auth.ts'), code: "import type { UsersService } from '../../modules/users/index.ts';", options: opts },
    // Inside a module: anything in its own folder, including nested folders.
    { filename: src('modules/users/users.routes.ts'), code: "import { repo } from './users.repo.ts';", options: opts },
    { filename: src('modules/users/sub/deep.ts'), code: "import { t } from '../users.tables.ts';", options: opts },
    { filename: src('modules/users/users.service.ts'), code: "import { x } from '../../modules/users/users.repo.ts';", options: opts },
    // A module uses another module through its index.
    { filename: src('modules/jobs/jobs.service.ts'), code: "import type { UsersService } from '../users/index.ts';", options: opts },
    // Platform code and packages are not modules.
    { filename: src('modules/jobs/jobs.service.ts'), code: "import { db } from '../../platform/db/db.ts';", options: opts },
    { filename: src('app.ts'), code: "import { z } from 'zod'; import { x } from '@opsline/contracts';", options: opts },
    // Paths that leave the server root are not module imports.
    { filename: src('app.ts'), code: "import x from '../../contracts/src/modules/x.ts';", options: opts },
    // The Drizzle schema aggregator may import each module's tables file, and only that.
    {
      filename: src('platform/db/schema.ts'),
      code: "export * from '../../modules/tree/tree.tables.js';",
      options: [{ root: 'packages/server/src', tablesAggregator: 'platform/db/schema.ts' }],
    },
    // A module folder whose name merely starts like another one.
    { filename: src('modules/user/user.ts'), code: "import x from './user.repo.ts';", options: opts },
  ],
  invalid: [
    {
      filename: src('platform/db/schema.ts'),
      code: "export * from '../../modules/tree/tree.repo.js';",
      options: [{ root: 'packages/server/src', tablesAggregator: 'platform/db/schema.ts' }],
      errors: [err('tree')],
    },
    {
      filename: src('platform/db/other.ts'),
      code: "export * from '../../modules/tree/tree.tables.js';",
      options: [{ root: 'packages/server/src', tablesAggregator: 'platform/db/schema.ts' }],
      errors: [err('tree')],
    },
    {
      filename: src('app.ts'),
      code: "import { repo } from './modules/users/users.repo.ts';",
      options: opts,
      errors: [
        {
          message:
            "'./modules/users/users.repo.ts' reaches into module 'users' (modules/users/users.repo.ts); import it from modules/users/index.ts instead",
        },
      ],
    },
    {
      filename: src('modules/jobs/jobs.service.ts'),
      code: "import { usersTable } from '../users/users.tables.ts';",
      options: opts,
      errors: [err('users')],
    },
    {
      // Re-exports and dynamic imports count too.
      filename: src('platform/events/bus.ts'),
      code: "export { x } from '../../modules/alerts/alerts.service.ts'; const m = await import('../../modules/alerts/rules/eval.ts');",
      options: opts,
      errors: [err('alerts'), err('alerts')],
    },
    {
      // A sibling module's index of a nested folder is still private.
      filename: src('modules/jobs/jobs.routes.ts'),
      code: "import type { T } from '../users/sub/index.ts';",
      options: opts,
      errors: [err('users')],
    },
    {
      // Type-only imports are imports too.
      filename: src('app.ts'),
      code: "import type { Repo } from './modules/users/users.repo.ts'; type X = import('./modules/users/users.repo.ts').Repo;",
      options: opts,
      errors: [err('users'), err('users')],
    },
  ],
});

const contracts = (p) => join(cwd, 'packages/contracts/src', p);
const contractOpts = [{ allowPackages: ['zod'], within: 'packages/contracts/src' }];
const web = (p) => join(cwd, 'packages/web/src', p);
const webOpts = [{ denyPackages: ['@opsline/server'], denyPaths: ['packages/server'] }];

tester.run('package-imports', packageImports, {
  valid: [
    { filename: contracts('users.ts'), code: "import { z } from 'zod'; import { id } from './common.ts';", options: contractOpts },
    { filename: contracts('a/b.ts'), code: "import { z } from 'zod/v4'; import { id } from '../common.ts';", options: contractOpts },
    { filename: web('api/users.ts'), code: "import type { User } from '@opsline/contracts'; import { client } from './client.ts';", options: webOpts },
  ],
  invalid: [
    { filename: contracts('users.ts'), code: "import { randomUUID } from 'node:crypto';", options: contractOpts, errors: [{ messageId: 'notAllowed' }] },
    { filename: contracts('users.ts'), code: "import fs from 'fs';", options: contractOpts, errors: [{ messageId: 'notAllowed' }] },
    { filename: contracts('users.ts'), code: "import { x } from '@opsline/server';", options: contractOpts, errors: [{ messageId: 'notAllowed' }] },
    { filename: contracts('users.ts'), code: "import { x } from '../../server/src/app.ts';", options: contractOpts, errors: [{ messageId: 'outside' }] },
    { filename: web('api/users.ts'), code: "import { buildApp } from '@opsline/server';", options: webOpts, errors: [{ messageId: 'denied' }] },
    { filename: web('api/users.ts'), code: "import type { X } from '../../../server/src/app.ts';", options: webOpts, errors: [{ messageId: 'denied' }] },
  ],
});
