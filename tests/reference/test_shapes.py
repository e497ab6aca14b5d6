"""Point in region: the shipped shapes, Chukotka across the 180th meridian, the gazetteer's towns."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pycountry
import pytest

from recruitwatch.reference.gazetteer import _data, region
from recruitwatch.reference.shapes import region_at, region_codes


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [(61.79, 34.36, "RU-KR"),  # Petrozavodsk
     (55.75, 37.62, "RU-MOW"),  # Moscow, an enclave of its oblast
     (55.9, 38.4, "RU-MOS"),
     (59.94, 30.31, "RU-SPE"),
     (59.6, 30.1, "RU-LEN"),
     (69.40, 30.60, "RU-MUR"),  # Nikel
     (54.71, 20.5, "RU-KGD"),
     (44.6, 33.52, "UA-40"), (44.95, 34.1, "UA-43"), (48.0, 37.8, "UA-14"), (48.57, 39.3, "UA-09"),
     (47.84, 35.14, "UA-23"), (46.64, 32.61, "UA-65"),
     (66.83, 28.67, "FI-10"), (60.17, 24.94, "FI-18"), (69.73, 30.05, "NO-54")],
)
def test_points_in_their_regions(lat: float, lon: float, code: str) -> None:
    assert region_at(lat, lon) == code


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(66.0, 172.0), (68.05, 166.44),  # west of 180°: Bilibino
     (66.5, -176.0), (65.58, -171.0), (66.16, -169.8),  # east of it: Lavrentiya, Uelen
     (71.2, -179.5),  # Wrangel Island
     (67.0, 179.99), (67.0, -179.99), (67.0, -180.0)],
)
def test_chukotka_across_the_180th_meridian(lat: float, lon: float) -> None:
    assert region_at(lat, lon) == "RU-CHU"
    if lon < 0:  # the same point written as a longitude above 180
        assert region_at(lat, lon + 360) == "RU-CHU"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(64.8, -147.7),  # Fairbanks, Alaska, across the Bering Strait
     (50.45, 30.52),  # Kyiv: Ukraine outside occupation is not kept
     (52.23, 21.01),  # Warsaw
     (74.0, 40.0),  # the Barents Sea
     (0.0, 0.0)],
)
def test_points_outside_the_regions_kept(lat: float, lon: float) -> None:
    assert region_at(lat, lon) is None


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 30.0), (-91.0, 0.0), (60.0, -181.0), (60.0, 361.0),
                                          (float("nan"), 30.0)])
def test_not_a_point_is_a_clear_error(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="not a point"):
        region_at(lat, lon)


def test_not_numbers_is_a_clear_error() -> None:
    with pytest.raises(TypeError):
        region_at("61.8", "34.4")  # type: ignore[arg-type]


def test_every_russian_subject_and_the_gazetteers_regions_have_a_shape() -> None:
    russian = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert russian <= region_codes()
    assert {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65", "FI-02", "FI-10", "NO-54"} <= region_codes()
    assert all(region(code) is not None for code in region_codes())


def test_shapes_ship_inside_the_package_and_are_compact() -> None:
    blob = resources.files("recruitwatch.reference").joinpath("data", "region_shapes.json.gz").read_bytes()
    assert len(blob) < 400_000
    assert len(json.loads(gzip.decompress(blob))["regions"]) == len(region_codes())


def test_the_gazetteers_towns_lie_in_their_own_regions() -> None:
    """GeoNames gives every town a region; the shapes should agree for nearly all of them (the
    rest lie on a border Natural Earth draws a few kilometres off, or between Moscow and its
    oblast, whose boundary moved in 2012)."""
    data = _data()
    towns = [p for p in data.places if p.kind == "settlement" and p.region and p.lat is not None]
    wrong = [(p.name, p.region, got) for p in towns if (got := region_at(p.lat, p.lon)) != p.region]  # type: ignore[arg-type]
    agreement = 1 - len(wrong) / len(towns)
    print(f"\nregion_at agrees with GeoNames for {agreement:.3f} of {len(towns)} towns; e.g. {wrong[:5]}")
    assert len(towns) > 6000 and agreement >= 0.97
