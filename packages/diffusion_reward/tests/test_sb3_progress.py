"""SB3 training prints the shared progress lines (a long SAC run is not silent)."""

import gymnasium as gym
from stable_baselines3 import SAC

from advfrontier.diffusion_reward.sb3_progress import ProgressLines


def test_sac_reports_progress_every_k_steps_and_at_the_end(capsys) -> None:
    model = SAC(
        "MlpPolicy", gym.make("Pendulum-v1"), learning_starts=10, buffer_size=100, seed=0, device="cpu"
    )
    model.learn(25, callback=ProgressLines(25, "sac probe", every=10))
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("[sac probe]")]
    assert [ln.split(" · ")[0] for ln in lines] == [
        "[sac probe] step 10/25", "[sac probe] step 20/25", "[sac probe] step 25/25",
    ]  # fmt: skip
