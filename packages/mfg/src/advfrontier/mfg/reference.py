"""The LQ equilibrium from its Riccati/mean-field ODEs, solved with scipy (the reference of Table 1).

With v(t, z) = ½ a(t)|z|² + β(t) 1_d·z + c(t) and the mean m̄_t = m(t) 1_d, the HJB equation
−∂_t v = min_u [∇v·b_z + f] + ½σ²Δv and the Fokker–Planck mean equation reduce to (per coordinate,
q3 = c3/d, q4 = c4/d, q5 = c5/d, τ = target, e = c0 m + c1 (τ − m)):

    a' = a²/c2 + 2 c0 a − (q3 + q4),                    a(T) = q5
    β' = (a/c2 + c0) β − a e + q3 m + q4 τ,             β(T) = −q5 τ
    m' = −(a m + β)/c2 + c1 (τ − m),                    m(0) = m0
    c' = d [β²/(2c2) − β e − ½ q3 m² − ½ q4 τ²] − ½ σ² d a,   c(T) = ½ q5 d τ² + g0

a forward–backward boundary value problem (the mean-field fixed point), solved by scipy's ``solve_bvp``.
The optimal control is u* = −(a z + β 1_d)/c2 and the equilibrium cost J* = E v(0, Z_0).
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.integrate import solve_bvp

from advfrontier.mfg.lq import LQProblem


class LQReference:
    """The closed-form (ODE) equilibrium of an :class:`LQProblem`."""

    def __init__(self, problem: LQProblem, nodes: int = 401, tol: float = 1e-9) -> None:
        self.p = p = problem
        d, tau = p.d, p.target

        def rhs(t: np.ndarray, y: np.ndarray) -> np.ndarray:
            a, m, beta, _ = y
            e = p.c0 * m + p.c1 * (tau - m)
            da = a * a / p.c2 + 2 * p.c0 * a - (p.q3 + p.q4)
            dbeta = (a / p.c2 + p.c0) * beta - a * e + p.q3 * m + p.q4 * tau
            dm = -(a * m + beta) / p.c2 + p.c1 * (tau - m)
            dc = d * (beta**2 / (2 * p.c2) - beta * e - 0.5 * p.q3 * m**2 - 0.5 * p.q4 * tau**2)
            dc = dc - 0.5 * p.sig**2 * d * a
            return np.vstack([da, dm, dbeta, dc])

        def bc(y0: np.ndarray, yT: np.ndarray) -> np.ndarray:
            return np.array(
                [yT[0] - p.q5, y0[1] - p.m0, yT[2] + p.q5 * tau, yT[3] - 0.5 * p.q5 * d * tau**2 - p.g0]
            )

        t = np.linspace(0.0, p.T, nodes)
        guess = np.vstack(
            [np.full_like(t, p.q5), np.full_like(t, p.m0), np.zeros_like(t), np.full_like(t, p.g0)]
        )
        sol = solve_bvp(rhs, bc, t, guess, tol=tol, max_nodes=100_000)
        if not sol.success:
            raise RuntimeError(f"Riccati/mean-field BVP did not converge: {sol.message}")
        self.sol = sol
        self.rhs = rhs

    def coefficients(self, t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(a, m, β, c) at times t."""
        a, m, beta, c = self.sol.sol(np.asarray(t, dtype=np.float64))
        return a, m, beta, c

    def _coef_t(self, t: torch.Tensor) -> tuple[torch.Tensor, ...]:
        a, m, beta, c = self.coefficients(t.detach().cpu().double().numpy())
        return tuple(torch.as_tensor(x, dtype=t.dtype, device=t.device) for x in (a, m, beta, c))

    def value(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """v*(t, z) for rows (t_k, z_k)."""
        a, _, beta, c = self._coef_t(t)
        return 0.5 * a * (z * z).sum(-1) + beta * z.sum(-1) + c

    def control(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """u*(t, z) = −∇v*/c2."""
        a, _, beta, _ = self._coef_t(t)
        return -(a[:, None] * z + beta[:, None]) / self.p.c2

    def mean(self, t: torch.Tensor) -> torch.Tensor:
        """m̄*(t) = m(t) 1_d, one row per time."""
        _, m, _, _ = self._coef_t(t)
        return m[:, None].expand(-1, self.p.d)

    def cost(self) -> float:
        """J* = E v*(0, Z_0) = ½ a(0) E|Z_0|² + β(0) d m0 + c(0)."""
        a, _, beta, c = (float(x) for x in self.coefficients(0.0))
        return 0.5 * a * self.p.initial_second_moment() + beta * self.p.d * self.p.m0 + c
