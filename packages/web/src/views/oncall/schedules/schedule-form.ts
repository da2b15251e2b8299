import { IanaZone, LocalDate, OncallScheduleBody, Rotation, type OncallScheduleView, type ScheduleLayer } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';
import { browserZone } from '../../automation/shared/zones';
import { rowFieldOf } from '../shared/nested-fields';
import { dayWindowOf, windowRow, windowsProblem, type WindowRow } from '../shared/time-window';
import { dateIn } from '../shared/zoned-time';

export type RotationType = ScheduleLayer['rotation']['type'];

/** One layer while edited; `uid` keeps a card's identity while layers move. */
export interface LayerModel {
  uid: string;
  name: string;
  participants: { userId: string | null }[];
  type: RotationType;
  lengthHours: number | null;
  handoffTime: string | null;
  /** Weekly only; null: the start date's weekday. */
  handoffDay: number | null;
  startDate: string | null;
  restrictions: WindowRow[];
}

export interface ScheduleModel {
  name: string;
  description: string;
  timeZone: string | null;
  teamId: string | null;
  layers: LayerModel[];
}

let counter = 0;
const uid = (): string => `layer${++counter}`;

export function layerModel(l: ScheduleLayer | null, zone: string): LayerModel {
  return {
    uid: uid(),
    name: l?.name ?? '',
    participants: (l?.userIds ?? [null]).map((userId) => ({ userId })),
    type: l?.rotation.type ?? 'weekly',
    lengthHours: l?.rotation.lengthHours ?? 12,
    handoffTime: l?.rotation.handoffTime ?? '09:00',
    handoffDay: l?.rotation.handoffDay ?? null,
    startDate: l?.rotation.startDate ?? dateIn(Date.now(), zone),
    restrictions: (l?.restrictions ?? []).map((w) => windowRow(w)),
  };
}

export function scheduleModel(s: OncallScheduleView | null): ScheduleModel {
  const zone = s?.timeZone ?? browserZone();
  return {
    name: s?.name ?? '',
    description: s?.description ?? '',
    timeZone: zone,
    teamId: s?.teamId ?? null,
    layers: s ? s.layers.map((l) => layerModel(l, zone)) : [layerModel(null, zone)],
  };
}

/** A layer left unnamed gets its place in the console's language (the server's own default is English). */
function layerBody(l: LayerModel, index: number): ScheduleLayer {
  return {
    name: l.name.trim() || i18n.global.t('oncall.schedules.layerN', { n: index + 1 }),
    userIds: l.participants.flatMap((p) => (p.userId ? [p.userId] : [])),
    rotation: {
      type: l.type,
      handoffTime: l.handoffTime ?? '',
      startDate: l.startDate ?? '',
      ...(l.type === 'custom' ? { lengthHours: l.lengthHours ?? 0 } : {}),
      ...(l.type === 'weekly' && l.handoffDay !== null ? { handoffDay: l.handoffDay } : {}),
    },
    restrictions: l.restrictions.map(dayWindowOf),
  };
}

export const scheduleBody = (m: ScheduleModel): OncallScheduleBody => ({
  name: m.name.trim(),
  description: m.description.trim(),
  timeZone: (m.timeZone ?? '').trim(),
  teamId: m.teamId,
  layers: m.layers.map((l, i) => layerBody(l, i)),
});

/** Where the server's issues show: `layers.0.userIds`, `layers.0.rotation.startDate`, `timeZone`. */
export const scheduleFieldOf = (path: string): string => rowFieldOf(path, ['rotation']);

const participantsRule = (): FormItemRule =>
  rowsRule<{ userId: string | null }>((rows) => (rows.some((r) => r.userId) ? null : i18n.global.t('oncall.schedules.noParticipants')));

/** Rules of one layer's fields, keyed by the field name inside the layer. */
export function layerRules(): Record<'participants' | 'handoffTime' | 'startDate' | 'lengthHours' | 'restrictions', FormItemRule> {
  return {
    participants: participantsRule(),
    handoffTime: requiredRule(),
    startDate: schemaRule(LocalDate, { required: true, formatKey: 'oncall.schedules.dateFormat' }),
    lengthHours: schemaRule(Rotation.shape.lengthHours, { required: true }),
    restrictions: rowsRule<WindowRow>((rows) => windowsProblem(rows, false)),
  };
}

export function scheduleRules(): FormRules {
  return {
    name: schemaRule(OncallScheduleBody.shape.name, { required: true }),
    timeZone: schemaRule(IanaZone, { required: true, formatKey: 'oncall.schedules.zoneFormat' }),
  };
}
