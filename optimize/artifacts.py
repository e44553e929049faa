"""Per-trial figures as Optuna artifacts (opt-in: ``--artifacts DIR``), for optuna-dashboard.

Each trial's Purcell spectrum (:meth:`Evaluation.plot`, exciton X and biexciton XX lines
marked) is written as a PNG into a file-system artifact store at ``DIR`` and linked to the
trial; ``optuna-dashboard STORAGE --artifact-dir DIR`` shows it next to the trial. A figure or
store that fails is recorded in the trial's user attribute ``artifact_error`` and never fails
the trial (its simulation is done and cached).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ARTIFACT_ATTR = "spectrum_artifact_id"
"""Trial user attribute holding the artifact id of the trial's spectrum figure."""


def spectrum_uploader(base_path: Path) -> Callable[[Any, Any], None]:
    """An ``on_evaluation(trial, evaluation)`` hook that stores the trial's spectrum figure."""
    from optimize._optuna_compat import upload_trial_artifact

    base_path.mkdir(parents=True, exist_ok=True)

    def upload(trial: Any, ev: Any) -> None:
        import matplotlib.pyplot as plt

        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"trial_{trial.number}_spectrum.png"
                fig = ev.plot("spectra")
                try:
                    fig.savefig(path, dpi=110)
                finally:
                    plt.close(fig)
                artifact_id = upload_trial_artifact(trial, str(path), base_path=str(base_path))
        except Exception as err:  # noqa: BLE001 - a figure must not fail a simulated trial
            trial.set_user_attr("artifact_error", f"{type(err).__name__}: {err}"[:500])
            return
        trial.set_user_attr(ARTIFACT_ATTR, artifact_id)

    return upload
