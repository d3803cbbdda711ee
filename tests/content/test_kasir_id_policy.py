"""Kasir.id's own texts, the only tests of this company's content (an organisation
adopting the generator deletes this folder): facts of its privacy policy's published
history. The Indonesian text prevails and what is published stays published, so these
hold after every correct change, however many versions follow. (The English translation
may be corrected at any time.)"""

import re

from tests import oracle
from tests.sites import ROOT, redline_marks

SEED = ROOT / "tests" / "content" / "kebijakan-privasi-kasir-id.txt"
SPELLING_CORRECTIONS = [
    ("dimana", "di mana"),
    ("kami", "Kami"),
    ("apapun", "apa pun"),
    ("Product.", "Produk."),
    ("kami", "Kami"),
    ("efektifitas", "efektivitas"),
    ("apapun", "apa pun"),
    ("PENGUNAAN", "PENGGUNAAN"),
    ("kami", "Kami"),
    ("Anda,", "Anda."),
    ("silahkan", "silakan"),
    ("Whats App", "WhatsApp"),
    ("anda", "Anda"),
]


def version_entry(site, lang, number):
    languages = site.index["policies"]["privacy"]["languages"]
    return next(v for v in languages[lang]["versions"] if v["version"] == number)


def marks(page, name):
    """Texts of the ``ins`` or ``del`` marks of a redline, without their hidden labels."""
    return [text for _parent, text in redline_marks(page, f".redline {name}")]


def test_indonesian_version_1_0_is_the_original_text_word_for_word(site):
    fields, body = oracle.split(site.text_of(version_entry(site, "id", "1.0")))
    text = re.sub(r"\s*\{[:#][^}]*\}", "", f"{fields['title']}\n{body}")
    text = re.sub(r"^#+ ", "", text, flags=re.MULTILINE)
    assert " ".join(text.split()) == " ".join(SEED.read_text(encoding="utf-8").split())


def test_version_1_1_corrects_exactly_the_spelling_slips_of_1_0(site):
    page = site.page(version_entry(site, "id", "1.1")["changes_url"])
    assert list(zip(marks(page, "del"), marks(page, "ins"), strict=True)) == SPELLING_CORRECTIONS
