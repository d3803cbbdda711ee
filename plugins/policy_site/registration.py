"""Connects the plugin to Pelican's signals."""

from pelican import signals

from . import messages
from .atomic_output import STAGING, check_and_swap, stage
from .generator import PolicyGenerator
from .settings import catalogs_folder, policy_settings


def start(pelican):
    """Speak the editor's language, check the plugin's settings once and keep them merged
    with their defaults."""
    messages.use(catalogs_folder(pelican.settings))
    pelican.settings["POLICY_SITE"] = policy_settings(pelican.settings)


def get_generators(pelican):
    """Each run stages anew: ``invoke preview`` (``--autoreload``) runs one Pelican again
    and again, each run beside the real output folder."""
    pelican.output_path = pelican.output_path.removesuffix(STAGING)
    stage(pelican)
    return PolicyGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(check_and_swap)
