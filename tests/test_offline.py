"""The whole job (import, score, finalise, export, sign, verify, open the window) never touches
the network: the self-test runs in a child process in which every socket call fails loudly."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import socket, sys

    attempts = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append((name, args[:2]))
            raise OSError("network use is not allowed: " + name)
        return blocked

    socket.socket.connect = refuse("connect")
    socket.socket.connect_ex = refuse("connect_ex")
    socket.socket.sendto = refuse("sendto")
    socket.create_connection = refuse("create_connection")
    socket.getaddrinfo = refuse("getaddrinfo")
    socket.gethostbyname = refuse("gethostbyname")

    from selfeval.cli import main
    status = main(["--self-test"])
    print("NETWORK ATTEMPTS:", attempts)
    sys.exit(status if not attempts else 99)
    """
)


def test_self_test_passes_without_any_network_call(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SELFEVAL_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env,
                          timeout=300)
    assert "NETWORK ATTEMPTS: []" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "自检通过" in done.stdout
    for step in ("导入示例报告", "评分", "定稿", "导出签名报送包", "验证报送包", "打开主窗口和报告的全部页面"):
        assert f"[通过] {step}" in done.stdout, done.stdout
