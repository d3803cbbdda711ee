"""Connects the plugin to Pelican's signals."""

from pelican import signals

from .atomic_output import check_and_swap, stage
from .generator import PolicyGenerator
from .settings import policy_settings


def start(pelican):
    """Check the plugin's settings once, keep them merged with their defaults, and point
    the build at its staging folder."""
    pelican.settings["POLICY_SITE"] = policy_settings(pelican.settings)
    stage(pelican)


def get_generators(_pelican):
    return PolicyGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(check_and_swap)
