// The tree benchmark's data, built inside the database with generate_series:
//
//   bench                                  depth 0
//   ├── big  (10,000 leaf children)        depth 1–2: the crowded node
//   └── zone-0 … zone-7                    depth 1, 11,111 nodes each:
//       └── cluster-0…9 / rack-0…9 / group-0…9 / n<hex> (leaves, depth 5)
//
// ≈ 98,900 nodes. 100,000 hosts: 50,000 on zone-0's 10,000 leaves (5 each),
// 50,000 spread over the other zones' leaves. Host counts are summed up the
// tree level by level, as bind would have kept them.

const node = (idExpr, parent, nameExpr, depth, leaf) => `
  insert into tree_nodes (id, parent_id, name, path, id_path, depth, is_leaf, icon, description, host_count, created_at, updated_at)
  select ${idExpr}, p.id, ${nameExpr}, p.path || '.' || ${nameExpr}, p.id_path || '.' || (${idExpr})::text, ${depth}, ${leaf}, 'folder', '', 0, now(), now()
  from ${parent}`;

const KIDS = 'generate_series(0, 9) k';

/** API ids are RFC 4122 UUIDs: set the version and variant digits of an md5. */
const UUID_FN = `create or replace function bench_uuid(t text) returns uuid language sql immutable
  as $$ select overlay(overlay(md5(t) placing '4' from 13) placing '8' from 17)::uuid $$`;

export const SEED_SQL = [
  UUID_FN,
  `insert into tree_nodes (id, parent_id, name, path, id_path, depth, is_leaf, icon, description, host_count, created_at, updated_at)
   values (bench_uuid('bench'::text), null, 'bench', 'bench', bench_uuid('bench'::text), 0, false, 'cluster', '', 0, now(), now())`,
  node(`bench_uuid('big'::text)`, `tree_nodes p where p.id = bench_uuid('bench'::text)`, `'big'`, 1, false),
  node(`bench_uuid('big' || k::text)`, `tree_nodes p, generate_series(0, 9999) k where p.id = bench_uuid('big'::text)`, `'c' || lpad(k::text, 5, '0')`, 2, true),
  node(`bench_uuid('zone' || k::text)`, `tree_nodes p, generate_series(0, 7) k where p.id = bench_uuid('bench'::text)`, `'zone-' || k`, 1, false),
  node(`bench_uuid(p.id::text || k::text)`, `tree_nodes p, ${KIDS} where p.depth = 1 and p.name like 'zone-%'`, `'cluster-' || k`, 2, false),
  node(`bench_uuid(p.id::text || k::text)`, `tree_nodes p, ${KIDS} where p.depth = 2 and p.name like 'cluster-%'`, `'rack-' || k`, 3, false),
  node(`bench_uuid(p.id::text || k::text)`, `tree_nodes p, ${KIDS} where p.depth = 3 and p.name like 'rack-%'`, `'group-' || k`, 4, false),
  node(`bench_uuid(p.id::text || k::text)`, `tree_nodes p, ${KIDS} where p.depth = 4 and p.name like 'group-%'`, `'n' || substr(md5(p.id::text || k), 1, 10)`, 5, true),
  `insert into hosts (id, hostname, ips, search_text, os, status, source, disks, labels, created_at, updated_at)
   select bench_uuid('host' || i::text), 'h-' || lpad(i::text, 6, '0'),
          array['10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256)],
          'h-' || lpad(i::text, 6, '0') || ' 10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256),
          'Debian 12', (array['online', 'offline', 'maintenance', 'unknown'])[1 + i % 4], 'import', '[]', '{}', now(), now()
   from generate_series(0, 99999) i`,
  ...[
    ['0, 49999', 'l.z0 and l.rn = i % 10000'],
    ['50000, 99999', 'not l.z0 and l.rn = (i - 50000) % 70000'],
  ].map(
    ([range, on]) => `with leaves as (
       select id, split_part(path, '.', 2) = 'zone-0' as z0,
              row_number() over (partition by split_part(path, '.', 2) = 'zone-0' order by path) - 1 as rn
       from tree_nodes where depth = 5 and path like 'bench.zone-%')
     insert into host_bindings (host_id, node_id, created_at)
     select bench_uuid('host' || i::text), l.id, now() from generate_series(${range}) i join leaves l on ${on}`,
  ),
  `update tree_nodes n set host_count = c.n from (select node_id, count(*)::int as n from host_bindings group by node_id) c where c.node_id = n.id`,
  ...[4, 3, 2, 1, 0].map(
    (d) => `update tree_nodes n set host_count = c.n
            from (select parent_id, sum(host_count)::int as n from tree_nodes where depth = ${d + 1} group by parent_id) c
            where c.parent_id = n.id and n.depth = ${d}`,
  ),
  'analyze',
];

/** Ids the measurements use. */
export const SQL_IDS = {
  big: `select bench_uuid('big'::text) as id`,
  zone: (k) => `select bench_uuid('zone' || ${Number(k)}::text) as id`,
  leafNames: `select name from tree_nodes where depth = 5 order by md5(name) limit 400`,
  counts: `select (select count(*) from tree_nodes)::int as nodes, (select count(*) from hosts)::int as hosts`,
};
