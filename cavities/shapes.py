"""Backend-neutral geometric primitives in micrometres.

They mirror Meep's primitives (Block, Cylinder, Sphere) plus ``Layer``, a slab infinite in x and y
(substrates, mirrors, spacers). As in Meep, when shapes overlap the later one wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Union

from cavities._validate import require_choice, require_finite, require_positive, require_vector
from cavities.materials import Material

_AXES = ("x", "y", "z")
_AXIS_INDEX = {"x": 0, "y": 1, "z": 2}


def _mirror_point(p: tuple[float, float, float], axis: str) -> tuple[float, float, float]:
    q = list(p)
    q[_AXIS_INDEX[axis]] = -q[_AXIS_INDEX[axis]]
    return (q[0] + 0.0, q[1] + 0.0, q[2] + 0.0)


@dataclass(frozen=True, kw_only=True)
class Block:
    """Rectangular box (axis-aligned). Lengths in µm."""

    type: ClassVar[str] = "block"
    center_um: tuple[float, float, float]
    size_um: tuple[float, float, float]
    material: Material

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_um", require_vector("center_um", self.center_um))
        object.__setattr__(self, "size_um", require_vector("size_um", self.size_um, positive=True))

    def contains(self, point_um: tuple[float, float, float]) -> bool:
        return all(abs(p - c) <= s / 2 for p, c, s in zip(point_um, self.center_um, self.size_um,
                                                          strict=True))

    def mirrored(self, axis: str) -> Block:
        return replace(self, center_um=_mirror_point(self.center_um, axis))

    def is_axisymmetric(self) -> bool:
        return False

    def bounds_um(self) -> tuple[tuple[float, float], ...]:
        return tuple((c - s / 2, c + s / 2) for c, s in zip(self.center_um, self.size_um,
                                                            strict=True))


@dataclass(frozen=True, kw_only=True)
class Cylinder:
    """Circular cylinder with its axis along ``axis`` (a cone if ``top_radius_um`` differs).

    ``edge_radius_um`` rounds the two rims (a z-axis cylinder only): each is a quarter circle of
    that radius in the (r, z) cross-section, which is then the rectangle [0, R] × [−h/2, h/2]
    with its outer corners rounded; ``edge_radius_um = R = h/2`` is a sphere. Simulations
    draw the rounded rims as terraces one grid step high (:mod:`sims.rounded_edges`).
    """

    type: ClassVar[str] = "cylinder"
    center_um: tuple[float, float, float]
    radius_um: float
    height_um: float
    material: Material
    axis: str = "z"
    top_radius_um: float | None = None
    edge_radius_um: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_um", require_vector("center_um", self.center_um))
        require_positive(radius_um=self.radius_um, height_um=self.height_um)
        require_choice("axis", self.axis, _AXES)
        if self.top_radius_um is not None:
            require_finite(top_radius_um=self.top_radius_um)
            if self.top_radius_um < 0:
                raise ValueError(
                    f"`top_radius_um >= 0` must hold, but got top_radius_um={self.top_radius_um!r}."
                )
        require_finite(edge_radius_um=self.edge_radius_um)
        if self.edge_radius_um != 0.0:
            limit = min(self.radius_um, self.height_um / 2)
            if not 0.0 < self.edge_radius_um <= limit * (1 + 1e-12):
                raise ValueError(
                    "`0 <= edge_radius_um <= min(radius_um, height_um / 2)` must hold, but got "
                    f"edge_radius_um={self.edge_radius_um!r}, radius_um={self.radius_um!r}, "
                    f"height_um={self.height_um!r}.")
            if self.axis != "z" or self.top_radius_um is not None:
                raise ValueError("rounded rims (`edge_radius_um`) need a z-axis cylinder without "
                                 f"`top_radius_um`, but got axis={self.axis!r}, "
                                 f"top_radius_um={self.top_radius_um!r}.")

    def rounded_radius_um(self, t: float) -> float:
        """Radius of a rounded cylinder at axial coordinate t ∈ [−h/2, h/2] (relative to the
        centre): R in the straight part, R − a + √(a² − (|t| − (h/2 − a))²) on a rim."""
        a = self.edge_radius_um
        over = abs(t) - (self.height_um / 2 - a)
        if a == 0.0 or over <= 0.0:
            return self.radius_um
        return self.radius_um - a + math.sqrt(max(a * a - over * over, 0.0))

    def _radius_at(self, t: float) -> float:
        """Radius at axial coordinate t ∈ [-h/2, h/2] (relative to the centre)."""
        if self.top_radius_um is None:
            return self.radius_um
        frac = t / self.height_um + 0.5
        return self.radius_um + (self.top_radius_um - self.radius_um) * frac

    def contains(self, point_um: tuple[float, float, float]) -> bool:
        i = _AXIS_INDEX[self.axis]
        rel = [p - c for p, c in zip(point_um, self.center_um, strict=True)]
        t = rel[i]
        if abs(t) > self.height_um / 2:
            return False
        r2 = sum(rel[j] ** 2 for j in range(3) if j != i)
        if self.edge_radius_um != 0.0:
            return r2 <= self.rounded_radius_um(t) ** 2
        return r2 <= self._radius_at(t) ** 2

    def mirrored(self, axis: str) -> Cylinder:
        if axis == self.axis and self.top_radius_um is not None:
            # a cone flips: bottom and top radii swap
            c = _mirror_point(self.center_um, axis)
            return replace(self, center_um=c, radius_um=self.top_radius_um,
                           top_radius_um=self.radius_um) if self.top_radius_um > 0 else replace(
                self, center_um=c)
        return replace(self, center_um=_mirror_point(self.center_um, axis))

    def is_axisymmetric(self) -> bool:
        return self.axis == "z" and self.center_um[0] == 0.0 and self.center_um[1] == 0.0

    def bounds_um(self) -> tuple[tuple[float, float], ...]:
        r = max(self.radius_um, self.top_radius_um or 0.0)
        half = [r, r, r]
        half[_AXIS_INDEX[self.axis]] = self.height_um / 2
        return tuple((c - h, c + h) for c, h in zip(self.center_um, half, strict=True))


@dataclass(frozen=True, kw_only=True)
class Sphere:
    """Sphere. Lengths in µm."""

    type: ClassVar[str] = "sphere"
    center_um: tuple[float, float, float]
    radius_um: float
    material: Material

    def __post_init__(self) -> None:
        object.__setattr__(self, "center_um", require_vector("center_um", self.center_um))
        require_positive(radius_um=self.radius_um)

    def contains(self, point_um: tuple[float, float, float]) -> bool:
        return sum((p - c) ** 2 for p, c in zip(point_um, self.center_um, strict=True)) <= (
            self.radius_um**2
        )

    def mirrored(self, axis: str) -> Sphere:
        return replace(self, center_um=_mirror_point(self.center_um, axis))

    def is_axisymmetric(self) -> bool:
        return self.center_um[0] == 0.0 and self.center_um[1] == 0.0

    def bounds_um(self) -> tuple[tuple[float, float], ...]:
        return tuple((c - self.radius_um, c + self.radius_um) for c in self.center_um)


@dataclass(frozen=True, kw_only=True)
class Layer:
    """Planar slab ``z_min_um <= z <= z_max_um``, infinite in x and y (it runs into the PML)."""

    type: ClassVar[str] = "layer"
    z_min_um: float
    z_max_um: float
    material: Material

    def __post_init__(self) -> None:
        require_finite(z_min_um=self.z_min_um, z_max_um=self.z_max_um)
        if not self.z_max_um > self.z_min_um:
            raise ValueError(
                "`z_max_um > z_min_um` must hold, but got "
                f"z_min_um={self.z_min_um!r}, z_max_um={self.z_max_um!r}."
            )

    def contains(self, point_um: tuple[float, float, float]) -> bool:
        return self.z_min_um <= point_um[2] <= self.z_max_um

    def mirrored(self, axis: str) -> Layer:
        if axis == "z":
            return replace(self, z_min_um=-self.z_max_um + 0.0, z_max_um=-self.z_min_um + 0.0)
        return self

    def is_axisymmetric(self) -> bool:
        return True

    def bounds_um(self) -> tuple[tuple[float, float], ...]:
        inf = float("inf")
        return ((-inf, inf), (-inf, inf), (self.z_min_um, self.z_max_um))


Shape = Union[Block, Cylinder, Sphere, Layer]
SHAPE_TYPES: dict[str, type] = {cls.type: cls for cls in (Block, Cylinder, Sphere, Layer)}


def shape_to_dict(shape: Shape) -> dict[str, Any]:
    """JSON-ready dict of a shape, with its ``type`` tag and the material inlined."""
    out: dict[str, Any] = {"type": shape.type}
    for name in shape.__dataclass_fields__:
        value = getattr(shape, name)
        if name == "edge_radius_um" and value == 0.0:
            continue  # sharp rims: the dict (and so every cache key) as before rounding existed
        if isinstance(value, Material):
            out[name] = value.to_dict()
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def shape_from_dict(data: dict[str, Any]) -> Shape:
    """Inverse of :func:`shape_to_dict`."""
    d = dict(data)
    kind = d.pop("type", None)
    if kind not in SHAPE_TYPES:
        raise ValueError(f"`type` must be one of {tuple(SHAPE_TYPES)}, but got type={kind!r}.")
    d["material"] = Material.from_dict(d["material"])
    for key in ("center_um", "size_um"):
        if key in d:
            d[key] = tuple(d[key])
    return SHAPE_TYPES[kind](**d)  # type: ignore[no-any-return]


def material_at(shapes: tuple[Shape, ...], background: Material,
                point_um: tuple[float, float, float]) -> Material:
    """The material at a point: the last shape containing it, else the background."""
    for shape in reversed(shapes):
        if shape.contains(point_um):
            return shape.material
    return background
