"""`pytest --jobs N`: every run of the suite shares its work among N processes (pool.JOBS_ENV), small
inputs included, so that the whole suite checks the spawned workers as well as one process."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--jobs", type=int, default=None,
                     help="run every lhkpn-check run of the suite with N processes (default: as a user's run)")


def pytest_configure(config):
    jobs = config.getoption("--jobs")
    if jobs is not None:
        from lhkpn_check.pool import JOBS_ENV

        os.environ[JOBS_ENV] = str(max(jobs, 1))


@pytest.fixture(autouse=True)
def _pool_for_every_input(request, monkeypatch):
    """Under --jobs above 1, runs in this process start the pool whatever the input's size."""
    jobs = request.config.getoption("--jobs")
    if jobs is not None and jobs > 1:
        from lhkpn_check import pipeline

        monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
