/**
 * Where each step of a workflow sits in its picture: layered by its needs
 * (a step one row below the lowest step it needs), each row ordered by where
 * its steps' needs sit to keep arrows short. Steps caught in a cycle go in a
 * last row, and the arrows between them are marked, so an invalid draft still
 * draws. Needs naming no step are left out.
 */

export interface DagStep {
  key: string;
  needs: readonly string[];
}

export interface DagNode {
  key: string;
  layer: number;
  /** Position in its layer, from the left. */
  slot: number;
  x: number;
  y: number;
}

export interface DagEdge {
  from: string;
  to: string;
  /** Part of a cycle: drawn as a problem. */
  cyclic: boolean;
  path: string;
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 48;
const GAP_X = 24;
const GAP_Y = 40;
const PAD = 12;

/** Layers by longest path from the steps that need nothing (Kahn's order); `null` for steps in a cycle. */
function layersOf(steps: readonly DagStep[]): Map<string, number | null> {
  const keys = new Set(steps.map((s) => s.key));
  const needsOf = new Map(steps.map((s) => [s.key, [...new Set(s.needs)].filter((n) => keys.has(n) && n !== s.key)]));
  const waiting = new Map([...needsOf].map(([k, n]) => [k, n.length]));
  const layer = new Map<string, number | null>(steps.map((s) => [s.key, null]));
  const ready = steps.filter((s) => waiting.get(s.key) === 0).map((s) => s.key);
  while (ready.length > 0) {
    const key = ready.shift() as string;
    layer.set(key, Math.max(-1, ...(needsOf.get(key) ?? []).map((n) => layer.get(n) ?? -1)) + 1);
    for (const [other, needs] of needsOf) {
      if (!needs.includes(key)) continue;
      const left = (waiting.get(other) ?? 0) - 1;
      waiting.set(other, left);
      if (left === 0) ready.push(other);
    }
  }
  return layer;
}

export function layoutDag(steps: readonly DagStep[]): DagLayout {
  const layers = layersOf(steps);
  const deepest = Math.max(-1, ...[...layers.values()].map((l) => l ?? -1));
  const inCycle = new Set(steps.filter((s) => layers.get(s.key) === null).map((s) => s.key));
  const layerOf = (key: string): number => layers.get(key) ?? deepest + 1;

  const rows: string[][] = [];
  for (const s of steps) (rows[layerOf(s.key)] ??= []).push(s.key);
  const slot = new Map<string, number>();
  const needsOf = new Map(steps.map((s) => [s.key, s.needs.filter((n) => layers.has(n))]));
  for (const row of rows) {
    if (!row) continue;
    // Barycentre of what it needs (already placed rows above); steps without keep their order.
    const weight = (key: string, i: number): number => {
      const placed = (needsOf.get(key) ?? []).map((n) => slot.get(n)).filter((v): v is number => v !== undefined);
      return placed.length ? placed.reduce((a, b) => a + b, 0) / placed.length : i;
    };
    const ordered = row.map((key, i) => ({ key, w: weight(key, i), i })).sort((a, b) => a.w - b.w || a.i - b.i);
    ordered.forEach((o, i) => slot.set(o.key, i));
  }

  const widest = Math.max(1, ...rows.map((r) => r?.length ?? 0));
  const width = PAD * 2 + widest * NODE_WIDTH + (widest - 1) * GAP_X;
  const nodes: DagNode[] = steps.map((s) => {
    const layer = layerOf(s.key);
    const count = rows[layer]?.length ?? 1;
    const rowWidth = count * NODE_WIDTH + (count - 1) * GAP_X;
    const i = slot.get(s.key) ?? 0;
    return { key: s.key, layer, slot: i, x: (width - rowWidth) / 2 + i * (NODE_WIDTH + GAP_X), y: PAD + layer * (NODE_HEIGHT + GAP_Y) };
  });
  const at = new Map(nodes.map((n) => [n.key, n]));
  const edges: DagEdge[] = [];
  for (const s of steps) {
    const to = at.get(s.key);
    for (const need of new Set(s.needs)) {
      const from = at.get(need);
      if (!from || !to || need === s.key) continue;
      edges.push({ from: need, to: s.key, cyclic: inCycle.has(need) && inCycle.has(s.key), path: edgePath(from, to) });
    }
  }
  const rowsUsed = rows.length || 1;
  return { nodes, edges, width, height: PAD * 2 + rowsUsed * NODE_HEIGHT + (rowsUsed - 1) * GAP_Y };
}

/** Bottom centre of `from` to top centre of `to`; upwards (a cycle) it bends around the side. */
function edgePath(from: DagNode, to: DagNode): string {
  const x1 = from.x + NODE_WIDTH / 2;
  const y1 = from.y + NODE_HEIGHT;
  const x2 = to.x + NODE_WIDTH / 2;
  const y2 = to.y;
  if (y2 > y1) {
    const mid = (y2 - y1) / 2;
    return `M ${x1} ${y1} C ${x1} ${y1 + mid}, ${x2} ${y2 - mid}, ${x2} ${y2 - 2}`;
  }
  const side = Math.max(from.x, to.x) + NODE_WIDTH + GAP_X / 2;
  return `M ${from.x + NODE_WIDTH} ${from.y + NODE_HEIGHT / 2} C ${side} ${from.y + NODE_HEIGHT / 2}, ${side} ${to.y + NODE_HEIGHT / 2}, ${to.x + NODE_WIDTH + 2} ${to.y + NODE_HEIGHT / 2}`;
}
