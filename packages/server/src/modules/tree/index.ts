import type { FastifyInstance } from 'fastify';
import type { HostStatus } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import type { PlatformServices } from '../../platform/services.js';
import { appRepo } from './app.repo.js';
import { appRoutes } from './app.routes.js';
import { createAppService } from './app.service.js';
import { hostRepo } from './host.repo.js';
import { hostRoutes } from './host.routes.js';
import { createHostService, type AgentHostFacts, type HostWithNodes } from './host.service.js';
import { treeRepo } from './tree.repo.js';
import { treeRoutes } from './tree.routes.js';
import { createTreeService, type NodeBinding } from './tree.service.js';
import { outermost } from './visibility.js';

export type { NodeBinding } from './tree.service.js';
export type { AgentHostFacts } from './host.service.js';

/** A host as other modules target it (jobs, agents). */
export interface HostTarget {
  id: string;
  hostname: string;
  ips: string[];
  status: HostStatus;
}

/** What other modules may use of the service tree and the CMDB. */
export interface TreeModule {
  /**
   * May the user do `permission` on the node: a global grant, or a grant on the
   * node or any node above it.
   */
  can(userId: string, permission: string, nodeId: string): Promise<boolean>;
  /** The node's id and its ancestors' ids, nearest first; empty when there is no such node. */
  ancestry(nodeId: string): Promise<string[]>;
  /** The nodes and every node below them: what grants on them reach (unknown ids add nothing). */
  subtreeIds(nodeIds: string[]): Promise<string[]>;
  /** Every host bound at or below any of the nodes, by hostname. */
  hostsUnder(nodeIds: string[]): Promise<HostTarget[]>;
  /** Another module's resources bound to nodes: counted by delete protection, unbound by a cascade. */
  addBinding(binding: NodeBinding): void;
  /** An agent's facts into the CMDB (in the caller's transaction): the host's id. */
  recordAgentHost(ctx: MutationContext, facts: AgentHostFacts, nodeId: string | null): Promise<string>;
  setHostStatus(hostIds: string[], status: HostStatus): Promise<void>;
  /** Hosts by id with the node ids they are bound to (unknown ids left out). */
  hostTargets(hostIds: string[]): Promise<(HostTarget & { nodeIds: string[] })[]>;
  /** A node's path, and whether it is a leaf; undefined when there is no such node. */
  nodeInfo(nodeId: string, tx?: Db): Promise<{ id: string; path: string; isLeaf: boolean } | undefined>;
  /** Hosts whose hostname or one of whose IPs is among `names` (hostnames compared lower-case), with their node ids: how alerts name hosts. */
  hostsByAddress(names: string[]): Promise<(HostTarget & { nodeIds: string[] })[]>;
  /** Node ids for refs that are tree paths (`infra.web`) or node ids; unknown refs are left out. */
  nodesByRef(refs: string[]): Promise<Map<string, string>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const targetOf = (r: HostWithNodes): HostTarget & { nodeIds: string[] } => ({ id: r.id, hostname: r.hostname, ips: r.ips, status: r.status, nodeIds: r.nodes.map((n) => n.id) });

/** Registers the service tree's and the CMDB's routes and installs node inheritance into permission checks. */
export function registerTreeModule(app: FastifyInstance, platform: PlatformServices): TreeModule {
  const deps = { db: platform.db, clock: platform.clock };
  const tree = createTreeService({ ...deps, rbac: platform.rbac });
  const hosts = createHostService({ ...deps, tree, users: platform.users });
  const apps = createAppService({ ...deps, tree, users: platform.users });
  tree.addBinding({
    what: 'hosts',
    count: (tx, subtree) => hostRepo.countUnder(tx, subtree.idPath),
    unbind: async (ctx, subtree) => void (await hostRepo.unbindUnder(ctx.tx, subtree.idPath)),
  });
  tree.addBinding({
    what: 'apps',
    count: (tx, subtree) => appRepo.countUnder(tx, subtree.idPath),
    unbind: async (ctx, subtree) => void (await appRepo.detachUnder(ctx.tx, subtree.idPath)),
  });
  treeRoutes(app, platform, tree);
  hostRoutes(app, platform, tree, hosts);
  appRoutes(app, apps);
  return {
    can: (userId, permission, nodeId) => platform.rbac.can(userId, permission, nodeId),
    ancestry: (nodeId) => tree.ancestry(nodeId),
    subtreeIds: async (nodeIds) => treeRepo.idsUnder(platform.db, outermost(await treeRepo.idPathsOf(platform.db, nodeIds))),
    hostsUnder: (nodeIds) => hosts.under(nodeIds),
    addBinding: (binding) => tree.addBinding(binding),
    recordAgentHost: (ctx, facts, nodeId) => hosts.recordFromAgent(ctx, facts, nodeId),
    setHostStatus: (hostIds, status) => hosts.setStatus(hostIds, status),
    hostTargets: async (hostIds) => (await hosts.targets(hostIds)).map(targetOf),
    hostsByAddress: async (names) => (await hosts.byAddress(names.map((n) => n.toLowerCase()))).map(targetOf),
    nodesByRef: async (refs) => {
      const ids = refs.filter((r) => UUID.test(r));
      const [byPath, byId] = await Promise.all([treeRepo.byPaths(platform.db, refs), treeRepo.pathsOf(platform.db, ids)]);
      return new Map([...byPath.map((n): [string, string] => [n.path, n.id]), ...[...byId.keys()].map((id): [string, string] => [id, id])]);
    },
    nodeInfo: async (nodeId, tx = platform.db) => {
      const node = await treeRepo.byId(tx, nodeId);
      return node && { id: node.id, path: node.path, isLeaf: node.isLeaf };
    },
  };
}
