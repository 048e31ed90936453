"""Batch beyond one machine: a real dask.distributed cluster (a scheduler and two worker
processes on 127.0.0.1, started here), a real S3 API (moto's server on 127.0.0.1), and the
SQLite manifest that keeps reruns cheap."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.components import require
from tests.conftest import run_cli

pytestmark = pytest.mark.needs("dask")


def _posts(folder: Path, count: int, paragraphs: int = 3) -> Path:
    """Real-shaped posts: front matter, CJK and Latin prose, code, a table, links."""
    for i in range(count):
        sub = folder / f"{2015 + i % 9}" / f"{i % 12 + 1:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        body = "".join(
            f"<h2>第{j}节 Section {j}</h2><p>城市的茶馆 {i}-{j} keeps <a href='https://example.org/{i}/{j}'>a link</a> and <em>emphasis</em>; "
            f"an <code>inline()</code> call.</p><pre><code class='language-py'>def f_{i}_{j}(x):\n    return x * {j}\n</code></pre>"
            f"<table><tr><th>k</th><th>v</th></tr><tr><td>{i}</td><td>{j}</td></tr></table>"
            for j in range(paragraphs)
        )
        (sub / f"post-{i:04d}.html").write_text(f"---\ntitle: 'Post {i}: 茶馆'\ndate: 2020-01-{i % 28 + 1:02d}\ntags: [a, b]\n---\n{body}\n", encoding="utf-8")
    return folder


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker stays dead)."""

    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        common = {"stdout": subprocess.DEVNULL, "stderr": open(tmp / "dask.log", "ab"), "env": env, "start_new_session": True}
        self.scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"], **common)  # type: ignore[call-overload]
        self.workers = [
            subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}"], **common)  # type: ignore[call-overload]
            for i in range(2)
        ]
        try:
            from distributed import Client

            with Client(self.address, timeout="30s") as client:
                client.wait_for_workers(2, timeout=60)
        except BaseException:
            self.close()  # no process outlives a failed start
            raise

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 5
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """One cluster for the tests that leave it as they found it (starting one costs seconds)."""
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    yield c
    c.close()


@pytest.fixture
def own_cluster(tmp_path: Path):
    """A cluster of the test's own, for a test that kills a worker."""
    c = Cluster(tmp_path)
    yield c
    c.close()


def test_cluster_outputs_are_byte_identical_to_a_local_batch(tmp_path: Path, cluster: Cluster) -> None:
    src = _posts(tmp_path / "posts", 500, paragraphs=2)
    local = run_cli("batch", str(src), "-o", str(tmp_path / "local"), "-t", "md", "-q")
    assert local.returncode == 0, local.stderr
    remote = run_cli("batch", str(src), "-o", str(tmp_path / "cluster"), "-t", "md", "--scheduler", cluster.address, timeout=300)
    assert remote.returncode == 0, remote.stderr
    assert b"500 converted, 0 unchanged, 0 failed" in remote.stderr
    expected = _tree(tmp_path / "local")
    assert len(expected) == 500 and _tree(tmp_path / "cluster") == expected
    again = run_cli("batch", str(src), "-o", str(tmp_path / "cluster"), "-t", "md", "--scheduler", cluster.address)
    assert b"0 converted, 500 unchanged" in again.stderr


