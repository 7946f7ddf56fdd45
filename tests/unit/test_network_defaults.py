"""The network's defaults are defined once (``domain.network.defaults``) and
every analysis, the settings and the configuration start from them."""

from __future__ import annotations

import inspect
import os

import pytest

import config
from betterway_map.domain.network import cells, connectors, coverage, edges, graph, isolation, reach
from betterway_map.domain.network import organisation_network as organisations
from betterway_map.domain.network.defaults import (
    ACTIVITY_WINDOW_DAYS,
    H3_RESOLUTION,
    WALKING_DISTANCE_M,
)
from betterway_map.network.loader import NetworkSettings

_WINDOW, _RESOLUTION, _WALK = "window_days", "resolution", "walking_m"


@pytest.mark.parametrize(
    ("function", "parameter", "expected"),
    [
        (edges.is_recent, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (edges.edges, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (graph.build_graph, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (isolation.assess_people, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (connectors.connectors, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (organisations.organisation_network, _WINDOW, ACTIVITY_WINDOW_DAYS),
        (cells.home_cells, _RESOLUTION, H3_RESOLUTION),
        (cells.area_cells, _RESOLUTION, H3_RESOLUTION),
        (cells.area_cells, _WALK, WALKING_DISTANCE_M),
        (coverage.covered_person_ids, _RESOLUTION, H3_RESOLUTION),
        (coverage.covered_person_ids, _WALK, WALKING_DISTANCE_M),
        (coverage.summarise, _WALK, WALKING_DISTANCE_M),
        (coverage.coverage, _RESOLUTION, H3_RESOLUTION),
        (coverage.coverage, _WALK, WALKING_DISTANCE_M),
        (reach.ReachIndex, _RESOLUTION, H3_RESOLUTION),
        (reach.ReachIndex, _WALK, WALKING_DISTANCE_M),
    ],
)
def test_the_analyses_default_to_the_network_defaults(function, parameter, expected):
    assert inspect.signature(function).parameters[parameter].default == expected


def test_network_settings_start_from_the_defaults():
    settings = NetworkSettings()
    assert (settings.window_days, settings.resolution, settings.walking_m) == (
        ACTIVITY_WINDOW_DAYS,
        H3_RESOLUTION,
        WALKING_DISTANCE_M,
    )


@pytest.mark.skipif(
    any(
        os.environ.get(name)
        for name in ("ACTIVITY_WINDOW_DAYS", "H3_RESOLUTION", "WALKING_DISTANCE_M")
    ),
    reason="the environment overrides a network setting",
)
def test_the_configuration_defaults_to_the_network_defaults():
    assert (
        config.Config.ACTIVITY_WINDOW_DAYS,
        config.Config.H3_RESOLUTION,
        config.Config.WALKING_DISTANCE_M,
    ) == (
        ACTIVITY_WINDOW_DAYS,
        H3_RESOLUTION,
        WALKING_DISTANCE_M,
    )
