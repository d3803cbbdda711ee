"""The contact block: e-mail, telephone and WhatsApp lines of the policy's contact section.

An editor writes them as ordinary paragraphs marked with their kind::

    Telephone: +44 20 7946 0000
    {: .phone }

They become ``mailto:``, ``tel:`` (E.164) and WhatsApp links; a malformed
address or number is a build error.
"""

import functools
import re
from dataclasses import dataclass, field

from .markup import CONTACT_KINDS, HEADINGS, visible_text
from .messages import _

_SEPARATORS = re.compile(r"\s*[/,;]\s*")
# phonenumbers reads letters as keypad digits and digits of every script as ASCII ones;
# in a policy a letter is a typo, and a digit of another script shows one number and dials
# another.
_DIALLABLE = re.compile(r"^\+?[0-9 ().-]+$")


@dataclass(frozen=True)
class ContactLink:
    text: str
    href: str


@dataclass(frozen=True)
class ContactEntry:
    kind: str
    label: str
    links: tuple
    element: object = field(default=None, compare=False, repr=False)  # its paragraph


@dataclass(frozen=True)
class ContactBlock:
    entries: tuple


def email_href(address):
    from email_validator import EmailNotValidError, validate_email  # 30 ms: when needed

    try:
        email = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(
            _(
                "'%(address)s' is not a valid e-mail address: %(error)s",
                address=address,
                error=error,
            )
        ) from None
    return f"mailto:{email.normalized}"


def e164(number, region):
    """``number`` in E.164 form, read as a number of ``region`` unless it starts with +."""
    if not _DIALLABLE.match(number):
        raise ValueError(
            _(
                "'%(number)s' is not a telephone number: use the digits 0-9, spaces, +, ( ) "
                "and - only",
                number=number,
            )
        )
    import phonenumbers  # 30 ms to load: only when a number is read

    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(
            _("'%(number)s' is not a telephone number: %(error)s", number=number, error=error)
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(
            _(
                "'%(number)s' is not a valid telephone number in region %(region)s",
                number=number,
                region=region,
            )
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_href(number, region):
    return f"tel:{e164(number, region)}"


def whatsapp_href(number, region):
    return f"https://wa.me/{e164(number, region).removeprefix('+')}"


def read_contact(root, line_of, heading_line, options, report):
    """The contact block of a rendered text (an lxml tree). ``line_of(paragraph)`` is the
    file line of a marked paragraph, ``heading_line`` that of the contact section."""
    anchor = options.contact_anchor
    heading = next((h for h in root.iter(*HEADINGS) if h.get("id") == anchor), None)
    if heading is None:
        report.at(
            0,
            _("has no contact section; give its heading the anchor {#%(anchor)s}", anchor=anchor),
        )
        return None
    paragraphs = [
        element
        for element in _section_elements(heading)
        if element.tag == "p" and set(element.get("class", "").split()) & set(CONTACT_KINDS)
    ]
    if not paragraphs:
        report.at(
            heading_line,
            _(
                "the contact section has no contact line; mark each with {: .email }, "
                "{: .phone } or {: .whatsapp } on the line below it"
            ),
        )
        return None
    entries = []
    for paragraph in paragraphs:
        entry = _entry(paragraph, line_of(paragraph) or heading_line, options.phone_region, report)
        if entry:
            entries.append(entry)
    return ContactBlock(tuple(entries)) if entries else None


def _section_elements(heading):
    """The elements after ``heading`` up to the next heading of its level or above."""
    level = _heading_level(heading)
    for element in heading.itersiblings():
        if _heading_level(element) and _heading_level(element) <= level:
            break
        yield element


def _heading_level(element):
    return int(element.tag[1]) if element.tag in HEADINGS else 0


def _entry(paragraph, line, region, report):
    kind = next(name for name in CONTACT_KINDS if name in paragraph.get("class", "").split())
    text = visible_text(paragraph)
    label, colon, values = text.partition(":")
    if not colon or not values.strip():
        report.at(line, _("write the contact line as 'Label: value', not '%(text)s'", text=text))
        return None
    links = []
    for value in _SEPARATORS.split(values.strip()):
        try:
            links.append(ContactLink(value, _href(kind, value, region)))
        except ValueError as error:
            report.at(line, _("contact: %(error)s", error=error))
    return ContactEntry(kind, label.strip(), tuple(links), paragraph) if links else None


@functools.lru_cache(maxsize=1024)
def _href(kind, value, region):
    """The link of one contact value (read once per build: every version repeats it)."""
    if kind == "email":
        return email_href(value)
    if kind == "phone":
        return phone_href(value, region)
    return whatsapp_href(value, region)
