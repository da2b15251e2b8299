import { stat, statfs } from 'node:fs/promises';

/** A line of /proc/mounts. */
export interface Mount {
  device: string;
  mount: string;
  fsType: string;
}

/**
 * File systems that hold data on this host. Pseudo file systems (proc,
 * tmpfs, cgroup…), read-only images (squashfs: snaps, always "full") and
 * network file systems are left out — the last because statfs on a hung
 * NFS server blocks, and a blocked statfs would stall the agent's metrics.
 * overlay counts: it is `/` in a container.
 */
const LOCAL_DATA_FS = new Set([
  'ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'jfs', 'reiserfs', 'bcachefs',
  'vfat', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'hfsplus', 'overlay',
]);

/** Parses /proc/mounts; mount points have spaces and such escaped as octal (`\040`). */
export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fsType] = line.split(' ');
    if (!device || !mount || !fsType) continue;
    mounts.push({ device: unescapeOctal(device), mount: unescapeOctal(mount), fsType });
  }
  return mounts;
}

const unescapeOctal = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Local data file systems, the candidates for {@link selectDiskMounts}. */
export function dataMounts(mounts: readonly Mount[]): Mount[] {
  return mounts.filter((m) => LOCAL_DATA_FS.has(m.fsType));
}

/**
 * The mounts worth reporting as disks: local data file systems mounted on a
 * directory (container runtimes bind-mount single files such as /etc/hosts),
 * each device once — a bind mount or a second mount of a device shows the
 * same space — at its shortest mount point; sorted by mount point.
 */
export function selectDiskMounts(mounts: readonly Mount[], isDirectory: (mount: string) => boolean = () => true): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const m of dataMounts(mounts)) {
    if (!isDirectory(m.mount)) continue;
    // overlay's "device" is the word "overlay" for every overlay: key those by mount point.
    const key = m.fsType === 'overlay' ? `overlay:${m.mount}` : m.device;
    const seen = byDevice.get(key);
    if (!seen || m.mount.length < seen.mount.length) byDevice.set(key, m);
  }
  return [...byDevice.values()].sort((a, b) => (a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0));
}

export interface DiskSpace {
  totalBytes: number;
  usedBytes: number;
}

/** The disks of /proc/mounts text: {@link selectDiskMounts} with the directory check done on this host. */
export async function hostDiskMounts(mountsText: string): Promise<Mount[]> {
  const mounts = parseMounts(mountsText);
  const dirs = new Set<string>();
  for (const m of dataMounts(mounts)) {
    if (await stat(m.mount).then((s) => s.isDirectory(), () => false)) dirs.add(m.mount);
  }
  return selectDiskMounts(mounts, (mount) => dirs.has(mount));
}

/** Size and use of the file system at `mount`, as df counts them (used = blocks − free); undefined if unreadable. */
export async function diskSpace(mount: string): Promise<DiskSpace | undefined> {
  try {
    const s = await statfs(mount);
    return { totalBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize };
  } catch {
    return undefined;
  }
}
