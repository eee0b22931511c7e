"""Crowding: the heading change that turns moving objects away from their close neighbours
(used by the nuclei generator and by the training scenes' motion). A leaf: numpy only."""
import numpy as np


def steer_away(pos: np.ndarray, heading: np.ndarray, radius: np.ndarray, strength: float,
               reach: float) -> np.ndarray:
    """Heading change [K] that turns each object (centres pos [K, 2], headings [K], radii [K]) away
    from neighbours closer than `reach` contact distances (reach * (r_i + r_j)), by at most
    `strength` radians; zero for strength <= 0 or fewer than two objects."""
    if strength <= 0 or len(pos) < 2:
        return np.zeros_like(heading)
    diff = pos[:, None] - pos[None, :]
    dist = np.linalg.norm(diff, axis=-1)
    np.fill_diagonal(dist, np.inf)
    weight = np.clip(1 - dist / (reach * (radius[:, None] + radius[None, :])), 0, 1)
    away = (weight[..., None] * diff / np.maximum(dist, 1e-9)[..., None]).sum(axis=1)
    push = np.minimum(np.linalg.norm(away, axis=1), 1.0)
    delta = np.angle(np.exp(1j * (np.arctan2(away[:, 1], away[:, 0]) - heading)))
    return strength * push * delta
