import { sql } from 'drizzle-orm';
import type { JobDashboard } from '@opsline/contracts';
import { rowsOf, type Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { jobRunHosts, jobRuns, jobTemplates } from './jobs.tables.js';

const TOP = 5;

/** The job center at a glance (仪表盘): today, the last 7 days, what fails, which hosts are slow. Days are the zone's. */
export async function jobDashboard(db: Db, now: Date, tz: string, agents: JobDashboard['agents']): Promise<JobDashboard> {
  try {
    Intl.DateTimeFormat(undefined, { timeZone: tz });
  } catch {
    throw new AppError('VALIDATION_FAILED', 'query.tz: not a time zone (use an IANA name such as Asia/Shanghai)', { issues: [{ field: 'query.tz', message: 'unknown time zone' }] });
  }
  const at = now.toISOString();
  const today = sql`(${at}::timestamptz at time zone ${tz})::date`;
  const days = rowsOf<{ date: string; runs: number; success: number; failed: number; partial: number; killed: number }>(
    await db.execute(sql`
      select to_char(d, 'YYYY-MM-DD') as date,
        count(r.id)::int as runs,
        count(r.id) filter (where r.status = 'success')::int as success,
        count(r.id) filter (where r.status = 'failed')::int as failed,
        count(r.id) filter (where r.status = 'partial')::int as partial,
        count(r.id) filter (where r.status = 'killed')::int as killed
      from generate_series(${today} - 6, ${today}, interval '1 day') as d
      left join ${jobRuns} r on (r.created_at at time zone ${tz})::date = d::date
      group by d order by d`),
  );
  const last = days.at(-1);
  const week = days.reduce((a, d) => ({ ok: a.ok + d.success, ended: a.ended + d.success + d.failed + d.partial + d.killed }), { ok: 0, ended: 0 });
  const since = sql`${at}::timestamptz - interval '7 days'`;
  const failing = rowsOf<{ templateId: string; name: string; runs: number; failed: number }>(
    await db.execute(sql`
      select t.id as "templateId", t.name, count(*)::int as runs, count(*) filter (where r.status in ('failed', 'partial'))::int as failed
      from ${jobRuns} r join ${jobTemplates} t on t.id = r.template_id
      where r.created_at >= ${since}
      group by t.id, t.name having count(*) filter (where r.status in ('failed', 'partial')) > 0
      order by failed desc, runs desc limit ${TOP}`),
  );
  const slow = rowsOf<{ hostId: string; hostname: string; tasks: number; avgMs: number }>(
    await db.execute(sql`
      select h.host_id as "hostId", min(h.hostname) as hostname, count(*)::int as tasks,
        round(avg(extract(epoch from (h.finished_at - h.started_at)) * 1000))::float8 as "avgMs"
      from ${jobRunHosts} h
      where h.started_at >= ${since} and h.finished_at is not null
      group by h.host_id order by "avgMs" desc limit ${TOP}`),
  );
  return {
    today: { runs: last?.runs ?? 0, success: last?.success ?? 0, failed: last?.failed ?? 0, partial: last?.partial ?? 0, killed: last?.killed ?? 0 },
    days: days.map(({ date, runs, success, failed }) => ({ date, runs, success, failed })),
    successRate7d: week.ended ? Math.round((week.ok / week.ended) * 1000) / 1000 : null,
    failingTemplates: failing,
    slowestHosts: slow,
    agents,
  };
}