def test_a_worker_killed_mid_run_costs_only_its_partitions(tmp_path: Path, own_cluster: Cluster) -> None:
    cluster = own_cluster
    src = _posts(tmp_path / "posts", 500, paragraphs=40)  # heavy enough to take seconds
    assert run_cli("batch", str(src), "-o", str(tmp_path / "local"), "-t", "md", "-q", timeout=300).returncode == 0
    dest = tmp_path / "cluster"
    run = subprocess.Popen([sys.executable, "-m", "convert", "batch", str(src), "-o", str(dest), "-t", "md", "--scheduler", cluster.address], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len([p for p in dest.rglob("*.md")]) < 20:
        time.sleep(0.05)
    written_at_kill = len(list(dest.rglob("*.md")))
    os.kill(cluster.workers[0].pid, signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert 20 <= written_at_kill < 500, written_at_kill  # the kill came mid-run
    assert run.returncode == 0, err
    assert b"500 converted, 0 unchanged, 0 failed" in err
    assert _tree(dest) == _tree(tmp_path / "local")  # every output whole


def test_memory_url_as_dest(tmp_path: Path, cluster: Cluster) -> None:
    import fsspec

    from convert.batch import BatchOptions, run_batch

    src = _posts(tmp_path / "posts", 60, paragraphs=1)
    assert run_cli("batch", str(src), "-o", str(tmp_path / "local"), "-t", "md", "-q").returncode == 0
    summary = run_batch(str(src), "memory://fmconvert-test/out", BatchOptions(to="markdown", extension=".md", scheduler=cluster.address))
    assert (summary.converted, summary.failed) == (60, 0)
    fs = fsspec.filesystem("memory")
    got = {p.split("/out/", 1)[1]: fs.cat_file(p) for p in fs.find("/fmconvert-test/out") if not p.rsplit("/", 1)[-1].startswith(".")}
    assert got == _tree(tmp_path / "local")


def test_convert_bag_maps_over_a_bag_of_documents(tmp_path: Path, cluster: Cluster) -> None:
    import dask.bag as db
    from distributed import Client

    import convert
    from convert.distributed import convert_bag

    src = _posts(tmp_path / "posts", 30, paragraphs=1)
    items = [(str(p), p.read_bytes()) for p in sorted(src.rglob("*.html"))] + [("bad.html", b"---\ntitle: [unclosed\n---\n<p>x</p>\n")]
    with Client(cluster.address):
        results = convert_bag(db.from_sequence(items, npartitions=4), to="markdown").compute()
    by_path = {r["path"]: r for r in results}
    assert by_path["bad.html"]["status"] == "failed" and "bad.html" in by_path["bad.html"]["error"]
    for path, data in items[:-1]:
        assert by_path[path]["status"] == "converted"
        assert by_path[path]["data"] == convert.convert_bytes(data, "markdown", path=path)


def test_options_travel_to_the_cluster_and_into_the_manifest(tmp_path: Path, cluster: Cluster) -> None:
    """--no-repair, --newline and --front-matter reach the workers in the job's options (outputs
    as a local run makes them), and changing them converts the tree again."""
    import dask.bag as db
    from distributed import Client

    import convert
    from convert.distributed import convert_bag

    src = tmp_path / "posts"
    src.mkdir()
    for i, prose in enumerate(["Kafka keys are <PID,Partition,SeqNumber> tuples.", "A Map<K, V> maps keys to values.", "Plain prose, nothing lost."]):
        (src / f"post-{i}.html").write_bytes(f"---\r\ntitle: Post {i}\r\n---\r\n<p>{prose}</p>\r\n".encode())
    option = ("--no-repair", "--newline", "lf", "--front-matter", "toml")
    assert run_cli("batch", str(src), "-o", str(tmp_path / "plain"), "-t", "md", "-j", "1").returncode == 0
    assert run_cli("batch", str(src), "-o", str(tmp_path / "local"), "-t", "md", "-j", "1", *option).returncode == 0
    remote = run_cli("batch", str(src), "-o", str(tmp_path / "cluster"), "-t", "md", "--scheduler", cluster.address, *option, timeout=300)
    assert remote.returncode == 0, remote.stderr
    assert _tree(tmp_path / "cluster") == _tree(tmp_path / "local") != _tree(tmp_path / "plain")
    again = run_cli("batch", str(src), "-o", str(tmp_path / "cluster"), "-t", "md", "--scheduler", cluster.address, timeout=300)
    assert b"3 converted, 0 unchanged" in again.stderr  # the options changed: everything again
    assert _tree(tmp_path / "cluster") == _tree(tmp_path / "plain")

    items = [(str(p), p.read_bytes()) for p in sorted(src.glob("*.html"))]
    with Client(cluster.address):
        results = convert_bag(db.from_sequence(items, npartitions=2), to="markdown", repair=False, newline="lf", front_matter="toml").compute()
    for (path, data), result in zip(items, results, strict=True):
        written = convert.write(convert.read(data, path=path, repair=False), "markdown", options=convert.WriteOptions(newline="lf", front_matter="toml"))
        assert result["data"] == written == (tmp_path / "local" / Path(path).with_suffix(".md").name).read_bytes()


@pytest.fixture
def s3(tmp_path: Path):
    require("s3")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        import s3fs

        fs = s3fs.S3FileSystem(endpoint_url=env["FSSPEC_S3_ENDPOINT_URL"])
        fs.mkdir("posts-in")
        fs.mkdir("posts-out")
        yield fs, env
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


def test_src_and_dest_in_s3_buckets_and_a_second_run_converts_nothing(tmp_path: Path, s3: tuple) -> None:
    fs, env = s3
    src = _posts(tmp_path / "posts", 80, paragraphs=1)
    fs.put(str(src) + "/", "posts-in/blog/", recursive=True)
    assert run_cli("batch", str(src), "-o", str(tmp_path / "local"), "-t", "md", "-q").returncode == 0
    first = run_cli("batch", "s3://posts-in/blog", "-o", "s3://posts-out/md", "-t", "md", env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert b"80 converted, 0 unchanged, 0 failed" in first.stderr
    fs.invalidate_cache()
    got = {p.split("/md/", 1)[1]: fs.cat_file(p) for p in fs.find("posts-out/md") if not p.rsplit("/", 1)[-1].startswith(".")}
    assert got == _tree(tmp_path / "local")
    assert fs.exists("posts-out/md/.fmconvert-manifest.sqlite")
    # Another machine (another cache): the manifest comes from the bucket, nothing is converted.
    elsewhere = {**env, "XDG_CACHE_HOME": str(tmp_path / "other-cache")}
    second = run_cli("batch", "s3://posts-in/blog", "-o", "s3://posts-out/md", "-t", "md", env=elsewhere, timeout=300)
    assert second.returncode == 0 and b"0 converted, 80 unchanged, 0 failed" in second.stderr, second.stderr
    # A changed object is converted again, and only it.
    fs.pipe_file("posts-in/blog/2015/01/post-0000.html", b"---\ntitle: Changed\n---\n<p>new text</p>\n")
    third = run_cli("batch", "s3://posts-in/blog", "-o", "s3://posts-out/md", "-t", "md", env=elsewhere, timeout=300)
    assert b"1 converted, 79 unchanged, 0 failed" in third.stderr, third.stderr
    fs.invalidate_cache()
    assert b"new text" in fs.cat_file("posts-out/md/2015/01/post-0000.md")
    # A JSON Lines stream in the bucket is a source too.
    few = _posts(tmp_path / "few", 5, paragraphs=1)
    lines = run_cli("batch", str(few), "-t", "jsonl", "--jsonl", "-", "-q").stdout
    fs.pipe_file("posts-in/feed.jsonl", lines + b"{not a document\n")
    stream = run_cli("batch", "s3://posts-in/feed.jsonl", "-o", str(tmp_path / "from-stream"), "-t", "md", env=env)
    assert stream.returncode == 1 and b"s3://posts-in/feed.jsonl:6: " in stream.stderr, stream.stderr  # the bad line, by its URL
    assert len(list((tmp_path / "from-stream").rglob("*.md"))) == 5


def test_manifest_is_sqlite_committed_per_chunk_and_migrates_json(tmp_path: Path) -> None:
    import sqlite3

    from convert.batch.manifest import entries

    src = _posts(tmp_path / "posts", 450, paragraphs=1)
    dest = tmp_path / "out"
    assert run_cli("batch", str(src), "-o", str(dest), "-t", "md", "-q").returncode == 0
    db = dest / ".fmconvert-manifest.sqlite"
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    records = entries(str(db))
    assert len(records) == 450 and all(len(sha) == 64 for sha, _, _ in records.values())
    # A JSON manifest of the old kind (same options) is taken over once, then removed.
    fingerprint = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()[0]
    old = {"version": 1, "fingerprint": fingerprint, "entries": {rel: {"sha256": sha, "size": size, "mtime_ns": int(stamp)} for rel, (sha, size, stamp) in records.items()}}
    db.unlink()
    (dest / ".fmconvert-manifest.json").write_text(json.dumps(old))
    again = run_cli("batch", str(src), "-o", str(dest), "-t", "md")
    assert b"0 converted, 450 unchanged" in again.stderr, again.stderr
    touched = src / "2015" / "01" / "post-0000.html"
    touched.write_text(touched.read_text() + "<p>more</p>\n")
    third = run_cli("batch", str(src), "-o", str(dest), "-t", "md")
    assert b"1 converted, 449 unchanged" in third.stderr
    assert not (dest / ".fmconvert-manifest.json").exists() and len(entries(str(db))) == 450


def test_a_plain_batch_does_not_import_dask(tmp_path: Path) -> None:
    src = _posts(tmp_path / "posts", 3, paragraphs=1)
    code = (
        "import sys\nfrom convert.batch import BatchOptions, run_batch\n"
        f"s = run_batch({str(src)!r}, {str(tmp_path / 'out')!r}, BatchOptions(to='markdown', extension='.md', jobs=1))\n"
        "print(s.converted, [m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["3", "[]"]
