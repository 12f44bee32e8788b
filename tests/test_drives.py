"""Finding removable drives, fed with made-up mount tables and drive types."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from selfeval import drives
from selfeval.drives import DRIVE_REMOVABLE, Drive, linux_removable, windows_removable

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077 0 0
tmpfs /run/user/1000 tmpfs rw,nosuid,nodev,relatime,size=1600000k,mode=700,uid=1000 0 0
/dev/sdb1 /media/wang/KINGSTON vfat rw,nosuid,nodev,relatime,uid=1000,gid=1000,shortname=mixed 0 0
/dev/sdc1 /media/wang/My\\040Files exfat rw,nosuid,nodev,relatime,uid=1000 0 0
/dev/sr0 /media/wang/CDROM iso9660 ro,nosuid,nodev,relatime,uid=1000 0 0
/dev/sdd1 /run/media/wang/SANDISK vfat rw,nosuid,nodev,relatime 0 0
/dev/sde1 /media/usb0 vfat rw,relatime 0 0
/dev/sdf1 /media/li/OTHER vfat rw,relatime 0 0
/dev/sdg1 /media/wang/KINGSTON/inner vfat rw,relatime 0 0
/dev/sdb1 /media/wang/KINGSTON vfat rw,nosuid,nodev,relatime 0 0
/dev/sda1 /mnt/data ext4 rw,relatime 0 0
tmpfs /media tmpfs rw,relatime 0 0
"""


def test_linux_lists_writable_mounts_under_the_media_folders_in_table_order():
    found = linux_removable(MOUNTS, "wang")
    assert [str(d.path) for d in found] == [
        "/media/wang/KINGSTON",
        "/media/wang/My Files",  # \040 is a space
        "/run/media/wang/SANDISK",
        "/media/usb0",
    ]
    assert [d.name for d in found] == ["KINGSTON", "My Files", "SANDISK", "usb0"]


def test_linux_ignores_other_users_read_only_media_and_the_roots_themselves():
    found = {str(d.path) for d in linux_removable(MOUNTS, "wang")}
    assert "/media/li/OTHER" not in found  # another person's stick
    assert "/media/wang/CDROM" not in found  # mounted read-only
    assert "/media" not in found and "/mnt/data" not in found
    assert "/media/wang/KINGSTON/inner" not in found


def test_linux_other_user_and_empty_or_broken_tables():
    li = [str(d.path) for d in linux_removable(MOUNTS, "li")]
    assert li == ["/media/usb0", "/media/li/OTHER"]
    assert linux_removable("", "wang") == []
    assert linux_removable("garbage\n\n/dev/x\n", "wang") == []
    assert [str(d.path) for d in linux_removable(MOUNTS, "")] == ["/media/usb0"]


def test_linux_escaped_backslash_and_tab_in_mount_points():
    table = "/dev/sdb1 /media/wang/A\\134B\\011C vfat rw 0 0\n"
    assert [d.name for d in linux_removable(table, "wang")] == ["A\\B\tC"]


def test_windows_lists_only_removable_letters_with_their_labels():
    types = {"C:\\": 3, "D:\\": 5, "E:\\": DRIVE_REMOVABLE, "F:\\": 4, "G:\\": DRIVE_REMOVABLE}
    mask = sum(1 << (ord(root[0]) - ord("A")) for root in types)
    labels = {"E:\\": "KINGSTON"}
    found = windows_removable(mask, lambda root: types[root], lambda root: labels.get(root, ""))
    assert [str(d.path) for d in found] == ["E:\\", "G:\\"]
    assert [d.name for d in found] == ["KINGSTON", ""]
    assert found[0].label.startswith("可移动磁盘 KINGSTON（") and found[1].label.startswith("可移动磁盘（")


def test_windows_asks_only_about_letters_in_the_mask():
    asked = []
    windows_removable(0b10100, lambda root: asked.append(root) or 3)
    assert asked == ["C:\\", "E:\\"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/mounts")
def test_removable_drives_reads_proc_mounts_and_keeps_existing_folders(tmp_path, monkeypatch):
    table = tmp_path / "mounts"
    table.write_text("/dev/sdb1 /media/wang/KINGSTON vfat rw 0 0\n/dev/sdc1 /media/wang/GONE vfat rw 0 0\n")
    monkeypatch.setattr(drives, "MOUNTS", table)
    monkeypatch.setattr(drives, "_user", lambda: "wang")
    real_is_dir = Path.is_dir
    monkeypatch.setattr(Path, "is_dir", lambda self: str(self) == "/media/wang/KINGSTON" or real_is_dir(self))
    assert drives.removable_drives() == [Drive(Path("/media/wang/KINGSTON"), "KINGSTON")]
    monkeypatch.setattr(drives, "MOUNTS", tmp_path / "missing")
    assert drives.removable_drives() == []


def test_no_gui_toolkit_is_imported():
    script = "import sys, selfeval.drives as d\nd.removable_drives()\nassert 'PySide6' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
