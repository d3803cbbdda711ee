"""The site is built beside its output folder and replaces it only when every check passes.

A failing build leaves the previous output untouched.
"""

import logging
import os
import shutil

from .errors import Problems
from .output_checks import check_output

logger = logging.getLogger(__name__)

STAGING = ".staging"
PREVIOUS = ".previous"


def stage(pelican):
    """Point Pelican at a fresh staging folder beside the real output folder."""
    final = os.path.abspath(pelican.output_path)
    pelican.policy_final_output = final
    pelican.output_path = final + STAGING
    shutil.rmtree(pelican.output_path, ignore_errors=True)


def check_and_swap(pelican):
    """Check the staged site; replace the output with it, or discard it and stop."""
    staging, final = pelican.output_path, pelican.policy_final_output
    problems = Problems()
    check_output(staging, pelican.settings["SITEURL"], _label(final), problems)
    if len(problems):
        shutil.rmtree(staging, ignore_errors=True)
        problems.raise_if_any()
    shutil.rmtree(final + PREVIOUS, ignore_errors=True)
    if os.path.exists(final):
        os.rename(final, final + PREVIOUS)
    os.rename(staging, final)
    shutil.rmtree(final + PREVIOUS, ignore_errors=True)
    logger.info("Every check passed; the site is in %s", _label(final))


def _label(final):
    relative = os.path.relpath(final)
    return final if relative.startswith("..") else relative
