import type { FastifyInstance } from 'fastify';
import type { GuardVerdict, ScriptLanguage, ScriptParam } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { guardRuleRoutes } from './guard-rule.routes.js';
import { createGuardRuleService } from './guard-rule.service.js';
import { scriptRepo } from './scripts.repo.js';
import { scriptRoutes } from './scripts.routes.js';
import { createScriptService } from './scripts.service.js';

/** One saved version of a script, as the job center runs it. */
export interface ScriptVersionRef {
  scriptId: string;
  name: string;
  nodeId: string | null;
  version: number;
  language: ScriptLanguage;
  content: string;
  params: ScriptParam[];
}

/** What other modules (the job center) use of the script library and the dangerous-command guard. */
export interface ScriptsModule {
  /** A version of a script (the latest when `version` is undefined); undefined when there is none. */
  version(scriptId: string, version?: number): Promise<ScriptVersionRef | undefined>;
  /** What the enabled guard rules say of a script's content. */
  guard(content: string): Promise<GuardVerdict>;
}

/**
 * Registers the script library's and the guard rules' routes, binds scripts
 * to tree nodes (a node's delete counts them; a cascade makes them global),
 * and seeds the built-in guard rules when the app is ready (after migration).
 */
export function registerScriptsModule(app: FastifyInstance, platform: PlatformServices, tree: TreeModule): ScriptsModule {
  const scripts = createScriptService({ platform, tree });
  const rules = createGuardRuleService({ platform });
  tree.addBinding({
    what: 'scripts',
    count: (tx, subtree) => scriptRepo.countOnNodes(tx, subtree.ids),
    unbind: (ctx, subtree) => scriptRepo.detachFromNodes(ctx.tx, subtree.ids, platform.clock.now()),
  });
  scriptRoutes(app, scripts);
  guardRuleRoutes(app, rules);
  app.addHook('onReady', () => rules.seed());
  return {
    version: (scriptId, version) => scripts.resolve(scriptId, version),
    guard: (content) => rules.check(content),
  };
}
