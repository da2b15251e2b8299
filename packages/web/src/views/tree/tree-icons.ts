import {
  ArchiveOutline,
  BusinessOutline,
  CloudOutline,
  CubeOutline,
  FolderOutline,
  GlobeOutline,
  HardwareChipOutline,
  LayersOutline,
  ServerOutline,
  ShieldCheckmarkOutline,
} from '@vicons/ionicons5';
import { TREE_ICONS, type TreeIcon } from '@opsline/contracts';
import type { Component } from 'vue';

/** The ionicon drawn for each of the contracts' fixed node icons. */
export const TREE_ICON_COMPONENTS: Record<TreeIcon, Component> = {
  folder: FolderOutline,
  business: BusinessOutline,
  cloud: CloudOutline,
  cluster: LayersOutline,
  server: HardwareChipOutline,
  database: ServerOutline,
  network: GlobeOutline,
  storage: ArchiveOutline,
  app: CubeOutline,
  shield: ShieldCheckmarkOutline,
};

export const treeIconOf = (icon: string): Component => TREE_ICON_COMPONENTS[icon as TreeIcon] ?? FolderOutline;

export { TREE_ICONS };
