import type {
  CreateScriptBody,
  GuardRuleBody,
  GuardRuleView,
  GuardVerdict,
  Page,
  ScriptLanguage,
  ScriptVersionView,
  ScriptView,
  UpdateGuardRuleBody,
  UpdateScriptBody,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

const SCRIPTS = '/scripts';
const GUARD_RULES = '/guard-rules';

export interface ScriptFilter {
  /** Part of the name or description. */
  q?: string;
  nodeId?: string | null;
  language?: ScriptLanguage | null;
}

/** Scripts you may see, by name, each with its latest version. */
export const listScripts = (params: PageParams<ScriptFilter> = {}) => http.get<Page<ScriptView>>(SCRIPTS, { ...params });

export const getScript = (id: string) => http.get<ScriptView>(pathOf(SCRIPTS, id));

/** Version 1 of a new script; without `nodeId` a global one (needs a global grant). */
export const createScript = (body: CreateScriptBody) => http.post<ScriptView>(SCRIPTS, body);

/** Content, parameters or language make a new version (with `message`); name, node and description change in place. */
export const updateScript = (id: string, body: UpdateScriptBody) => http.patch<ScriptView>(pathOf(SCRIPTS, id), body);

export const deleteScript = (id: string) => http.delete(pathOf(SCRIPTS, id));

/** Newest first. */
export const listScriptVersions = (id: string, params: PageParams = {}) => http.get<Page<ScriptVersionView>>(`${pathOf(SCRIPTS, id)}/versions`, { ...params });

export const getScriptVersion = (id: string, version: number) => http.get<ScriptVersionView>(`${pathOf(SCRIPTS, id)}/versions/${version}`);

/** Built-in rules first. */
export const listGuardRules = (params: PageParams = {}) => http.get<Page<GuardRuleView>>(GUARD_RULES, { ...params });

export const createGuardRule = (body: GuardRuleBody) => http.post<GuardRuleView>(GUARD_RULES, body);

/** A built-in rule takes `enabled` only (409 GUARD_RULE_BUILTIN otherwise). */
export const updateGuardRule = (id: string, body: UpdateGuardRuleBody) => http.patch<GuardRuleView>(pathOf(GUARD_RULES, id), body);

export const deleteGuardRule = (id: string) => http.delete(pathOf(GUARD_RULES, id));

/** What the enabled rules say of a script, as a run would be checked: allow, approve or block, with each matching line. */
export const checkGuard = (content: string) => http.post<GuardVerdict>(`${GUARD_RULES}/check`, { content });
