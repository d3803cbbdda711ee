"""Connects the plugin to Pelican's signals."""

from pelican import signals

from .atomic_output import check_and_swap, stage
from .generator import PolicyGenerator
from .settings import policy_settings


def check_settings(pelican):
    policy_settings(pelican.settings)


def get_generators(_pelican):
    return PolicyGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.initialized.connect(stage)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(check_and_swap)
