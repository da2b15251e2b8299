import type { JobTemplateBody, JobTemplateListQuery, JobTemplateView, Page, ScriptParam, UpdateJobTemplateBody } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { ScriptsModule } from '../scripts/index.js';
import { jobsRepo, type TemplateRow } from './jobs.repo.js';
import { resolveParams } from './params.js';
import { PARAMS_SEAL } from './run-task.js';

/** A template's script and values, checked; secret values sealed. */
interface Prepared {
  plain: Record<string, string>;
  sealed: string | null;
  scriptName: string;
}
interface PreparedUpdate {
  before: TemplateRow;
  prepared: Prepared;
  scriptId: string;
  version: number | null;
}

/** Secret values a template holds are stored sealed and answered as "" — set, but never shown. */
export function createTemplateService(deps: { platform: PlatformServices; scripts: ScriptsModule }) {
  const { platform, scripts } = deps;
  const { db, clock, box } = platform;

  async function view(t: TemplateRow): Promise<JobTemplateView> {
    const script = await scripts.version(t.scriptId, t.scriptVersion ?? undefined);
    return viewWith(t, script?.name ?? '(deleted script)');
  }

  /** The view, the script's name known (no database: usable inside a transaction). */
  function viewWith(t: TemplateRow, scriptName: string): JobTemplateView {
    const secretNames = t.sealedParams ? Object.keys(JSON.parse(box.open(t.sealedParams, PARAMS_SEAL)) as Record<string, string>) : [];
    return {
      id: t.id, name: t.name, description: t.description, scriptId: t.scriptId, scriptName, scriptVersion: t.scriptVersion,
      params: { ...t.params, ...Object.fromEntries(secretNames.map((n) => [n, ''])) }, targets: t.targets, strategy: t.strategy, nodeId: t.nodeId,
      createdBy: t.createdBy, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
    };
  }

  /**
   * The script and parameter values checked, secret ones split off to seal.
   * Required values may be left for each run to give: only types and names are checked here.
   */
  async function checked(scriptId: string, version: number | null, params: Record<string, string>, keepSecret: Record<string, string>): Promise<Prepared> {
    const script = await scripts.version(scriptId, version ?? undefined);
    if (!script) throw new AppError('SCRIPT_VERSION_NOT_FOUND', 'No such script or version', { issues: [{ field: 'body.scriptId', message: 'no such script or version' }] });
    const optional: ScriptParam[] = script.params.map((p) => ({ ...p, required: false, default: undefined }));
    // A secret left empty on an update keeps its stored value.
    const given = { ...params, ...Object.fromEntries(Object.entries(keepSecret).filter(([n]) => params[n] === '' || params[n] === undefined)) };
    const { plain, secret } = resolveParams(optional, given, 'body.params');
    return { plain, sealed: Object.keys(secret).length ? box.seal(JSON.stringify(secret), PARAMS_SEAL) : null, scriptName: script.name };
  }

  async function byId(id: string): Promise<TemplateRow> {
    const t = await jobsRepo.templateById(db, id);
    if (!t) throw new AppError('JOB_TEMPLATE_NOT_FOUND');
    return t;
  }

  return {
    view,
    byId,
    async list(q: JobTemplateListQuery): Promise<Page<JobTemplateView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const page = toPage(await jobsRepo.listTemplates(db, q.q, after, q.limit + 1), q.limit, (r) => r, (r) => r.id);
      const items: JobTemplateView[] = [];
      for (const r of page.items) items.push(await view(r));
      return { items, nextCursor: page.nextCursor };
    },
    async get(id: string): Promise<JobTemplateView> {
      return view(await byId(id));
    },
    /** Checks a new template outside the transaction: script, parameter values. */
    async prepare(body: JobTemplateBody): Promise<Prepared> {
      return checked(body.scriptId, body.scriptVersion ?? null, body.params, {});
    },
    async create(ctx: MutationContext, body: JobTemplateBody, prepared: Prepared, userId: string): Promise<JobTemplateView> {
      const now = clock.now();
      const row: TemplateRow = {
        id: uuidv7(now.getTime()), name: body.name, description: body.description ?? '', scriptId: body.scriptId, scriptVersion: body.scriptVersion ?? null,
        params: prepared.plain, sealedParams: prepared.sealed, targets: body.targets, strategy: body.strategy, nodeId: body.nodeId ?? null,
        createdBy: userId, createdAt: now, updatedAt: now,
      };
      await jobsRepo.insertTemplate(ctx.tx, row);
      Object.assign(ctx.audit, { targetType: 'job_template', targetId: row.id, after: { ...row, sealedParams: row.sealedParams ? '(sealed)' : null } });
      await ctx.emit('job.template.created', { templateId: row.id, name: row.name }, { summary: `job template ${row.name} created`, resourceType: 'job_template', resourceId: row.id });
      return viewWith(row, prepared.scriptName);
    },
    /** Checks an update outside the transaction. */
    async prepareUpdate(id: string, body: UpdateJobTemplateBody): Promise<PreparedUpdate> {
      const before = await byId(id);
      const keep = before.sealedParams ? (JSON.parse(box.open(before.sealedParams, PARAMS_SEAL)) as Record<string, string>) : {};
      const scriptId = body.scriptId ?? before.scriptId;
      const version = body.scriptVersion === undefined ? before.scriptVersion : body.scriptVersion;
      const prepared = await checked(scriptId, version, body.params ?? before.params, keep);
      return { before, prepared, scriptId, version };
    },
    async update(ctx: MutationContext, body: UpdateJobTemplateBody, p: PreparedUpdate): Promise<JobTemplateView> {
      const { before, prepared } = p;
      const set: Partial<TemplateRow> = {
        ...(body.name !== undefined && { name: body.name }), ...(body.description !== undefined && { description: body.description }),
        scriptId: p.scriptId, scriptVersion: p.version, params: prepared.plain, sealedParams: prepared.sealed,
        ...(body.targets && { targets: body.targets }), ...(body.strategy && { strategy: body.strategy }), ...(body.nodeId !== undefined && { nodeId: body.nodeId }),
        updatedAt: clock.now(),
      };
      await jobsRepo.updateTemplate(ctx.tx, before.id, set);
      const after = { ...before, ...set };
      const changed = Object.keys(body);
      Object.assign(ctx.audit, { targetType: 'job_template', targetId: before.id, before: { ...before, sealedParams: before.sealedParams ? '(sealed)' : null }, after: { ...after, sealedParams: after.sealedParams ? '(sealed)' : null } });
      await ctx.emit('job.template.updated', { templateId: before.id, name: after.name, changed }, { summary: `job template ${after.name} changed`, resourceType: 'job_template', resourceId: before.id });
      return viewWith(after, prepared.scriptName);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const t = await jobsRepo.templateById(ctx.tx, id);
      if (!t) throw new AppError('JOB_TEMPLATE_NOT_FOUND');
      await jobsRepo.deleteTemplate(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'job_template', targetId: id, before: { name: t.name } });
      await ctx.emit('job.template.deleted', { templateId: id, name: t.name }, { summary: `job template ${t.name} deleted`, resourceType: 'job_template', resourceId: id });
    },
  };
}

export type TemplateService = ReturnType<typeof createTemplateService>;
