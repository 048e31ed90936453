"""Promises about files under faults: special files and symlinks as outputs, byte-exact
`lint --fix`, batch collisions, DEST beside or above SRC, unreadable inputs, symlinks out of SRC,
two runs into one DEST, signals to a running batch. Real FIFOs, symlinks, devices and signals."""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.components import require
from tests.conftest import FIXTURES, ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus

POST = FIXTURES / "posts" / "hexo-cjk-tea.html"
IMG = '<img src="https://mmbiz.qpic.cn/x.png" alt="a">'
POLICY = ' referrerpolicy="no-referrer"'


def test_output_onto_a_fifo_is_written_into_it_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("convert", str(POST), "-t", "json", "-o", str(fifo))
    reader.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"{") and b'"schema"' in got[0]


def test_output_onto_a_device_writes_to_the_device(tmp_path):
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    else:
        device = Path("/dev/null")
    result = run_cli("convert", str(POST), "-t", "md", "-o", str(device))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real" / "post.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run_cli("convert", str(POST), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == run_cli("convert", str(POST), "-t", "md").stdout  # the whole conversion, through the link
    assert not list(tmp_path.glob(".*.tmp")) and not list(real.parent.glob(".*.tmp"))


def test_lint_fix_through_a_symlink_fixes_the_target(tmp_path):
    real = tmp_path / "posts" / "p.html"
    real.parent.mkdir()
    real.write_text(f"<p>{IMG}</p>\n")
    link = tmp_path / "p.html"
    link.symlink_to(real)
    run_cli("lint", str(link), "--fix")
    assert link.is_symlink()
    assert real.read_text() == f"<p>{IMG[:-1]}{POLICY}></p>\n"


@pytest.mark.parametrize(
    "name, data, encode",
    [
        ("utf16-bom", "\ufeff<p>中文 {img}</p>\r\n<p>二</p>\n", lambda t: t.encode("utf-16-le")),
        ("utf16be-bom", "\ufeff<p>{img}</p>\n", lambda t: t.encode("utf-16-be")),
        ("mixed-line-ends", "<p>a</p>\r\n<p>b</p>\n<p>c</p>\r<p>{img}</p>\r\n<p>d</p>\n", lambda t: t.encode()),
        ("cr-only", "<p>a</p>\r<p>{img}</p>\r<p>b</p>\r", lambda t: t.encode()),
        ("doubled-bom", "\ufeff\ufeff<p>{img}</p>\n", lambda t: t.encode()),
        ("tag-across-crlf", "<p>x</p>\r\n<p><img\r\n  src=\"https://mmbiz.qpic.cn/y.png\"\r\n  alt=\"b\"></p>\r\n", lambda t: t.encode()),
    ],
)
def test_lint_fix_changes_only_the_bytes_it_repairs(tmp_path, name, data, encode):
    original = encode(data.format(img=IMG))
    path = tmp_path / f"{name}.html"
    path.write_bytes(original)
    result = run_cli("lint", str(path), "--fix")
    assert b"Traceback" not in result.stderr and b"cannot fix" not in result.stderr, result.stderr
    fixed = path.read_bytes()
    policy = encode(POLICY) if "utf16" not in name else POLICY.encode("utf-16-le" if "be" not in name else "utf-16-be")
    assert len(fixed) == len(original) + len(policy)
    assert fixed.replace(policy, b"", 1) == original  # one insertion, every other byte as it was


def test_lint_fix_keeps_shift_jis_characters_spelled_as_they_were(tmp_path):
    # U+2170 (small roman numeral one) has two Shift_JIS spellings, NEC (0xEEEF) and IBM (0xFA40):
    # decoding and re-encoding would turn one into the other.
    original = b'<meta charset="shift_jis"><p>\xee\xef \xfa\x40 \x82\xa0 ' + IMG.encode() + b"</p>\n"
    path = tmp_path / "sjis.html"
    path.write_bytes(original)
    run_cli("lint", str(path), "--fix")
    fixed = path.read_bytes()
    assert fixed == original.replace(b'alt="a">', b'alt="a"' + POLICY.encode() + b">")


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(POST.read_bytes())


def test_two_inputs_for_one_output_both_fail_naming_each_other(tmp_path):
    _tree(tmp_path / "src", ["a.html", "a.md", "b.html"])
    result = run_cli("batch", str(tmp_path / "src"), "-o", str(tmp_path / "out"), "-t", "md")
    err = result.stderr.decode()
    assert result.returncode == 1
    collision = [line for line in err.splitlines() if "would both be written" in line]
    assert len(collision) == 2 and all("a.html" in line and "a.md" in line for line in collision)
    assert not (tmp_path / "out" / "a.md").exists() and (tmp_path / "out" / "b.md").exists()
    assert "1 converted, 0 unchanged, 2 failed" in err


def test_dest_an_ancestor_of_src_converts_everything(tmp_path):
    _tree(tmp_path / "posts", ["one.html", "sub/two.html"])
    result = run_cli("batch", "posts", "-o", ".", "-t", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "one.md").exists() and (tmp_path / "sub" / "two.md").exists()
    assert "2 converted" in result.stderr.decode()


def test_an_output_that_would_land_back_inside_src_is_refused(tmp_path):
    _tree(tmp_path / "posts", ["one.html", "posts/inner.html"])
    result = run_cli("batch", "posts", "-o", ".", "-t", "md", cwd=tmp_path)
    assert result.returncode == 1
    assert "would land inside SRC" in result.stderr.decode()
    assert (tmp_path / "one.md").exists() and not (tmp_path / "posts" / "inner.md").exists()


def _without_root_privileges() -> None:
    """In the child, before exec: drop the capabilities that let root read any file, so the
    permission bits bind it as they bind any user (no-op for a user who is not root)."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def test_unreadable_files_and_folders_are_failures_not_silence(tmp_path):
    _tree(tmp_path / "src", ["ok.html", "secret.html", "locked/inner.html"])
    os.chmod(tmp_path / "src" / "secret.html", 0)
    os.chmod(tmp_path / "src" / "locked", 0)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "convert", "batch", str(tmp_path / "src"), "-o", str(tmp_path / "out"), "-t", "md"],
            capture_output=True, timeout=60, preexec_fn=_without_root_privileges,
        )
    finally:
        os.chmod(tmp_path / "src" / "locked", 0o755)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "secret.html: cannot read" in err and "locked: cannot read folder" in err
    assert "1 converted, 0 unchanged, 2 failed" in err


def test_symlinks_out_of_src_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    _tree(outside, ["private.html", "dir/other.html"])
    src = tmp_path / "src"
    _tree(src, ["ok.html", "inner/b.html"])
    (src / "leak.html").symlink_to(outside / "private.html")
    (src / "leakdir").symlink_to(outside / "dir", target_is_directory=True)
    (src / "fine.html").symlink_to(src / "inner" / "b.html")  # inside SRC: followed
    result = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "-t", "md")
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert err.count("symlink leads out of") == 2
    made = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.md"))
    assert made == ["fine.md", "inner/b.md", "ok.md"]
    book = run_cli("batch", str(src), "-t", "epub", "--book", str(tmp_path / "b.epub"), "--no-download-images")
    assert "symlink leads out of" in book.stderr.decode() and "3 chapters" in book.stderr.decode()


def test_a_second_batch_into_a_locked_dest_fails_at_once(tmp_path):
    _tree(tmp_path / "src", ["a.html"])
    dest = tmp_path / "out"
    dest.mkdir()
    fd = os.open(dest / ".fmconvert-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        result = run_cli("batch", str(tmp_path / "src"), "-o", str(dest), "-t", "md")
        assert time.monotonic() - started < 10
        assert result.returncode == 1 and "another fmconvert batch is writing into this folder" in result.stderr.decode()
        assert not (dest / "a.md").exists()
    finally:
        os.close(fd)
    assert run_cli("batch", str(tmp_path / "src"), "-o", str(dest), "-t", "md").returncode == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_to_batch_ends_its_workers_and_leaves_nothing_partial(tmp_path, sig):
    src = tmp_path / "src"
    write_corpus(str(src), 400, seed=5, min_size=20_000, max_size=50_000)
    dest = tmp_path / "out"
    # stdout is a pipe we read to its end, as `| tee log` does: it ends only when every process
    # holding it (the workers too) is gone.
    proc = subprocess.Popen(
        [sys.executable, "-m", "convert", "batch", str(src), "-o", str(dest), "-t", "md", "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    # Far enough in that whole chunks have come back to the driver and been recorded.
    while time.monotonic() < deadline and (not dest.exists() or len(list(dest.rglob("*.md"))) < 150):
        time.sleep(0.02)
    proc.send_signal(sig)  # to the main process only, as `kill PID` or `timeout` does
    out = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
    reader.start()
    reader.join(20)
    assert not reader.is_alive(), "the pipe stayed open: a worker outlived the main process"
    code = proc.wait(10)
    assert code == -sig or code == 128 + sig
    present = list(dest.rglob("*.md"))
    assert 0 < len(present) < 400, "the signal should land part way through"
    time.sleep(0.5)
    assert [p.name for p in dest.rglob("*.tmp")] == []  # no temporary file left behind
    stderr = proc.stderr.read().decode()
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    rerun = run_cli("batch", str(src), "-o", str(dest), "-t", "md", "-j", "2")
    assert rerun.returncode == 0 and len(list(dest.rglob("*.md"))) == 400
    if sig == signal.SIGTERM:  # a clean stop saved what it had finished: the rerun skips those
        import re

        unchanged = int(re.search(r"(\d+) unchanged", rerun.stderr.decode()).group(1))
        assert 0 < unchanged <= len(present), (rerun.stderr, stderr)


def test_a_signal_to_batch_jsonl_leaves_no_temporary_and_no_half_stream(tmp_path):
    src = tmp_path / "src"
    write_corpus(str(src), 300, seed=6, min_size=20_000, max_size=50_000)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "convert", "batch", str(src), "-t", "jsonl", "--jsonl", str(out / "all.jsonl"), "-j", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.stat().st_size > 200_000 for p in out.glob(".*.tmp")):
        time.sleep(0.02)  # part way through: the temporary stream holds a few documents
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(20)
    assert code in (-signal.SIGTERM, 128 + signal.SIGTERM)
    stderr = proc.stderr.read().decode()
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert list(out.iterdir()) == []  # neither the temporary file nor a partial all.jsonl


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (workers, and the processes that start them)."""
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_signal_to_lint_ends_its_workers(tmp_path):
    src = tmp_path / "src"
    _tree(src, [f"post-{i:03d}.html" for i in range(80)])  # 64 files or more: linted in worker processes
    os.mkfifo(src / "post-040b.html")  # nobody writes it: the worker that opens it waits, lint is mid-run
    proc = subprocess.Popen([sys.executable, "-m", "convert", "lint", str(src)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        workers = _descendants(proc.pid)
        time.sleep(0.05)
    time.sleep(1)  # every worker is up, one of them waits on the FIFO
    assert proc.poll() is None, "lint ended before the signal"
    workers = _descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)  # to the main process only, as `kill PID` does
    try:
        assert proc.wait(20) in (-signal.SIGTERM, 128 + signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.05)
        assert [pid for pid in workers if _alive(pid)] == [], "a worker outlived fmconvert lint"
    finally:
        for pid in workers:  # never leave one behind, whatever the outcome
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    stderr = proc.stderr.read().decode()
    assert "Traceback" not in stderr, stderr


_SIGNALLED_TWICE = '''
import os, signal, sys, time
from convert import fsutil, pool

def twice(*_):
    os.kill(os.getpid(), signal.SIGTERM)  # the second signal, while the first is handled
    time.sleep(0.2)

pool.remove_pending = fsutil.remove_pending = twice
pool._init_worker(None, ())
if sys.argv[1] == "idle":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(2)
else:
    pool._run(lambda chunk: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(2)), None)
print("still running")
'''


@pytest.mark.parametrize("state", ["idle", "busy"])
def test_a_worker_signalled_twice_at_once_exits_quietly(state):
    # The parent terminates each worker and the executor, seeing one go, terminates the rest: a
    # worker can get its second SIGTERM while it handles the first (CI saw a traceback from it).
    result = subprocess.run([sys.executable, "-c", _SIGNALLED_TWICE, state], capture_output=True, cwd=ROOT, timeout=30)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert result.stdout == b"" and result.stderr == b"", result.stderr


@pytest.fixture(params=["full", "read-only"])
def full_disk(request, tmp_path):
    """A destination that cannot take the output: a real, tiny file system (tmpfs, 64 KiB) filled
    to the last byte (needs root to mount), and a read-only folder for a process without root's
    privileges."""
    mount = tmp_path / "full"
    mount.mkdir()
    if request.param == "full":
        require("root")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, check=True)
        (mount / "out").mkdir()
        with open(mount / "filler", "wb") as fh:
            try:
                fh.write(b"\0" * 128 * 1024)
            except OSError:
                pass
        yield mount / "out"
        subprocess.run(["umount", "-l", str(mount)], check=False)
    else:
        (mount / "out").mkdir()
        os.chmod(mount / "out", 0o555)
        yield mount / "out"
        os.chmod(mount / "out", 0o755)


def _cli_unprivileged(*args: str, cwd=None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "convert", *args], capture_output=True, timeout=120, cwd=cwd, preexec_fn=_without_root_privileges)


