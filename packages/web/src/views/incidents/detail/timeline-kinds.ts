import type { TimelineEntry } from '@opsline/contracts';
import {
  AlertCircleOutline,
  BandageOutline,
  ChatboxEllipsesOutline,
  CheckmarkCircleOutline,
  CheckmarkDoneOutline,
  CreateOutline,
  FlashOutline,
  HandRightOutline,
  MegaphoneOutline,
  PersonOutline,
  RefreshOutline,
  TimerOutline,
  TrendingUpOutline,
} from '@vicons/ionicons5';
import type { Component } from 'vue';

type Kind = TimelineEntry['kind'];
type ItemType = 'default' | 'info' | 'success' | 'warning' | 'error';

/** Each kind of timeline entry: its icon and colour. */
export const TIMELINE_KIND: Record<Kind, { icon: Component; type: ItemType }> = {
  opened: { icon: FlashOutline, type: 'error' },
  alert: { icon: AlertCircleOutline, type: 'warning' },
  alert_resolved: { icon: CheckmarkCircleOutline, type: 'success' },
  notified: { icon: MegaphoneOutline, type: 'info' },
  escalated: { icon: TrendingUpOutline, type: 'warning' },
  acknowledged: { icon: HandRightOutline, type: 'info' },
  resolved: { icon: CheckmarkDoneOutline, type: 'success' },
  reopened: { icon: RefreshOutline, type: 'error' },
  assigned: { icon: PersonOutline, type: 'info' },
  note: { icon: ChatboxEllipsesOutline, type: 'default' },
  sla_breached: { icon: TimerOutline, type: 'error' },
  changed: { icon: CreateOutline, type: 'default' },
  self_heal: { icon: BandageOutline, type: 'success' },
};
