"""The benchmark's budget check and the comparison of two benchmark files."""

import io
import json

import pytest

from collab_sim.bench import budget as bench
from collab_sim.bench import compare as benchcompare
from collab_sim.core.compile_notice import compile_notice


def _result(**values):
    return {
        "figures": {
            name: {"value": v, "samples": s, "unit": "x"} for name, (v, s) in values.items()
        }
    }


def test_budget_lines_hold_or_not_by_their_direction():
    assert bench.holds("agent_step_ratio_vs_mesa_empty", 0.9)
    assert not bench.holds("agent_step_ratio_vs_mesa_empty", 1.2)
    assert bench.holds("sweep_runs_per_minute", 600)
    assert not bench.holds("sweep_runs_per_minute", 400)
    text = bench.table(_result(sweep_runs_per_minute=(400.0, [400.0])))
    assert "NO" in text.splitlines()[1]


def test_scaled_config_reaches_the_target_size():
    cfg = bench.scaled_config(10_000, 3, seed=1)
    total = sum(t.count for t in cfg.population.types.values())
    assert abs(total - 10_000) < 20


def test_compare_flags_a_slowdown_beyond_noise(tmp_path, capsys):
    old = _result(model_agent_step_us_baseline=(1.0, [0.98, 1.0, 1.02]))
    new = _result(model_agent_step_us_baseline=(1.5, [1.48, 1.5, 1.52]))
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    with pytest.raises(SystemExit) as exit_:
        benchcompare.main([str(tmp_path / "old.json"), str(tmp_path / "new.json")])
    assert exit_.value.code == 1
    assert "WORSE" in capsys.readouterr().out
    # the reverse is an improvement; exits 0
    benchcompare.main([str(tmp_path / "new.json"), str(tmp_path / "old.json")])
    assert "better" in capsys.readouterr().out


def test_compare_ignores_changes_within_the_noise():
    old = _result(sweep_runs_per_minute=(500.0, [300.0, 500.0, 700.0]))
    new = _result(sweep_runs_per_minute=(400.0, [250.0, 400.0, 650.0]))
    rows = benchcompare.compare(old, new, threshold=0.1)
    assert rows[0]["verdict"] == "same"  # -20%, but the repetitions spread +-40%


def test_compare_rejects_a_file_that_is_not_a_benchmark(tmp_path, capsys):
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(SystemExit) as exit_:
        benchcompare.main([str(tmp_path / "bad.json"), str(tmp_path / "bad.json")])
    assert exit_.value.code == 2
    assert "bad.json: not a benchmark file" in capsys.readouterr().err


def test_compile_notice_speaks_only_when_loading_is_slow():
    import time

    quiet = io.StringIO()
    with compile_notice(after=0.5, stream=quiet):
        pass
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    with compile_notice(after=0.01, stream=loud):
        time.sleep(0.2)
    assert "compiling the model's kernels" in loud.getvalue()
    assert "compiled in" in loud.getvalue()


def test_recording_share_is_a_fraction_of_the_month_sampled_across_the_run():
    from collab_sim.config.composition import make_config

    shares = bench.recording_share(make_config(seed=0, steps=24, population="small"), 2)
    assert len(shares) == 2 and all(0.0 < s < 1.0 for s in shares)
