"""The build's "now": from ``SOURCE_DATE_EPOCH`` when set, so that one commit and one date
build the same bytes, in the site's time zone."""

import contextlib
import datetime
import os
import re
import zoneinfo

from . import build_record
from .errors import SiteError
from .messages import _

_EPOCH_RANGE = (946684800, 7258118400)  # 2000-01-01 to 2200-01-01


@contextlib.contextmanager
def source_date_epoch(seconds):
    """``SOURCE_DATE_EPOCH`` set to ``seconds`` (a string) for the time of the block, then
    as it was (unset if it was unset)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = seconds
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class Moment:
    """The build's "now", from ``SOURCE_DATE_EPOCH`` when set, in the site's time zone."""

    def __init__(self, timezone):
        self.zone = zoneinfo.ZoneInfo(timezone)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            seconds = int(epoch) if re.fullmatch(r"[0-9]{1,11}", epoch) else -1
            if not _EPOCH_RANGE[0] <= seconds < _EPOCH_RANGE[1]:
                raise SiteError(
                    _(
                        "SOURCE_DATE_EPOCH='%(value)s' is not a time between 2000 and 2200 in "
                        "seconds since 1970 (for example the output of 'date +%%s')",
                        value=epoch[:30],
                    )
                )
            self.now = datetime.datetime.fromtimestamp(seconds, self.zone)
        else:
            self.now = datetime.datetime.now(self.zone)
        self.today = self.now.date()
        build_record.today(timezone, self.today)

    def start_of(self, day):
        """The moment ``day`` begins in the site's time zone."""
        return datetime.datetime.combine(day, datetime.time(), self.zone)

    def local_date(self, moment):
        return moment.astimezone(self.zone).date()
