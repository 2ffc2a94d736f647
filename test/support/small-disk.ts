// Real small file systems for the "disk full" and "read-only" cases. Tests run as root here, and root
// writes through file permissions, so a chmod cannot make a folder read-only for them; a tmpfs mounted
// read-only or with a few pages of space refuses root as it refuses anyone. Mounting needs
// CAP_SYS_ADMIN: where a test run has none, `canMount` is false and those cases are skipped (and say so).
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

function mount(dir: string, options: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}

async function probe(): Promise<boolean> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atelier-mount-probe-'));
  const ok = mount(dir, 'size=64k');
  if (ok) unmount(dir);
  await rm(dir, { recursive: true, force: true });
  return ok;
}

export const canMount = await probe();

export interface SmallDisk {
  dir: string;
  /** Fills every free byte, so the next write of any size fails with ENOSPC. */
  fill(): Promise<void>;
  /** Remounts it read-only, as if permissions changed under a running program: writes fail with EROFS. */
  makeReadOnly(): void;
  dispose(): Promise<void>;
}

/** A fresh tmpfs of `kib` KiB at a new temp folder; `readOnly` mounts it read-only. */
export async function mountSmallDisk(kib: number, { readOnly = false } = {}): Promise<SmallDisk> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atelier-small-disk-'));
  if (!mount(dir, `size=${kib}k,mode=0777${readOnly ? ',ro' : ''}`)) throw new Error(`could not mount a tmpfs at ${dir}`);
  let filler = 0;
  return {
    dir,
    async fill() {
      const file = await open(path.join(dir, `filler-${filler++}`), 'w');
      try {
        const chunk = Buffer.alloc(4096, 1);
        for (;;) await file.write(chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      } finally {
        await file.close();
      }
    },
    makeReadOnly() {
      if (spawnSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }).status !== 0) throw new Error(`could not remount ${dir} read-only`);
    },
    async dispose() {
      unmount(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
