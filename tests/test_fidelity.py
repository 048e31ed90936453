"""Guards the Markdown writer's measured fidelity (bench/fidelity.py) so it cannot regress."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import fidelity  # noqa: E402
from corpus import write_corpus  # noqa: E402

#: Measured 598/652 (91.7%) on CommonMark 0.31.2; pandoc 3.9 -t gfm scores 553 (84.8%).
SPEC_FLOOR = 596


def test_commonmark_spec_round_trip_floor():
    examples = fidelity.load_examples()
    score, failures = fidelity.spec_score(fidelity.ours, examples)
    assert score >= SPEC_FLOOR, f"fidelity fell to {score}/{len(examples)}; failing: {failures[:40]}"


def test_normalizer_is_not_blind():
    assert fidelity.normalize("<p>a  b\n</p>") == fidelity.normalize("<p>a b</p>")
    assert fidelity.normalize("<p>a b</p>") != fidelity.normalize("<p>a c</p>")
    assert fidelity.normalize("<p><em>a</em></p>") != fidelity.normalize("<p><strong>a</strong></p>")
    assert fidelity.normalize("<pre><code>a  b\n</code></pre>") != fidelity.normalize("<pre><code>a b\n</code></pre>")


@pytest.mark.parametrize("seed", [5, 6])
def test_generated_posts_keep_text_headings_links_images(tmp_path, seed):
    paths = [Path(p) for p in write_corpus(str(tmp_path), 15, seed=seed)]
    kept, failures = fidelity.post_score(paths)
    assert kept == len(paths), failures
