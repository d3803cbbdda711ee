"""Connects the plugin to Pelican's signals."""

from pelican import signals

from . import messages
from .atomic_output import check_and_swap, stage
from .generator import PolicyGenerator
from .settings import catalogs_folder, policy_settings


def start(pelican):
    """Speak the editor's language, check the plugin's settings once, keep them merged
    with their defaults, and point the build at its staging folder."""
    messages.use(catalogs_folder(pelican.settings))
    pelican.settings["POLICY_SITE"] = policy_settings(pelican.settings)
    stage(pelican)


def get_generators(_pelican):
    return PolicyGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(check_and_swap)
