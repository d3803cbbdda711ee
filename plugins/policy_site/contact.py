"""The contact block: e-mail, telephone and WhatsApp lines of the policy's contact section.

An editor writes them as ordinary paragraphs marked with their kind::

    Telepon : (021) 3003 0609
    {: .phone }

They become ``mailto:``, ``tel:`` (E.164) and WhatsApp links; a malformed
address or number is a build error.
"""

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

KINDS = ("email", "phone", "whatsapp")
_SEPARATORS = re.compile(r"\s*[/,;]\s*")
# phonenumbers reads letters as keypad digits; in a policy a letter is a typo.
_DIALLABLE = re.compile(r"^\+?[\d\s().-]+$")


@dataclass(frozen=True)
class ContactLink:
    text: str
    href: str


@dataclass(frozen=True)
class ContactEntry:
    kind: str
    label: str
    links: tuple


@dataclass(frozen=True)
class ContactBlock:
    entries: tuple


def email_href(address):
    try:
        email = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"'{address}' is not a valid e-mail address: {error}") from None
    return f"mailto:{email.normalized}"


def e164(number, region):
    """``number`` in E.164 form, read as a number of ``region`` unless it starts with +."""
    if not _DIALLABLE.match(number):
        raise ValueError(
            f"'{number}' is not a telephone number: use digits, spaces, +, ( ) and - only"
        )
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"'{number}' is not a telephone number: {error}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"'{number}' is not a valid telephone number in region {region}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_href(number, region):
    return f"tel:{e164(number, region)}"


def whatsapp_href(number, region):
    return f"https://wa.me/{e164(number, region).removeprefix('+')}"


def extract_contact(soup, document, anchor, region, problems):
    """Find the contact section; return its block and the paragraphs it replaces."""
    heading = soup.find(id=anchor)
    if heading is None:
        problems.add(
            document.path,
            f"has no contact section; give its heading the anchor {{#{anchor}}}",
        )
        return None, []
    paragraphs = [
        element
        for element in _section_elements(heading)
        if element.name == "p" and set(element.get("class", ())) & set(KINDS)
    ]
    if not paragraphs:
        problems.add(
            document.path,
            "the contact section has no contact line; mark each with {: .email }, "
            "{: .phone } or {: .whatsapp } on the line below it",
            document.line_of(heading.get_text()),
        )
        return None, []
    entries = []
    for paragraph in paragraphs:
        entry = _entry(paragraph, document, region, problems)
        if entry:
            entries.append(entry)
    return ContactBlock(tuple(entries)), paragraphs


def _section_elements(heading):
    """The elements after ``heading`` up to the next heading of its level or above."""
    level = _heading_level(heading)
    for element in heading.find_next_siblings():
        if _heading_level(element) and _heading_level(element) <= level:
            break
        yield element


def _heading_level(element):
    return int(element.name[1]) if re.fullmatch(r"h[1-6]", element.name or "") else 0


def _entry(paragraph, document, region, problems):
    kind = next(name for name in KINDS if name in paragraph.get("class", ()))
    text = paragraph.get_text(" ", strip=True)
    label, colon, values = text.partition(":")
    line = document.line_of(text) or document.line_of(label)
    if not colon or not values.strip():
        problems.add(document.path, f"write the contact line as 'Label: value', not '{text}'", line)
        return None
    links = []
    for value in _SEPARATORS.split(values.strip()):
        try:
            links.append(ContactLink(value, _href(kind, value, region)))
        except ValueError as error:
            problems.add(document.path, f"contact: {error}", line)
    return ContactEntry(kind, label.strip(), tuple(links)) if links else None


def _href(kind, value, region):
    if kind == "email":
        return email_href(value)
    if kind == "phone":
        return phone_href(value, region)
    return whatsapp_href(value, region)
