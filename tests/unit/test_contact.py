import pytest

from policy_site.contact import e164, email_href, phone_href, whatsapp_href


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("(021) 3003 0609", "+622130030609"),
        ("081133328188", "+6281133328188"),
        ("+62 811 3332 8288", "+6281133328288"),
    ],
)
def test_indonesian_numbers_become_e164(written, expected):
    assert e164(written, "ID") == expected


def test_links_for_each_kind_of_contact():
    assert phone_href("(021) 3003 0609", "ID") == "tel:+622130030609"
    assert whatsapp_href("081133328188", "ID") == "https://wa.me/6281133328188"
    assert email_href("support@espay.id") == "mailto:support@espay.id"


@pytest.mark.parametrize("number", ["0211", "(021) 3003 06O9", "not a number", "+1 555"])
def test_malformed_number_is_refused(number):
    with pytest.raises(ValueError, match="telephone number"):
        e164(number, "ID")


@pytest.mark.parametrize("address", ["support@", "support.espay.id", "support@espay"])
def test_malformed_email_is_refused(address):
    with pytest.raises(ValueError, match="not a valid e-mail address"):
        email_href(address)
