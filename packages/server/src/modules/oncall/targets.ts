import { ESCALATION_TARGET_TYPES, type ErrorCode, type EscalationLevel, type EscalationTarget } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import type { PlatformServices } from '../../platform/services.js';
import { oncallRepo } from './oncall.repo.js';

type TargetType = EscalationTarget['type'];
const MISSING: Record<TargetType, { code: ErrorCode; noun: string }> = {
  user: { code: 'USER_NOT_FOUND', noun: 'user' },
  team: { code: 'TEAM_NOT_FOUND', noun: 'team' },
  schedule: { code: 'ONCALL_SCHEDULE_NOT_FOUND', noun: 'on-call schedule' },
  channel: { code: 'NOTIFY_CHANNEL_NOT_FOUND', noun: 'notification channel' },
};

/** The 404 for an id that names nothing, naming the field it came in. */
export function missingTarget(type: TargetType, id: string, field: string): AppError {
  const { code, noun } = MISSING[type];
  return new AppError(code, `${field}: no such ${noun} ${id}`, { issues: [{ field, message: `unknown ${noun}` }] });
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

/**
 * People, teams, schedules and channels: which of these ids exist. Checks
 * run before a change's transaction, never inside it: teams and channels are
 * read through their services, on the shared handle (PGlite has one
 * connection, so a read outside the open transaction would wait on it).
 */
export function createTargetDirectory(platform: PlatformServices) {
  const { users, teams, notify } = platform;

  async function existingTeams(ids: string[]): Promise<Set<string>> {
    const found = await Promise.all(unique(ids).map((id) => teams.requireTeam(id).then(() => id, () => null)));
    return new Set(found.filter((id): id is string => id !== null));
  }

  async function existing(type: TargetType, ids: string[]): Promise<Set<string>> {
    switch (type) {
      case 'user':
        return new Set((await users.usernamesOf(ids)).keys());
      case 'team':
        return existingTeams(ids);
      case 'schedule':
        return oncallRepo.existingScheduleIds(platform.db, unique(ids));
      case 'channel':
        return notify.existing(unique(ids));
    }
  }

  return {
    existing,
    /** Every target of every level exists: else a 404 naming `body.levels.N.targets.M.id`. */
    async checkLevels(levels: EscalationLevel[]): Promise<void> {
      const all = levels.flatMap((l, i) => l.targets.map((target, j) => ({ target, field: `body.levels.${i}.targets.${j}.id` })));
      for (const type of ESCALATION_TARGET_TYPES) {
        const mine = all.filter((x) => x.target.type === type);
        if (!mine.length) continue;
        const found = await existing(type, mine.map((x) => x.target.id));
        const bad = mine.find((x) => !found.has(x.target.id));
        if (bad) throw missingTarget(type, bad.target.id, bad.field);
      }
    },
    /** The id names a thing of the type: else a 404 naming `field`. */
    async checkId(type: TargetType, id: string, field: string): Promise<void> {
      if (!(await existing(type, [id])).has(id)) throw missingTarget(type, id, field);
    },
    /** Every id names a thing of the type: else a 404 naming `${field}.N`. */
    async checkIds(type: TargetType, ids: string[], field: string): Promise<void> {
      const found = await existing(type, ids);
      const i = ids.findIndex((id) => !found.has(id));
      if (i >= 0) throw missingTarget(type, ids[i] ?? '', `${field}.${i}`);
    },
    /** Users among the ids that are active (a disabled account is never paged). */
    async activeUsers(ids: string[]): Promise<string[]> {
      const found = await Promise.all(unique(ids).map((id) => users.get(id).then((u) => (u.status === 'active' ? id : null), () => null)));
      return found.filter((id): id is string => id !== null);
    },
    /** Members of the team; none when it is gone. */
    teamMembers: (teamId: string): Promise<string[]> => teams.get(teamId).then((t) => t.memberIds, () => []),
  };
}

export type TargetDirectory = ReturnType<typeof createTargetDirectory>;
