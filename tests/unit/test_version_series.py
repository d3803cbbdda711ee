"""Which version is in effect on a day: from the first moment of its effective date."""

import datetime
from dataclasses import dataclass

from policy_site.version_numbers import Version
from policy_site.version_series import VersionSeries


@dataclass(frozen=True)
class Entry:
    version: Version
    effective: datetime.date


def series(*versions):
    return VersionSeries(
        "privacy",
        "id",
        tuple(Entry(Version.parse(n), datetime.date.fromisoformat(d)) for n, d in versions),
    )


def test_a_version_is_in_effect_from_its_effective_date_on():
    one = series(("1.0", "2026-01-15"), ("1.1", "2026-02-01"))
    day = datetime.date(2026, 2, 1)
    assert str(one.current(day).version) == "1.1"
    assert str(one.current(day - datetime.timedelta(days=1)).version) == "1.0"
    assert [str(v.version) for v in one.upcoming(day - datetime.timedelta(days=1))] == ["1.1"]
    assert one.upcoming(day) == ()


def test_before_any_version_takes_effect_the_first_is_shown():
    one = series(("1.0", "2026-01-15"))
    assert str(one.current(datetime.date(2026, 1, 1)).version) == "1.0"