def _one_clear_line(result: subprocess.CompletedProcess[bytes], *words: str) -> str:
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    assert all(line.startswith("fmconvert: ") for line in err.strip().splitlines()), err
    assert any(all(w in line for w in words) for line in err.splitlines()), err
    return err


def test_a_full_or_read_only_destination_is_a_clear_error(tmp_path, full_disk):
    _tree(tmp_path / "src", ["a.html", "b.html"])
    src = str(tmp_path / "src")
    _one_clear_line(_cli_unprivileged("batch", src, "-o", str(full_disk), "-t", "md"), "cannot write")
    _one_clear_line(_cli_unprivileged("batch", src, "-t", "epub", "--book", str(full_disk / "b.epub"), "--no-download-images"), "b.epub", "cannot write")
    _one_clear_line(_cli_unprivileged("batch", src, "-t", "jsonl", "--jsonl", str(full_disk / "all.jsonl")), "all.jsonl", "cannot write")
    _one_clear_line(_cli_unprivileged("convert", str(tmp_path / "src" / "a.html"), "-o", str(full_disk / "a.json")), "a.json", "cannot write")
    assert [p.name for p in full_disk.iterdir() if p.name != ".fmconvert-lock"] == []  # nothing half-written is left


def test_manifest_that_cannot_be_saved_is_reported(tmp_path, full_disk):
    # Outputs fit, the manifest does not: a single small post into a destination with room for
    # almost nothing. The failure names the manifest; the outputs that were written are whole.
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.html").write_text("<p>a</p>\n")
    result = _cli_unprivileged("batch", str(tmp_path / "src"), "-o", str(full_disk), "-t", "md")
    err = result.stderr.decode()
    assert result.returncode == 1 and "internal error" not in err
    assert "cannot write" in err


def test_lint_fix_and_localize_into_a_read_only_place(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    post = posts / "p.html"
    post.write_text(f"<p>{IMG}</p>\n")
    os.chmod(posts, 0o555)
    try:
        result = _cli_unprivileged("lint", str(post), "--fix")
        err = result.stderr.decode()
        assert result.returncode == 2 and "cannot write the fix" in err and "internal error" not in err, err
        assert post.read_text() == f"<p>{IMG}</p>\n"
        images = posts / "img"
        localized = _cli_unprivileged("convert", str(post), "-t", "xhtml", "--localize-images", str(images), "--allow-private-hosts")
        assert "internal error" not in localized.stderr.decode()
    finally:
        os.chmod(posts, 0o755)
