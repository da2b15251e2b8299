import { describe, expect, it } from 'vitest';
import { diskSpace, hostDiskMounts, parseMounts, selectDiskMounts } from './mounts.js';

/** A host with a bind mount, a space in a mount point, a snap, NFS and the usual pseudo file systems. */
const MOUNTS = `sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=8120000k 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1630000k,mode=755 0 0
/dev/sda2 / ext4 rw,relatime,errors=remount-ro 0 0
/dev/sda1 /boot/efi vfat rw,relatime 0 0
/dev/sdb1 /data xfs rw,relatime 0 0
/dev/sdb1 /srv/data-bind xfs rw,relatime 0 0
/dev/sdc1 /mnt/usb\\040disk ext4 rw,relatime 0 0
/dev/loop0 /snap/core/1 squashfs ro,nodev,relatime 0 0
nas:/export /mnt/nas nfs4 rw,relatime 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
`;

/** Inside a container: overlay root, and the runtime's bind-mounted files. */
const CONTAINER_MOUNTS = `overlay / overlay rw,relatime,lowerdir=/var/lib/docker/overlay2/l/A 0 0
proc /proc proc rw 0 0
/dev/vda1 /etc/resolv.conf ext4 rw,relatime 0 0
/dev/vda1 /etc/hostname ext4 rw,relatime 0 0
/dev/vda1 /etc/hosts ext4 rw,relatime 0 0
`;

describe('mounts', () => {
  it('parses /proc/mounts, unescaping octal in mount points', () => {
    const mounts = parseMounts(MOUNTS);
    expect(mounts).toHaveLength(12);
    expect(mounts).toContainEqual({ device: '/dev/sdc1', mount: '/mnt/usb disk', fsType: 'ext4' });
  });

  it('keeps local data file systems once per device (shortest mount point), sorted by mount point', () => {
    expect(selectDiskMounts(parseMounts(MOUNTS))).toEqual([
      { device: '/dev/sda2', mount: '/', fsType: 'ext4' },
      { device: '/dev/sda1', mount: '/boot/efi', fsType: 'vfat' },
      { device: '/dev/sdb1', mount: '/data', fsType: 'xfs' },
      { device: '/dev/sdc1', mount: '/mnt/usb disk', fsType: 'ext4' },
    ]);
  });

  it('in a container keeps the overlay root and drops the runtime\'s bind-mounted files (not directories)', () => {
    const files = new Set(['/etc/resolv.conf', '/etc/hostname', '/etc/hosts']);
    const selected = selectDiskMounts(parseMounts(CONTAINER_MOUNTS), (mount) => !files.has(mount));
    expect(selected).toEqual([{ device: 'overlay', mount: '/', fsType: 'overlay' }]);
  });

  it('checks directories on the real host', async () => {
    const text = '/dev/vda / ext4 rw 0 0\n/dev/vda /etc/hostname ext4 rw 0 0\n';
    expect((await hostDiskMounts(text)).map((m) => m.mount)).toEqual(['/']);
  });

  it('reads size and use of a real file system', async () => {
    const space = await diskSpace('/');
    expect(space?.totalBytes).toBeGreaterThan(0);
    expect(space?.usedBytes).toBeGreaterThan(0);
    expect(space?.usedBytes).toBeLessThanOrEqual(space?.totalBytes ?? 0);
  });
});
