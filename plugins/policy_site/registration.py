"""Connects the plugin to Pelican's signals."""

from pelican import signals

from .generator import PolicyGenerator
from .settings import policy_settings


def check_settings(pelican):
    policy_settings(pelican.settings)


def get_generators(_pelican):
    return PolicyGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
