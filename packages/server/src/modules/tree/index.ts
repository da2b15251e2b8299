import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../platform/services.js';
import { treeRoutes } from './tree.routes.js';
import { createTreeService } from './tree.service.js';

/** What other modules may use of the service tree. */
export interface TreeModule {
  /**
   * May the user do `permission` on the node: a global grant, or a grant on the
   * node or any node above it.
   */
  can(userId: string, permission: string, nodeId: string): Promise<boolean>;
  /** The node's id and its ancestors' ids, nearest first; empty when there is no such node. */
  ancestry(nodeId: string): Promise<string[]>;
}

/** Registers the service tree's routes and installs node inheritance into permission checks. */
export function registerTreeModule(app: FastifyInstance, platform: PlatformServices): TreeModule {
  const tree = createTreeService({ db: platform.db, clock: platform.clock, rbac: platform.rbac });
  treeRoutes(app, platform, tree);
  return {
    can: (userId, permission, nodeId) => platform.rbac.can(userId, permission, nodeId),
    ancestry: (nodeId) => tree.ancestry(nodeId),
  };
}
